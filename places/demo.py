"""seed_demo: the served province's commune-level units (idempotent)."""

from __future__ import annotations

from typing import Any, TextIO

from places.loading import load_default_units


def seed(out: TextIO, **options: Any) -> None:
    result = load_default_units()
    out.write(
        f"  đơn vị hành chính cấp xã: {result.created} mới, {result.updated} cập nhật\n"
    )
