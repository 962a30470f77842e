"""The Zalo Official Account's QR code, shown on the home page and the Zalo guide."""

from __future__ import annotations

from functools import lru_cache

from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal.lib.qr import qr_svg as make_qr_svg


def qr_svg(url: str, scale: int = 4) -> SafeString:
    return _qr_svg(url, scale, get_language() or "")


@lru_cache(maxsize=16)
def _qr_svg(url: str, scale: int, language: str) -> SafeString:
    # Cached per URL and language: the code never changes while the setting holds.
    return make_qr_svg(url, _("Mã QR Zalo: %(url)s") % {"url": url}, scale=scale)
