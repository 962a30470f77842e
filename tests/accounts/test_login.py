from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "Mat-khau-an-toan-2026"


def login(client: Client, username: str, password: str = PASSWORD) -> Any:
    return client.post("/dang-nhap/", {"username": username, "password": password})


@pytest.mark.parametrize("identifier", ["username", "USERNAME", "email", "EMAIL"])
def test_login_with_username_or_email_in_any_case(
    client: Client, citizen: User, identifier: str
) -> None:
    value = getattr(citizen, identifier.lower())
    value = value.upper() if identifier.isupper() else value
    response = login(client, value)
    assert response.status_code == 302
    assert response["Location"] == "/tai-khoan/"
    assert client.session["_auth_user_id"] == str(citizen.pk)


def test_wrong_password_is_refused_with_a_clear_message(
    client: Client, citizen: User
) -> None:
    response = login(client, citizen.username, "sai-mat-khau")
    assert response.status_code == 200
    assert "mật khẩu không đúng" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_session_id_rotates_at_login(client: Client, citizen: User) -> None:
    client.get("/dang-nhap/")
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key
    login(client, citizen.username)
    assert client.session.session_key != before


def test_five_failures_lock_the_account_for_this_ip(
    client: Client, citizen: User
) -> None:
    for _ in range(4):
        assert login(client, citizen.username, "sai").status_code == 200
    locked = login(client, citizen.email, "sai")  # the email counts as the same account
    assert locked.status_code == 429
    assert "15 phút" in locked.content.decode()
    # Even the right password is refused while locked.
    assert login(client, citizen.username).status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_does_not_touch_other_accounts(
    client: Client, citizen: User, other_citizen: User
) -> None:
    for _ in range(5):
        login(client, citizen.username, "sai")
    assert login(client, other_citizen.username).status_code == 302


def test_lockout_ends_after_fifteen_minutes(
    client: Client, citizen: User, captcha_pass: dict[str, str]
) -> None:
    from datetime import timedelta

    from axes.models import AccessAttempt

    for _ in range(5):
        login(client, citizen.username, "sai")
    assert login(client, citizen.username).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    # No longer locked; the failures still ask for the captcha (accounts/throttle).
    response = client.post(
        "/dang-nhap/",
        {"username": citizen.username, "password": PASSWORD, **captcha_pass},
    )
    assert response.status_code == 302


def test_logout_needs_post(client: Client, citizen: User) -> None:
    client.force_login(citizen)
    assert client.get("/dang-xuat/").status_code == 405
    assert "_auth_user_id" in client.session
    assert client.post("/dang-xuat/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_open_redirect_after_login_is_refused(client: Client, citizen: User) -> None:
    response = client.post(
        "/dang-nhap/?next=https://evil.example/",
        {
            "username": citizen.username,
            "password": PASSWORD,
            "next": "https://evil.example/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/tai-khoan/"


def test_password_reset_link_works_once(
    client: Client, citizen: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/quen-mat-khau/", {"email": citizen.email.upper()})
    assert response.status_code == 302
    assert mail.outbox[0].to == [citizen.email]
    link = re.search(r"https?://[^/\s]+(/dat-lai-mat-khau/\S+/)", mail.outbox[0].body)
    assert link
    form_page = client.get(link.group(1), follow=True)
    set_url = form_page.redirect_chain[-1][0]
    new_password = "Thap-Cham-moi-2027"
    done = client.post(
        set_url, {"new_password1": new_password, "new_password2": new_password}
    )
    assert done.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password(new_password)
    again = client.get(link.group(1), follow=True)
    assert "không hợp lệ hoặc đã được dùng" in again.content.decode()


def test_password_change_logs_out_other_sessions(citizen: User) -> None:
    phone, laptop = Client(), Client()
    phone.force_login(citizen)
    laptop.force_login(citizen)
    new_password = "Doi-mat-khau-2027"
    response = laptop.post(
        "/tai-khoan/doi-mat-khau/",
        {
            "old_password": PASSWORD,
            "new_password1": new_password,
            "new_password2": new_password,
        },
    )
    assert response.status_code == 302
    assert laptop.get("/tai-khoan/").status_code == 200
    assert phone.get("/tai-khoan/").status_code == 302  # sent to the login page
