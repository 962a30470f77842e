from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Callable
from typing import Any

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.urls import get_resolver
from django.utils import translation

from portal.lib.logs import request_id_var

_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{8,64}")


class CookieLocaleMiddleware:
    """Pick the language from the language cookie alone.

    The portal is Vietnamese first: a browser set to English still sees Vietnamese
    until its user chooses English in the header, so Accept-Language is ignored.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class RequestIdMiddleware:
    """Give every request an id: in the X-Request-ID header, the logs and 500 pages.

    A well-formed id from the load balancer is kept so one request can be followed
    across proxies. Also refuses bodies over MAX_REQUEST_BYTES with a 413 page before
    anything reads them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_id_var.set(request_id)
        try:
            response = self._too_large(request) or self.get_response(request)
        finally:
            request_id_var.reset(token)
        response.headers["X-Request-ID"] = request_id
        return response

    def _too_large(self, request: HttpRequest) -> HttpResponse | None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length <= settings.MAX_REQUEST_BYTES:
            return None
        # The root URLconf's handler413, named like Django's handler400..500, so
        # that an app answers in its own format (Open311's error list under
        # /open311/); without one, the portal's page.
        resolver = get_resolver(getattr(request, "urlconf", None))
        try:
            handler = resolver.resolve_error_handler(413)
        except AttributeError:
            from portal.views import request_too_large as handler
        response: HttpResponse = handler(request)
        return response


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


# What is worth compressing: pages, API answers, the manifest, the service worker.
_TEXT_TYPES = re.compile(
    r"^(text/|application/(json|xml|manifest\+json|javascript)|image/svg\+xml)"
)


class TextGZipMiddleware(GZipMiddleware):
    """Gzip pages and API answers when the browser accepts it (a mobile page is
    a quarter of its size), also with no compressing proxy in front.

    Photos and downloads are left alone: compressed already, or streamed from
    storage. Static files never get here: WhiteNoise, before this, serves its
    precompressed copies. Django's gzip adds random bytes against BREACH-style
    guessing of the CSRF token through compressed sizes.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        content_type = response.get("Content-Type", "")
        if response.streaming or not _TEXT_TYPES.match(content_type):
            return response
        return super().process_response(request, response)


# Attributes django-csp's decorators put on a response to change its policy.
_CSP_CHANGES = tuple(
    f"_csp_{what}{suffix}"
    for what in ("exempt", "config", "update", "replace")
    for suffix in ("", "_ro")
)


@functools.cache
def _fixed_csp() -> str | None:
    """The Content-Security-Policy header from the settings, built once with
    django-csp's own build_policy; None if the settings need django-csp on each
    response (a report-only policy, excluded URL prefixes)."""
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    if policy.get("EXCLUDE_URL_PREFIXES") or getattr(
        settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None
    ):
        return None
    return build_policy() or None


@receiver(setting_changed)
def _forget_fixed_csp(setting: str, **kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _fixed_csp.cache_clear()


class FixedCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, the header built once instead of per response.

    django-csp rebuilds the policy string from the settings for every response
    (~30 µs, a twentieth of a page served from the page cache). Nothing here
    changes the policy per view or uses a nonce, so the string is the same each
    time. A response whose view did change it (django-csp's decorators), a page
    that used ``request.csp_nonce``, a header already set or a debug error page
    goes through django-csp as before.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        header = _fixed_csp()
        if (
            header is None
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _CSP_CHANGES)
            or HEADER in response
            or (settings.DEBUG and response.status_code in (404, 500))
        ):
            return super().process_response(request, response)
        response[HEADER] = header
        # As django-csp does: a nonce asked for after the header is an error.
        request.csp_nonce = CheckableLazyObject(  # type: ignore[attr-defined]
            self._csp_nonce_post_response
        )
        return response
