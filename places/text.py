"""How place names are folded for searching."""

from __future__ import annotations

import re

from portal.lib.text import nfc, strip_accents

# Dashes and punctuation fold to spaces: official files write both
# "Phan Rang - Tháp Chàm" and "Phan Rang-Tháp Chàm".
_PUNCTUATION = re.compile(r"[\-‐‑‒–—_,;:()\[\]./]+")


def fold(text: str) -> str:
    """'Phan Rang-Tháp Chàm' and 'phan rang - thap cham' -> 'phan rang thap cham'."""
    folded = strip_accents(nfc(text)).lower()
    return " ".join(_PUNCTUATION.sub(" ", folded).split())
