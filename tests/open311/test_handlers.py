"""Errors raised around the Open311 views still answer in Open311 format."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client

from tests.open311.helpers import BASE, errors_of


class FailingMiddleware:
    """Fails after the view ran, as a broken session or cache store would."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self.get_response(request)
        raise RuntimeError("session store unavailable")


@pytest.fixture
def failing(settings: Any) -> Client:
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "tests.open311.test_handlers.FailingMiddleware",
    ]
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_failure_outside_the_view_is_open311_500(
    failing: Client, db: None, fmt: str
) -> None:
    response = failing.get(BASE + f"services.{fmt}")
    assert response.status_code == 500
    ((code, description),) = errors_of(response, fmt)
    assert code == 500
    assert "session store" not in description


def test_other_pages_keep_the_portal_error_page(failing: Client, db: None) -> None:
    response = failing.get("/tra-cuu/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


def test_bad_host_under_open311_is_open311_400(client: Client, db: None) -> None:
    response = client.get(BASE + "services.json", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert errors_of(response, "json")[0][0] == 400
    page = client.get("/tra-cuu/", HTTP_HOST="evil.example")
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_body_over_the_limit_under_open311_is_open311_413(
    client: Client, db: None, settings: Any, fmt: str
) -> None:
    too_big = str(settings.MAX_REQUEST_BYTES + 1)
    response = client.generic(
        "POST",
        BASE + f"requests.{fmt}",
        b"api_key=x",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=too_big,
    )
    assert response.status_code == 413
    ((code, description),) = errors_of(response, fmt)
    assert code == 413
    assert "quá lớn" in description
    assert response["X-Request-ID"]
    page = client.generic(
        "POST",
        "/dang-nhap/",
        b"x",
        content_type="application/octet-stream",
        CONTENT_LENGTH=too_big,
    )
    assert page.status_code == 413
    assert page["Content-Type"].startswith("text/html")
