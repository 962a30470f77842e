"""A short-lived shared cache of whole pages for anonymous visitors.

Django's site cache middleware varies on Cookie (every visitor has a different
visitor-counter cookie), which makes it useless here. This decorator caches one
view's HTML per path, query string, language and a version supplied by the caller,
and only when nothing in the page can belong to one visitor: no user, no pending
message, no CSRF token. The middleware around the view (visitor counter, CSP,
security headers, Content-Language) still runs on every hit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language

KEY_PREFIX = "pagecache:"

View = Callable[..., HttpResponse]


def _seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 5))


def _has_messages(request: HttpRequest) -> bool:
    # len() counts loaded and queued messages without marking them as read.
    if not hasattr(request, "_messages"):
        return False
    return len(get_messages(request)) > 0


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    user = getattr(request, "user", None)
    if user is None or user.is_authenticated:
        return False
    return not _has_messages(request)


def _key(request: HttpRequest, version: object) -> str:
    raw = f"{version}|{get_language()}|{request.get_full_path()}"
    return KEY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or getattr(response, "streaming", False):
        return False
    # A page that asked for a CSRF token, set a cookie or queued a message while
    # rendering holds something of this visitor: never shared.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or response.cookies:
        return False
    return not _has_messages(request)


def cache_anonymous_page(version: Callable[[], object]) -> Callable[[View], View]:
    """Serve anonymous GET/HEAD requests of the view from the default cache.

    `version()` is part of the key: bumping it drops every cached page at once.
    PAGE_CACHE_SECONDS (0 disables) bounds how old a page can be.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            seconds = _seconds()
            if seconds <= 0 or not _cacheable_request(request):
                return view(request, *args, **kwargs)
            key = _key(request, version())
            cached = cache.get(key)
            if cached is not None:
                content, content_type = cached
                response = HttpResponse(content, content_type=content_type)
                response["X-Page-Cache"] = "hit"
                add_never_cache_headers(response)
                return response
            response = view(request, *args, **kwargs)
            if _storable(request, response):
                render = getattr(response, "render", None)
                if render is not None:  # a TemplateResponse
                    render()
                cache.set(key, (response.content, response["Content-Type"]), seconds)
                response["X-Page-Cache"] = "miss"
            add_never_cache_headers(response)
            return response

        return wrapped

    return decorator
