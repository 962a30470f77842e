"""A URLconf for error-page tests: the portal's own plus a view that crashes."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from portal.urls import handler400, handler403, handler404, handler500, urlpatterns


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom for citizen 0912345678 / an@example.vn / 058090001234")


urlpatterns = [path("test-crash/", crash), *urlpatterns]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
