"""Text normalisation: one Unicode form for everything stored."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.utils.functional import lazy

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")


def nfc(value: str) -> str:
    """NFC form with control characters removed (newlines and tabs are kept)."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", value))


def clean_line(value: str) -> str:
    """A one-line field: NFC, inner runs of white space folded, ends stripped."""
    return _SPACES.sub(" ", nfc(value)).strip()


def clean_text(value: str) -> str:
    """A multi-line field: NFC, Windows line ends unified, ends stripped."""
    return nfc(value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def strip_accents(value: str) -> str:
    """'Đường Nguyễn Huệ' -> 'Duong Nguyen Hue', for accent-insensitive matching."""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify_vi(value: str, max_length: int = 200) -> str:
    """'Lịch tiếp công dân tháng 12/2026' -> 'lich-tiep-cong-dan-thang-12-2026'.

    Every Vietnamese letter folds to its base letter (đ -> d, all tone and vowel
    marks removed) before anything else is dropped, so no letter is lost; any other
    run of characters becomes one hyphen.
    """
    folded = strip_accents(unicodedata.normalize("NFC", value)).lower()
    slug = _NOT_SLUG.sub("-", folded).strip("-")
    return slug[:max_length].rstrip("-")


def mask_name(full_name: str) -> str:
    """'Nguyễn Văn An' -> 'Nguyễn V. A.': family name kept, the rest as initials."""
    parts = clean_line(full_name).split(" ")
    if not parts or not parts[0]:
        return ""
    return " ".join([parts[0], *(f"{part[0]}." for part in parts[1:])])


def _interpolate(message: Any, params: Any) -> str:
    return str(message) % params


# ``gettext_lazy(...) % params`` translates at import, in the default language:
# labels and help texts built at class definition would stay Vietnamese on the
# English pages. This keeps them lazy until they are shown.
interpolate_lazy = lazy(_interpolate, str)
