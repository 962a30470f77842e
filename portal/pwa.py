"""The installable web app: manifest, icons, service worker, offline page."""

from __future__ import annotations

import hashlib
import json
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

LOGO = settings.BASE_DIR / "static" / "img" / "logo.svg"
# Drawn from LOGO by `manage.py make_icons` (make icons) and committed.
ICON_DIR = settings.BASE_DIR / "static" / "img" / "icons"
# name -> (size, drawing scale, background): maskable icons keep the logo inside
# the central safe zone on a full-bleed background; Apple's icon must be opaque.
ICONS: dict[str, tuple[int, float, str]] = {
    "icon-192": (192, 1.0, ""),
    "icon-512": (512, 1.0, ""),
    "icon-maskable-512": (512, 0.7, settings.PWA_THEME_COLOR),
    "apple-touch-icon-180": (180, 0.86, "#ffffff"),
}
# Static files the service worker keeps, so pages open without a network.
SHELL_STATIC = [
    "bootstrap/css/bootstrap.min.css",
    "js/menu.js",
    "css/portal.css",
    "img/logo.svg",
    "img/favicon.svg",
    "js/pwa.js",
    "js/drafts.js",
    "js/captcha.js",
]
ONE_DAY = 60 * 60 * 24


@cache
def _icon_png(name: str) -> bytes:
    return (ICON_DIR / f"{name}.png").read_bytes()


@require_safe
@cache_control(public=True, max_age=ONE_DAY)
def icon(request: HttpRequest, name: str) -> HttpResponse:
    if name not in ICONS:
        raise Http404
    return HttpResponse(_icon_png(name), content_type="image/png")


@require_safe
@cache_control(public=True, max_age=ONE_DAY)
def manifest(request: HttpRequest) -> HttpResponse:
    def icon_entry(name: str, purpose: str = "any") -> dict[str, str]:
        size = ICONS[name][0]
        return {
            "src": reverse("pwa:icon", args=[name]),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": purpose,
        }

    value = {
        "name": settings.SITE_NAME,
        "short_name": _("Phản ánh NT"),
        "description": _(
            "Gửi phản ánh, kiến nghị và theo dõi kết quả xử lý của cơ quan nhà nước."
        ),
        "lang": "vi",
        "dir": "ltr",
        "id": "/",
        "start_url": "/?nguon=app",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": settings.PWA_THEME_COLOR,
        "background_color": "#ffffff",
        "icons": [
            icon_entry("icon-192"),
            icon_entry("icon-512"),
            icon_entry("icon-maskable-512", "maskable"),
        ],
        "shortcuts": [
            {"name": _("Gửi phản ánh"), "url": reverse("feedback:submit")},
            {"name": _("Tra cứu"), "url": reverse("feedback:lookup")},
        ],
    }
    body = json.dumps(value, ensure_ascii=False)
    return HttpResponse(body, content_type="application/manifest+json; charset=utf-8")


@cache
def _shell_version() -> str:
    """Changes whenever a shell file changes, so browsers drop the old cache."""
    digest = hashlib.sha256()
    for name in SHELL_STATIC:
        path = finders.find(name)
        if isinstance(path, str):
            with open(path, "rb") as handle:
                digest.update(handle.read())
    digest.update(LOGO.read_bytes())
    return digest.hexdigest()[:12]


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    pages = [reverse("pwa:offline"), reverse("home"), reverse("feedback:submit")]
    assets = [static(name) for name in SHELL_STATIC]
    assets += [reverse("pwa:manifest"), reverse("pwa:icon", args=["icon-192"])]
    context = {
        "version": _shell_version(),
        "offline_url": json.dumps(reverse("pwa:offline")),
        "precache": json.dumps(pages + assets),
        "static_prefix": json.dumps(settings.STATIC_URL),
    }
    body = render_to_string("pwa/sw.js", context)
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # Browsers check for a new worker on each visit; never serve a stale one.
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    return render(request, "pwa/offline.html")
