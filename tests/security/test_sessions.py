"""Session and redirect attacks: fixation, replay after logout, expired reset
links, open redirects through next=, and the headers on every kind of page."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client

from accounts.models import User
from feedback.models import Status
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Mat-khau-an-toan-2026"  # tests.factories.UserFactory's
EVIL = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "http:evil.example",
    "https:/evil.example",
]


def test_session_fixation_a_planted_session_id_is_replaced_at_login(
    citizen: User,
) -> None:
    client = Client()
    client.get("/dang-nhap/")
    client.cookies[django_settings.SESSION_COOKIE_NAME] = "attacker-chosen-id-123456"
    client.post("/dang-nhap/", {"username": citizen.username, "password": PASSWORD})
    new = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert new != "attacker-chosen-id-123456"
    assert client.get("/tai-khoan/").status_code == 200


def test_logout_kills_the_session_so_a_copied_cookie_no_longer_works(
    citizen: User,
) -> None:
    client = Client()
    client.post("/dang-nhap/", {"username": citizen.username, "password": PASSWORD})
    stolen = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert client.get("/tai-khoan/").status_code == 200
    assert client.post("/dang-xuat/").status_code == 302

    replay = Client()
    replay.cookies[django_settings.SESSION_COOKIE_NAME] = stolen
    response = replay.get("/tai-khoan/")
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/")


def test_logout_by_get_or_cross_site_post_does_nothing(citizen: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    assert client.get("/dang-xuat/").status_code == 405
    assert client.post("/dang-xuat/").status_code == 403  # no CSRF token
    assert client.get("/tai-khoan/").status_code == 200  # still logged in


def test_password_reset_link_expires(
    client: Client,
    citizen: User,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/quen-mat-khau/", {"email": citizen.email})
    link = re.search(r"https?://[^/\s]+(/dat-lai-mat-khau/\S+/)", mail.outbox[0].body)
    assert link
    # The token generator compares against "now": move now past the timeout.
    from django.contrib.auth.tokens import default_token_generator

    later = datetime.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    page = client.get(link.group(1), follow=True)
    assert "không hợp lệ hoặc đã được dùng" in page.content.decode()
    assert "new_password1" not in page.content.decode()


@pytest.mark.parametrize("target", EVIL)
def test_open_redirect_refused_on_login(
    client: Client, citizen: User, target: str
) -> None:
    response = client.post(
        "/dang-nhap/?next=" + target,
        {"username": citizen.username, "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == "/tai-khoan/"


@pytest.mark.parametrize("target", EVIL)
def test_open_redirect_refused_on_logout(
    client: Client, citizen: User, target: str
) -> None:
    client.force_login(citizen)
    response = client.post("/dang-xuat/?next=" + target, {"next": target})
    assert response.status_code == 302
    assert "evil" not in response["Location"]
    assert response["Location"].startswith("/")
    assert not response["Location"].startswith("//")


@pytest.mark.parametrize("target", EVIL)
def test_open_redirect_refused_on_the_language_links(
    client: Client, target: str
) -> None:
    response = client.get("/ngon-ngu/en/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies["django_language"].value == "en"
    local = client.get("/ngon-ngu/vi/", {"next": "/thong-ke/?category=x"})
    assert local["Location"] == "/thong-ke/?category=x"


@pytest.mark.parametrize("target", EVIL)
def test_open_redirect_refused_on_set_language(client: Client, target: str) -> None:
    # The old POST form's URL still works (bookmarked forms, other code).
    response = client.post("/ngon-ngu/", {"language": "en", "next": target})
    assert response.status_code == 302
    assert "evil" not in response["Location"]
    assert not response["Location"].startswith("//")
    referer = client.post(
        "/ngon-ngu/", {"language": "vi"}, HTTP_REFERER="https://evil.example/x"
    )
    assert "evil" not in referer.get("Location", "")


def _report_page(client: Client) -> str:
    report = ReportFactory(status=Status.RESOLVED)
    report.__class__.objects.filter(pk=report.pk).update(is_published=True)
    return f"/phan-anh/{report.code}/"


@pytest.mark.parametrize(
    "url", ["/gui-phan-anh/", "/tra-cuu/", "/phan-anh/", "report-page", "/thong-ke/"]
)
def test_security_headers_on_the_report_form_and_a_report_page(
    client: Client, url: str
) -> None:
    if url == "report-page":
        url = _report_page(client)
    response = client.get(url)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    directives = dict(
        [*part.strip().split(" ", 1), ""][:2] for part in csp.split(";") if part
    )
    assert "unsafe-inline" not in directives["script-src"]
    assert "unsafe-eval" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    # No inline script at all (CSP would block it; the page must not need it).
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


def test_attachment_downloads_are_private_and_not_sniffed(
    client: Client, citizen: User, media: Path
) -> None:
    from tests.factories import AttachmentFactory

    report = ReportFactory(reporter=citizen)
    attachment = AttachmentFactory(report=report)
    client.force_login(citizen)
    response = client.get(f"/phan-anh/{report.code}/tep/{attachment.pk}/")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert User.objects.count() == 1
