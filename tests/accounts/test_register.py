from __future__ import annotations

from typing import Any

import pytest
from captcha.models import CaptchaStore
from django.core import mail
from django.test import Client

from accounts.models import User

pytestmark = pytest.mark.django_db

VALID = {
    "username": "lethicuc",
    "password1": "Nui-Chua-xanh-2026",
    "password2": "Nui-Chua-xanh-2026",
    "full_name": "Lê Thị Cúc",
    "id_number": "058190001111",
    "address": "7 Ngô Gia Tự, Phan Rang - Tháp Chàm",
    "email": "cuc@example.vn",
    "phone": "0987 111 222",
    "consent": "on",
}


def post(client: Client, captcha: dict[str, str], **changes: Any) -> Any:
    data = {**VALID, **captcha, **changes}
    return client.post("/dang-ky/", {k: v for k, v in data.items() if v is not None})


def test_valid_registration_creates_inactive_user_and_sends_link(
    client: Client,
    captcha_pass: dict[str, str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, captcha_pass)
    assert response.status_code == 302
    assert response["Location"] == "/dang-ky/thanh-cong/"
    user = User.objects.get(username="lethicuc")
    assert not user.is_active
    assert user.full_name == "Lê Thị Cúc"
    assert user.phone == "0987111222"
    assert user.consent_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["cuc@example.vn"]
    assert "/dang-ky/xac-nhan/" in mail.outbox[0].body
    page = client.get(response["Location"])
    assert "Đăng ký tài khoản thành công" in page.content.decode()


def test_no_email_leaves_when_registration_fails(
    client: Client,
    captcha_pass: dict[str, str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        post(client, captcha_pass, phone="123")
    assert mail.outbox == []
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("username", "", "bắt buộc"),
        ("username", "có dấu cách", "chữ không dấu"),
        ("id_number", "12345", "CMND có 9 chữ số"),
        ("id_number", "099190001111", "không phải mã tỉnh"),
        ("phone", "0112345678", "Số điện thoại không hợp lệ"),
        ("email", "not-an-email", "email không hợp lệ"),
        ("full_name", "A", "đầy đủ họ và tên"),
        ("full_name", "Nguyễn 123", "không được chứa chữ số"),
        ("address", "x", "địa chỉ đầy đủ hơn"),
        ("password2", "Khac-mat-khau-1", "không giống nhau"),
        ("consent", None, "cần đồng ý xử lý dữ liệu cá nhân"),
    ],
)
def test_each_bad_field_gets_a_vietnamese_message(
    client: Client, captcha_pass: dict[str, str], field: str, value: Any, message: str
) -> None:
    response = post(client, captcha_pass, **{field: value})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message.lower() in " ".join(errors[field]).lower(), errors[field]
    assert not User.objects.exists()


def test_form_keeps_what_was_typed_except_passwords(
    client: Client, captcha_pass: dict[str, str]
) -> None:
    response = post(client, captcha_pass, phone="123")
    content = response.content.decode()
    assert 'value="Lê Thị Cúc"' in content
    assert 'value="058190001111"' in content
    assert "Nui-Chua-xanh-2026" not in content


@pytest.mark.parametrize(
    "password", ["12345678", "password123", "lethicuc2026", "Ab1!"]
)
def test_weak_passwords_are_refused(
    client: Client, captcha_pass: dict[str, str], password: str
) -> None:
    response = post(client, captcha_pass, password1=password, password2=password)
    assert "password2" in response.context["form"].errors
    assert not User.objects.exists()


def test_wrong_captcha_creates_no_user(client: Client) -> None:
    client.get("/dang-ky/")
    store = CaptchaStore.objects.order_by("-pk").first()
    assert store is not None
    response = post(
        client, {"captcha_0": store.hashkey, "captcha_1": store.response + "x"}
    )
    assert "Mã xác thực không đúng" in " ".join(
        response.context["form"].errors["captcha"]
    )
    assert not User.objects.exists()


def test_right_captcha_answer_is_accepted_once(client: Client) -> None:
    client.get("/dang-ky/")
    store = CaptchaStore.objects.order_by("-pk").first()
    assert store is not None
    answer = {"captcha_0": store.hashkey, "captcha_1": store.response.upper()}
    assert post(client, answer).status_code == 302
    # Replaying the same captcha for a second account fails.
    again = post(
        client, answer, username="khac", email="khac@example.vn", id_number="123456789"
    )
    assert "captcha" in again.context["form"].errors
    assert User.objects.count() == 1


def test_taken_username_in_other_case_is_refused(
    client: Client, captcha_pass: dict[str, str]
) -> None:
    from tests.factories import UserFactory

    UserFactory(username="congdan-cu")
    response = post(client, captcha_pass, username="CONGDAN-CU")
    assert "username" in response.context["form"].errors
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "Cu@Example.VN"), ("id_number", "058 190 009 999")],
)
def test_duplicates_in_other_case_or_spacing_create_no_account_and_tell_the_owner(
    client: Client,
    captcha_pass: dict[str, str],
    field: str,
    value: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from tests.factories import UserFactory

    owner = UserFactory(
        username="congdan-cu", email="cu@example.vn", id_number="058190009999"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, captcha_pass, **{field: value})
    assert response.status_code == 302
    assert response["Location"] == "/dang-ky/thanh-cong/"
    assert User.objects.count() == 1
    assert [message.to for message in mail.outbox] == [[owner.email]]


def test_decomposed_vietnamese_is_stored_composed(
    client: Client, captcha_pass: dict[str, str]
) -> None:
    post(client, captcha_pass, full_name="Le\u0302 Thi\u0323 Cu\u0301c")
    assert User.objects.get().full_name == "Lê Thị Cúc"


def test_register_page_offers_refreshable_and_audio_captcha(client: Client) -> None:
    content = client.get("/dang-ky/").content.decode()
    assert 'class="btn btn-outline-secondary btn-sm captcha-refresh"' in content
    assert 'for="id_captcha_1"' in content
    assert 'alt="Ảnh mã xác thực' in content
    assert 'name="consent"' in content and "checked" not in content


def test_captcha_refresh_returns_a_new_key(client: Client) -> None:
    response = client.get(
        "/captcha/refresh/", headers={"x-requested-with": "XMLHttpRequest"}
    )
    data = response.json()
    assert CaptchaStore.objects.filter(hashkey=data["key"]).exists()
    assert data["image_url"].startswith("/captcha/image/")


@pytest.mark.flite
def test_audio_captcha_speaks_the_answer(client: Client) -> None:
    key = CaptchaStore.generate_key()
    response = client.get(f"/captcha/audio/{key}.wav")
    assert response.status_code == 200
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    assert body[:4] == b"RIFF"
