"""Links in emails come from SITE_URL; link tokens and searches stay out of logs."""

from __future__ import annotations

import base64
import io
import logging
import re
from collections.abc import Iterator
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from accounts import services
from accounts.models import User
from portal.lib.logs import PersonalDataFilter, mask
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SITE = "https://phananh.example.gov.vn"
ATTACKER_HOST = "127.0.0.1:31337"


@pytest.fixture
def site(settings: Any) -> None:
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["127.0.0.1", "phananh.example.gov.vn"]


def _links(body: str) -> list[str]:
    return re.findall(r"https?://\S+", body)


def test_reset_link_comes_from_site_url_not_the_host_header_port(
    client: Client, site: None, django_capture_on_commit_callbacks: Any
) -> None:
    citizen = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/quen-mat-khau/", {"email": citizen.email}, HTTP_HOST=ATTACKER_HOST
        )
    (message,) = mail.outbox
    links = _links(message.body) + _links(str(message.alternatives[0][0]))
    assert links
    assert all(link.startswith(SITE + "/") for link in links), links
    assert "31337" not in message.body


def test_confirmation_link_comes_from_site_url_not_the_host_header_port(
    client: Client,
    site: None,
    captcha_pass: dict[str, str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    pending = UserFactory(is_active=False, email_confirmed_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/dang-ky/gui-lai/",
            {"email": pending.email, **captcha_pass},
            HTTP_HOST=ATTACKER_HOST,
        )
    (message,) = mail.outbox
    links = _links(message.body)
    assert links and all(link.startswith(SITE + "/dang-ky/xac-nhan/") for link in links)
    assert "31337" not in message.body


def _decoded_parts(token: str) -> str:
    decoded = []
    for part in re.split(r"[:.]", token):
        padded = part + "=" * (-len(part) % 4)
        try:
            decoded.append(base64.urlsafe_b64decode(padded).decode("latin-1"))
        except ValueError:
            continue
    return " ".join(decoded)


def test_confirmation_token_does_not_carry_the_email() -> None:
    user = UserFactory(email="ten.rieng@example.vn", is_active=False)
    token = services.make_confirm_token(user, user.email)
    readable = _decoded_parts(token)
    assert "ten.rieng" not in readable and "example.vn" not in readable
    assert "ten.rieng" not in token


def test_confirmation_token_for_a_new_address_works_without_naming_it(
    client: Client, citizen: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.send_confirmation(user=citizen, email="dia.chi.moi@example.vn")
    path = re.search(r"(/dang-ky/xac-nhan/\S+/)", mail.outbox[0].body)
    assert path and "dia.chi.moi" not in _decoded_parts(path.group(1))
    assert client.get(path.group(1)).status_code == 302
    citizen.refresh_from_db()
    assert citizen.email == "dia.chi.moi@example.vn"
    assert citizen.pending_email == ""


@pytest.fixture
def request_log() -> Iterator[io.StringIO]:
    """What the production handler would write for django.request (masked)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(PersonalDataFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)


def test_failed_confirmation_log_line_holds_no_token(
    client: Client, request_log: io.StringIO
) -> None:
    user = UserFactory(is_active=False)
    token = services.make_confirm_token(user, "someone.else@example.vn")
    response = client.get(f"/dang-ky/xac-nhan/{token}/")
    assert response.status_code == 400
    logged = request_log.getvalue()
    assert "/dang-ky/xac-nhan/[token]/" in logged
    assert token not in logged


def test_reset_link_and_admin_search_are_redacted_from_logged_paths() -> None:
    line = mask(
        'GET /dat-lai-mat-khau/Nw/cq2x-4f1e0a9b7c/ 200 "GET '
        '/admin/accounts/user/?q=Tran+Van+Binh&o=1 HTTP/1.1"'
    )
    assert "cq2x" not in line and "Tran+Van+Binh" not in line
    assert "/dat-lai-mat-khau/[token]/" in line and "q=[redacted]&o=1" in line


def test_gunicorn_access_log_lines_are_masked() -> None:
    from gunicorn.config import Config

    from portal.lib.gunicorn_logger import MaskingLogger

    logger = MaskingLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/admin/feedback/report/?q=0912345678",
        "PATH_INFO": "/admin/feedback/report/",
        "QUERY_STRING": "q=0912345678",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://x/dang-ky/xac-nhan/eyJ1Ijo3fQ:abc/",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = SimpleNamespace(headers=[("COOKIE", "sessionid=s3cret")])
    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=5))
    assert "0912345678" not in atoms["r"] and "0912345678" not in atoms["q"]
    assert "eyJ1Ijo3fQ" not in atoms["f"]
    assert "{cookie}i" not in atoms
