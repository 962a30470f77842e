"""SECURITY.md names the test behind each control: each name must exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_test_named_in_security_md_exists() -> None:
    text = (ROOT / "SECURITY.md").read_text()
    references = re.findall(r"`(tests/[\w/]+\.py)::(test_\w+)`", text)
    assert len(references) >= 30
    for path, name in references:
        source = (ROOT / path).read_text()
        assert re.search(rf"^def {name}\(", source, re.M), f"{path}::{name}"
