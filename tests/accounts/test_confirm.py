from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail, signing
from django.test import Client

from accounts import services
from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(db: None) -> User:
    """A citizen who registered but has not opened the confirmation link yet."""
    return UserFactory(is_active=False, email_confirmed_at=None)


def test_valid_link_activates_the_account(client: Client, pending: User) -> None:
    token = services.make_confirm_token(pending, pending.email)
    response = client.get(f"/dang-ky/xac-nhan/{token}/")
    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/"
    pending.refresh_from_db()
    assert pending.is_active
    assert pending.email_confirmed_at is not None


def test_expired_link_is_refused(
    client: Client, pending: User, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The signer stamps tokens with time.time(): sign one as if a second past the
    # allowed age ago, then check it with the real clock.
    issued = time.time() - settings.ACCOUNT_CONFIRM_MAX_AGE - 1
    with monkeypatch.context() as past:
        past.setattr(signing, "time", SimpleNamespace(time=lambda: issued))
        token = services.make_confirm_token(pending, pending.email)
    response = client.get(f"/dang-ky/xac-nhan/{token}/")
    assert response.status_code == 400
    assert "đã hết hạn" in response.content.decode()
    pending.refresh_from_db()
    assert not pending.is_active


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("aa" if not token.endswith("aa") else "bb"),
        lambda token: token[5:],
        lambda token: "x" + token,
    ],
)
def test_tampered_link_is_refused(client: Client, pending: User, tamper: Any) -> None:
    token = tamper(services.make_confirm_token(pending, pending.email))
    response = client.get(f"/dang-ky/xac-nhan/{token}/")
    assert response.status_code == 400
    assert "không hợp lệ" in response.content.decode()
    pending.refresh_from_db()
    assert not pending.is_active


def test_link_signed_with_another_purpose_is_refused(
    client: Client, pending: User
) -> None:
    token = signing.dumps({"u": pending.pk, "e": pending.email}, salt="other")
    response = client.get(f"/dang-ky/xac-nhan/{token}/")
    assert response.status_code == 400
    pending.refresh_from_db()
    assert not pending.is_active


def test_inactive_user_cannot_log_in_and_is_told_why(
    client: Client, pending: User
) -> None:
    response = client.post(
        "/dang-nhap/",
        {"username": pending.username, "password": "Mat-khau-an-toan-2026"},
    )
    assert response.status_code == 200
    assert "chưa được kích hoạt" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_resend_sends_a_new_link_only_to_inactive_accounts(
    client: Client,
    pending: User,
    citizen: User,
    captcha_pass: dict[str, str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/dang-ky/gui-lai/", {"email": pending.email.upper(), **captcha_pass}
        )
        client.post("/dang-ky/gui-lai/", {"email": citizen.email, **captcha_pass})
        client.post("/dang-ky/gui-lai/", {"email": "nobody@example.vn", **captcha_pass})
    with_link = [m.to for m in mail.outbox if "/dang-ky/xac-nhan/" in m.body]
    assert with_link == [[pending.email]]
    # The others are told no account waits for them (the same work either way).
    notices = [m.to for m in mail.outbox if "/dang-ky/xac-nhan/" not in m.body]
    assert notices == [[citizen.email], ["nobody@example.vn"]]


def test_email_change_waits_for_confirmation(
    client: Client, citizen: User, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(citizen)
    old_email = citizen.email
    data = {
        "full_name": citizen.full_name,
        "id_number": citizen.id_number,
        "address": citizen.address,
        "email": "moi@example.vn",
        "phone": citizen.phone,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/tai-khoan/", data)
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.email == old_email
    assert mail.outbox[0].to == ["moi@example.vn"]
    link = next(
        line
        for line in mail.outbox[0].body.splitlines()
        if "/dang-ky/xac-nhan/" in line
    )
    client.get(link.split("/dang-ky/", 1)[1].join(["/dang-ky/", ""]))
    citizen.refresh_from_db()
    assert citizen.email == "moi@example.vn"


def test_email_change_link_fails_if_the_address_was_taken_meanwhile(
    client: Client, citizen: User, other_citizen: User
) -> None:
    token = services.make_confirm_token(citizen, other_citizen.email.upper())
    response = client.get(f"/dang-ky/xac-nhan/{token}/")
    assert response.status_code == 400
    citizen.refresh_from_db()
    assert citizen.email != other_citizen.email.upper()
