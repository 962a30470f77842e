"""Demo announcements, guides and links for seed_demo (filled by the stats app)."""

from __future__ import annotations

from typing import Any, TextIO


def seed(out: TextIO, **options: Any) -> None:
    return None
