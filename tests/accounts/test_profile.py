from __future__ import annotations

import json
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from accounts.models import User

pytestmark = pytest.mark.django_db


def profile_data(user: User, **changes: str) -> dict[str, str]:
    data = {
        "full_name": user.full_name,
        "id_number": user.id_number,
        "address": user.address,
        "email": user.email,
        "phone": user.phone,
    }
    return {**data, **changes}


def test_profile_needs_login(client: Client) -> None:
    response = client.get("/tai-khoan/")
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/?next=")


def test_profile_edit_saves_normalised_values(client: Client, citizen: User) -> None:
    client.force_login(citizen)
    response = client.post(
        "/tai-khoan/",
        profile_data(citizen, phone="+84 352 123 456", full_name=" Đặng  Thảo "),
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.phone == "0352123456"
    assert citizen.full_name == "Đặng Thảo"


def test_profile_keeps_its_id_number_when_given_someone_elses(
    client: Client,
    citizen: User,
    other_citizen: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/tai-khoan/",
            profile_data(citizen, id_number=other_citizen.id_number),
            follow=True,
        )
    assert "Nếu thông tin hợp lệ" in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.id_number != other_citizen.id_number
    assert [message.to for message in mail.outbox] == [[other_citizen.email]]


def test_export_contains_the_users_own_data_only(
    client: Client, citizen: User, other_citizen: User
) -> None:
    client.force_login(citizen)
    response = client.get("/tai-khoan/du-lieu.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["id_number"] == citizen.id_number
    assert data["account"]["phone"] == citizen.phone
    assert other_citizen.email not in response.content.decode()


def test_delete_account_needs_the_password(client: Client, citizen: User) -> None:
    client.force_login(citizen)
    response = client.post("/tai-khoan/xoa/", {"password": "sai"})
    assert response.status_code == 200
    assert "Mật khẩu không đúng" in response.content.decode()
    assert User.objects.filter(pk=citizen.pk).exists()


def test_delete_account_erases_it_and_logs_out(client: Client, citizen: User) -> None:
    client.force_login(citizen)
    response = client.post("/tai-khoan/xoa/", {"password": "Mat-khau-an-toan-2026"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=citizen.pk).exists()
    assert "_auth_user_id" not in client.session
