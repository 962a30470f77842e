"""Tracking codes: short, random, and easy to read aloud (PA-7K3Q-X9MD).

The alphabet is Crockford's base 32 (no I, L, O or U), so a code read over the
phone survives O/0 and I/L/1 confusions: ``normalize_code`` maps them back. Eight
symbols drawn from ``secrets`` give 2^40 codes: knowing one says nothing of another.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "PA"
BODY_LENGTH = 8
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
_NOISE = re.compile(r"[\s\-_.]")


def generate_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return f"{PREFIX}-{body[:4]}-{body[4:]}"


def normalize_code(raw: str) -> str | None:
    """The canonical form of a typed code, or None if it cannot be one."""
    text = _NOISE.sub("", (raw or "").upper())
    if text.startswith(PREFIX) and len(text) == len(PREFIX) + BODY_LENGTH:
        text = text[len(PREFIX) :]
    text = text.translate(_CONFUSABLE)
    if len(text) != BODY_LENGTH or any(ch not in ALPHABET for ch in text):
        return None
    return f"{PREFIX}-{text[:4]}-{text[4:]}"
