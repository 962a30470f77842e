from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from stats.selectors import home_context


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = home_context()
    context["zalo_qr"] = mark_safe(context["zalo_qr"])  # noqa: S308 - built by segno
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
