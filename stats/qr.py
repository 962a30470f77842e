from __future__ import annotations

from functools import lru_cache

import segno
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def qr_svg(url: str, scale: int = 4) -> str:
    """An inline SVG QR code for ``url`` (no image request, no external service)."""
    return _qr_svg(url, scale, get_language() or "")


@lru_cache(maxsize=16)
def _qr_svg(url: str, scale: int, language: str) -> str:
    # Cached per URL and language: the code never changes while the setting holds.
    title = _("Mã QR Zalo: %(url)s") % {"url": url}
    svg = segno.make(url, error="m").svg_inline(
        scale=scale, title=title, dark="#000000", light="#ffffff", svgclass="qr-code"
    )
    # segno escapes the title; role and label make it an image to screen readers.
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1)
