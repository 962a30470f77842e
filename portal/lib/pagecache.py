"""A short-lived shared cache of whole pages for anonymous visitors.

Django's site cache middleware varies on Cookie (every visitor has a different
visitor-counter cookie), which makes it useless here. This module caches one
view's HTML per path, query string, language and a version supplied by the caller,
and only when nothing in the page can belong to one visitor: no user, no pending
message. A page with forms is rendered with a placeholder where each form's CSRF
token goes (the ``context`` processor below); every visitor served from the cache
gets their own token written into it. The middleware around the view (visitor
counter, CSP, security headers, Content-Language) still runs on every hit.

``cache_anonymous_page`` wraps a whole view; ``serve`` and ``store`` are the same
steps for a view that must do some work of its own before a page may be served
(the report page counts code look-ups first).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language

KEY_PREFIX = "pagecache:"
# Where a cached page's forms take the visitor's CSRF token: letters only, so no
# escaping changes it, and long enough never to occur in real content.
CSRF_HOLE = "pagecacheCsrfTokenHole7q2w9e"
_RENDERING = "_pagecache_rendering"
# A page is kept this many times its lifetime, to be served while it is
# rendered anew; a render that fails frees the page for another after this.
KEEP_FACTOR = 10
RENDER_LOCK_SECONDS = 30

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


def bump(key: str) -> None:
    """Give a version key (see ``cache_anonymous_page``) its next value: every
    page stored under the old one is dropped at once."""
    cache.add(key, 1, timeout=None)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 2, timeout=None)


def page_key(request: HttpRequest, *parts: object) -> str:
    """The key of this request's page, for ``serve``/``store``: path, query
    string and language, under ``parts`` chosen by the view."""
    return _key(request, "|".join(map(str, parts)))


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or getattr(response, "streaming", False):
        return False
    # A page that asked for a real CSRF token, set a cookie or queued a message
    # while rendering holds something of this visitor: never shared.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or response.cookies:
        return False
    return not _has_messages(request)


def context(request: HttpRequest) -> dict[str, Any]:
    """Template context processor (after Django's own csrf one): while a page is
    rendered for the cache, forms get the placeholder instead of a token."""
    if getattr(request, _RENDERING, False):
        return {"csrf_token": CSRF_HOLE}
    return {}


def _fill(request: HttpRequest, content: bytes) -> bytes:
    hole = CSRF_HOLE.encode()
    if hole not in content:
        return content
    return content.replace(hole, get_token(request).encode())


def enabled(request: HttpRequest) -> bool:
    """Whether this request may be answered from, or stored in, the cache."""
    return _seconds() > 0 and _cacheable_request(request)


def respond(
    request: HttpRequest, content: bytes, content_type: str, *, never_cache: bool = True
) -> HttpResponse:
    response = HttpResponse(_fill(request, content), content_type=content_type)
    response["X-Page-Cache"] = "hit"
    if never_cache:
        add_never_cache_headers(response)
    return response


def fetch(key: str, *others: str) -> tuple[Any, dict[str, Any]]:
    """The entry cached under ``key`` and the values of ``others``, in one round
    trip (the keys versioning the page, a rate limit...)."""
    found = cache.get_many([key, *others])
    return found.get(key), found


def serve(
    request: HttpRequest,
    key: str,
    entry: Any,
    version: object = None,
    *,
    never_cache: bool = True,
) -> HttpResponse | None:
    """The page of the entry ``fetch``ed under ``key``, if it was stored with
    ``version``.

    An entry past its time but of the current version is still served while
    one request (the one this returns None to) renders it anew: a page that
    takes long to render (a search) never holds up every visitor at once.
    ``never_cache``: tell browsers not to keep it either (pages whose figures
    change by the minute)."""
    if entry is None or len(entry) != 4 or entry[2] != version:
        return None
    content, content_type, _version, fresh_until = entry
    if not may_serve(key, fresh_until):
        return None
    return respond(request, content, content_type, never_cache=never_cache)


def may_serve(key: str, fresh_until: float) -> bool:
    """Whether what is cached under ``key`` may be served: still fresh, or past
    its time while another request renders it anew. The first request to find
    it past its time is told no, and renders it (then ``store`` or ``keep``)."""
    if time.time() < fresh_until:
        return True
    return not cache.add(f"{key}:rendering", 1, timeout=RENDER_LOCK_SECONDS)


def keep(key: str, values: dict[str, Any], seconds: int) -> None:
    """Cache ``values`` (other views' shared answers, rendered under ``key``)
    fresh for ``seconds``, then served while rendered anew: each is stored as
    (value, fresh until), for ``may_serve``."""
    fresh_until = time.time() + seconds
    kept = {name: (value, fresh_until) for name, value in values.items()}
    cache.set_many(kept, KEEP_FACTOR * seconds)
    cache.delete(f"{key}:rendering")


def render_for_cache(
    request: HttpRequest, view: Callable[[], HttpResponse]
) -> HttpResponse:
    """Call ``view`` with forms rendered around the CSRF placeholder."""
    setattr(request, _RENDERING, True)
    try:
        response = view()
        render = getattr(response, "render", None)
        if render is not None:  # a TemplateResponse renders lazily
            render()
    finally:
        setattr(request, _RENDERING, False)
    return response


def store(
    request: HttpRequest,
    key: str,
    response: HttpResponse,
    version: object = None,
    seconds: int | None = None,
    *,
    never_cache: bool = True,
) -> HttpResponse:
    """Keep a page ``render_for_cache`` made (if nothing in it is this visitor's)
    and give this visitor their token in it."""
    seconds = _seconds() if seconds is None else seconds
    if _storable(request, response):
        entry = (response.content, response["Content-Type"], version)
        # Kept past its time only to be served while it is rendered anew.
        cache.set(key, (*entry, time.time() + seconds), KEEP_FACTOR * seconds)
        response["X-Page-Cache"] = "miss"
    cache.delete(f"{key}:rendering")
    response.content = _fill(request, response.content)
    if never_cache:
        add_never_cache_headers(response)
    return response


def cache_anonymous_page(version_keys: Sequence[str]) -> Callable[[View], View]:
    """Serve anonymous GET/HEAD requests of the view from the default cache.

    The values under ``version_keys`` (1 while unset) version the page and are
    read with it in one round trip: bumping one drops every page stored under
    it at once. PAGE_CACHE_SECONDS (0 disables) bounds how old a page can be.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not enabled(request):
                return view(request, *args, **kwargs)
            key = _key(request, "")
            entry, found = fetch(key, *version_keys)
            version = tuple(found.get(k, 1) for k in version_keys)
            hit = serve(request, key, entry, version)
            if hit is not None:
                return hit
            response = render_for_cache(request, lambda: view(request, *args, **kwargs))
            return store(request, key, response, version)

        return wrapped

    return decorator
