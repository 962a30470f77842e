from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

# The main menu, in order.
MENU: list[tuple[str, Promise]] = [
    ("home", _("Trang chủ")),
    ("feedback:submit", _("Gửi phản ánh")),
    ("feedback:lookup", _("Tra cứu")),
    ("feedback:list", _("Phản ánh")),
    ("feedback:map", _("Bản đồ")),
    ("stats:announcements", _("Thông báo")),
    ("stats:guides", _("Hướng dẫn")),
    ("stats:statistics", _("Thống kê")),
]

# SITE_NAME comes from the environment, so it cannot be marked where it is set. The
# default is marked here for makemessages and looked up per request: the default
# name shows in English, a custom name shows as configured.
gettext_noop("Hệ thống Phản ánh hiện trường Ninh Thuận")


@cache
def _menu_urls() -> list[tuple[str, str, Promise]]:
    return [(name, reverse(name), label) for name, label in MENU]


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
    # gettext("") would return the catalog header, so an empty name stays empty.
    name = gettext(settings.SITE_NAME) if settings.SITE_NAME else ""
    return {"SITE_NAME": name, "menu": menu}
