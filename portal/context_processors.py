from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The main menu, in order. An entry whose page is not routed is left out, so the
# menu never links to a 404.
MENU: list[tuple[str, Promise]] = [
    ("home", _("Trang chủ")),
    ("feedback:submit", _("Gửi phản ánh")),
    ("feedback:lookup", _("Tra cứu")),
    ("feedback:list", _("Phản ánh")),
    ("stats:announcements", _("Thông báo")),
    ("stats:guides", _("Hướng dẫn")),
    ("stats:statistics", _("Thống kê")),
]


@cache
def _menu_urls() -> list[tuple[str, str, Promise]]:
    entries = []
    for name, label in MENU:
        try:
            entries.append((name, reverse(name), label))
        except NoReverseMatch:
            continue
    return entries


def site(request: HttpRequest) -> dict[str, Any]:
    path = request.path
    menu = [
        {
            "url": url,
            "label": label,
            "current": path == url if url == "/" else path.startswith(url),
        }
        for _name, url, label in _menu_urls()
    ]
    return {"SITE_NAME": settings.SITE_NAME, "menu": menu}
