"""The CSP header built once (portal.middleware.FixedCSPMiddleware) is the one
django-csp's own middleware builds for every response, and django-csp still
handles what can change it."""

from __future__ import annotations

from typing import Any, cast

import pytest
from csp.constants import HEADER
from csp.decorators import csp_update
from csp.middleware import CSPMiddleware
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from portal.middleware import FixedCSPMiddleware
from tests.factories import ReportFactory

PAGES = ["/", "/thong-ke/", "/phan-anh/", "/gui-phan-anh/", "/dang-nhap/", "/khong-co/"]


def directives(header: str) -> dict[str, set[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: set(values) for name, *values in parts}


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_every_page_gets_the_header_django_csp_gives_it(
    client: Client, settings: Any, path: str
) -> None:
    ReportFactory(published=True)
    ours = client.get(path)[HEADER]
    settings.MIDDLEWARE = [
        "csp.middleware.CSPMiddleware" if name.endswith("FixedCSPMiddleware") else name
        for name in settings.MIDDLEWARE
    ]
    theirs = Client().get(path)[HEADER]
    assert directives(ours) == directives(theirs)
    assert directives(ours)["script-src"] == {"'self'"}


@pytest.mark.django_db
def test_a_changed_setting_changes_the_header(client: Client, settings: Any) -> None:
    policy = {**settings.CONTENT_SECURITY_POLICY}
    policy["DIRECTIVES"] = {**policy["DIRECTIVES"], "img-src": ["'self'", "tiles.vn"]}
    settings.CONTENT_SECURITY_POLICY = policy
    assert directives(client.get("/")[HEADER])["img-src"] == {"'self'", "tiles.vn"}


def test_a_view_that_changes_the_policy_or_uses_a_nonce_gets_django_csp_s_header() -> (
    None
):
    @csp_update({"img-src": "maps.example.vn"})
    def changed(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    def with_nonce(request: HttpRequest) -> HttpResponse:
        return HttpResponse(str(request.csp_nonce))  # type: ignore[attr-defined]

    factory = RequestFactory()
    headers = {}
    for view in (changed, with_nonce):
        ours, theirs = (
            cast(HttpResponse, middleware(view)(factory.get("/")))[HEADER]
            for middleware in (FixedCSPMiddleware, CSPMiddleware)
        )
        assert directives(ours) == directives(theirs)
        headers[view] = directives(ours)
    assert "maps.example.vn" in headers[changed]["img-src"]
    assert "maps.example.vn" not in headers[with_nonce]["img-src"]
