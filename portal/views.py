from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from stats.selectors import home_context


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = home_context()
    return render(request, "portal/home.html", context)


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /tai-khoan/",
        "Disallow: /captcha/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


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
