from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_safe

from portal.lib.pagecache import cache_anonymous_page
from stats.selectors import PAGE_VERSION_KEYS, home_context


@require_safe
@cache_anonymous_page(PAGE_VERSION_KEYS)
def home(request: HttpRequest) -> HttpResponse:
    context = home_context()
    return render(request, "portal/home.html", context)


@require_GET
def choose_language(request: HttpRequest, code: str) -> HttpResponse:
    """The header's language links: set the language cookie, go back to `next`.

    Plain links instead of a POST form, so pages carry no CSRF token and can be
    cached for every anonymous visitor. Only a local `next` is followed.
    """
    if code not in {language for language, _name in settings.LANGUAGES}:
        raise Http404
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]  # "Lax"
    )
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /tai-khoan/",
        "Disallow: /captcha/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages without an icon link (admin too)."""
    return HttpResponseRedirect(static("img/favicon.svg"))


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers: touches neither the database nor the cache."""
    return HttpResponse("ok", content_type="text/plain")


def _error(request: HttpRequest, template: str, status: int) -> HttpResponse:
    context = {"request_id": getattr(request, "request_id", "")}
    return render(request, template, context, status=status)


def bad_request(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    return _error(request, "errors/400.html", 400)


def permission_denied(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    return _error(request, "errors/403.html", 403)


def page_not_found(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    return _error(request, "errors/404.html", 404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(request, "errors/403_csrf.html", 403)


def request_too_large(request: HttpRequest) -> HttpResponse:
    return _error(request, "errors/413.html", 413)


def server_error(request: HttpRequest) -> HttpResponse:
    # Kept to the plain layout: whatever failed may fail again while rendering.
    try:
        return _error(request, "errors/500.html", 500)
    except Exception:  # the last resort must answer something
        return HttpResponse(
            "Lỗi hệ thống. Mã yêu cầu: " + getattr(request, "request_id", ""),
            status=500,
            content_type="text/plain; charset=utf-8",
        )


def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: the database and the cache both answer."""
    from django.core.cache import cache
    from django.db import connection

    problems = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        problems.append("database")
    try:
        cache.set("readyz", "1", 5)
        if cache.get("readyz") != "1":
            problems.append("cache")
    except Exception:
        problems.append("cache")
    if problems:
        return HttpResponse(
            "unavailable: " + ", ".join(problems), status=503, content_type="text/plain"
        )
    return HttpResponse("ready", content_type="text/plain")
