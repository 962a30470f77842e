from __future__ import annotations

import re
import secrets
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from stats import counters

VISITOR_COOKIE = "pa_visitor"
# Crawlers, link previewers, monitors and command-line clients are not visitors.
_BOTS = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|zalo.*preview|preview|"
    r"monitor|pingdom|uptime|curl|wget|python-requests|httpx|go-http-client|"
    r"headless|lighthouse|scrapy|java/|libwww",
    re.IGNORECASE,
)


def is_bot(user_agent: str) -> bool:
    return not user_agent or bool(_BOTS.search(user_agent))


class VisitorCounterMiddleware:
    """Counts page views of people; the id cookie is random and carries nothing else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.skipped_prefixes = tuple(
            prefix
            for prefix in (
                settings.STATIC_URL,
                settings.MEDIA_URL,
                "/admin/",
                "/captcha/",
                "/healthz",
                "/robots.txt",
                "/sitemap.xml",
                "/favicon.ico",
                # The installable app's files and the partners' API.
                "/sw.js",
                "/manifest.webmanifest",
                "/ung-dung/",
                "/open311/v2/",
            )
            if prefix
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._counts(request):
            return self.get_response(request)
        visitor_id = request.COOKIES.get(VISITOR_COOKIE)
        is_new_cookie = not counters.valid_visitor_id(visitor_id)
        if is_new_cookie:
            visitor_id = secrets.token_urlsafe(18)
        assert visitor_id is not None
        counters.default_counter.hit(visitor_id, new_cookie=is_new_cookie)
        response = self.get_response(request)
        if is_new_cookie:
            response.set_cookie(
                VISITOR_COOKIE,
                visitor_id,
                max_age=365 * 24 * 3600,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def _counts(self, request: HttpRequest) -> bool:
        if request.method not in ("GET", "POST"):
            return False
        if request.path.startswith(self.skipped_prefixes):
            return False
        # Background fetches (the service worker caching pages for offline use,
        # scripts) are not visits; browsers mark a page opened by a person
        # "navigate". Clients that send no such header are still counted.
        mode = request.headers.get("Sec-Fetch-Mode")
        if mode is not None and mode != "navigate":
            return False
        return not is_bot(request.headers.get("User-Agent", ""))
