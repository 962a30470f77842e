"""The Zalo Official Account's QR code, shown on the home page and the Zalo guide."""

from __future__ import annotations

from django.conf import settings
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from portal.lib.qr import qr_svg


def zalo_qr() -> SafeString:
    """The QR code of ZALO_OA_URL, named in the current language."""
    url = settings.ZALO_OA_URL
    return qr_svg(url, _("Mã QR Zalo: %(url)s") % {"url": url})
