"""QR codes as inline SVG (segno): no image request, no external service."""

from __future__ import annotations

from functools import lru_cache

import segno
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@lru_cache(maxsize=64)
def qr_svg(url: str, label: str, *, scale: int = 4) -> SafeString:
    """An inline SVG QR code for ``url``, named ``label`` for screen readers.

    Cached: the same URL and label (which carries the language) give the same code.
    """
    svg = segno.make(url, error="m").svg_inline(
        scale=scale,
        title=label,
        dark="#000000",
        light="#ffffff",
        svgclass="qr-code",
        omitsize=False,
    )
    # segno escapes the title; role=img and aria-label name the picture.
    return mark_safe(  # noqa: S308 — segno's own markup, the label escaped
        svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    )
