"""Password guessing behind a proxy, spread over addresses and over accounts."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Mat-khau-an-toan-2026"
PROXY = "10.0.0.1"
CLIENT_A = "203.0.113.5"
CLIENT_B = "198.51.100.7"


@pytest.fixture
def behind_proxy(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1


def login(
    client: Client, username: str, password: str, address: str, **extra: str
) -> Any:
    return client.post(
        "/dang-nhap/",
        {"username": username, "password": password, **extra},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"{address}",
    )


def test_five_wrong_passwords_from_client_a_do_not_lock_client_b(
    behind_proxy: None, captcha_pass: dict[str, str]
) -> None:
    official = UserFactory(username="tiepnhan_thu", is_staff=True)
    a, b = Client(), Client()
    statuses = [
        login(a, official.username, "sai", CLIENT_A, **captcha_pass).status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CLIENT_A}
    # Client A stays locked, even with the right password.
    assert (
        login(a, official.username, PASSWORD, CLIENT_A, **captcha_pass).status_code
        == 429
    )
    # Client B, behind the same proxy, only has to answer the captcha.
    asked = login(b, official.username, PASSWORD, CLIENT_B)
    assert asked.status_code == 200
    assert "captcha" in asked.context["form"].fields
    assert "_auth_user_id" not in b.session
    done = login(b, official.username, PASSWORD, CLIENT_B, **captcha_pass)
    assert done.status_code == 302
    assert b.session["_auth_user_id"] == str(official.pk)


def test_guessing_one_account_from_eight_addresses_asks_for_a_captcha(
    behind_proxy: None, captcha_pass: dict[str, str]
) -> None:
    official = UserFactory(username="xuly1_thu", is_staff=True)
    for n in range(8):
        for _ in range(4):  # 32 in all, under the lockout of each address
            login(Client(), official.username, "sai", f"192.0.2.{n + 1}")
    assert not AccessAttempt.objects.filter(failures_since_start__gte=5).exists()
    owner = Client()
    page = owner.get("/dang-nhap/")
    assert "captcha" not in page.context["form"].fields  # only once a name is typed
    refused = login(owner, official.username, PASSWORD, "192.0.2.200")
    assert refused.status_code == 200
    assert "Vui lòng nhập mã xác thực." in refused.content.decode()
    assert "_auth_user_id" not in owner.session
    ok = login(owner, official.username, PASSWORD, "192.0.2.200", **captcha_pass)
    assert ok.status_code == 302


def test_one_address_trying_eight_accounts_is_throttled(
    behind_proxy: None, captcha_pass: dict[str, str]
) -> None:
    accounts = [UserFactory() for _ in range(9)]
    for account in accounts[:8]:
        login(Client(), account.username, "sai", CLIENT_A)
    last = accounts[8]
    refused = login(Client(), last.username, PASSWORD, CLIENT_A)
    assert refused.status_code == 200
    assert "captcha" in refused.context["form"].fields
    # The same account from another address is not affected.
    assert login(Client(), last.username, PASSWORD, CLIENT_B).status_code == 302


def test_an_address_with_too_many_failures_gets_429(
    behind_proxy: None, settings: Any
) -> None:
    settings.LOGIN_ADDRESS_FAILURES = 6
    account = UserFactory()
    for n in range(6):
        login(Client(), f"khong-co-{n}", "sai", CLIENT_A)
    blocked = login(Client(), account.username, PASSWORD, CLIENT_A)
    assert blocked.status_code == 429
    assert "Quá nhiều yêu cầu" in blocked.content.decode()
    assert login(Client(), account.username, PASSWORD, CLIENT_B).status_code == 302


def test_a_wrong_captcha_says_nothing_about_the_password(
    behind_proxy: None, captcha_pass: dict[str, str]
) -> None:
    account = UserFactory()
    for _ in range(3):
        login(Client(), account.username, "sai", CLIENT_A)
    wrong = {"captcha_0": "test", "captcha_1": "SAI"}
    right_password = login(Client(), account.username, PASSWORD, CLIENT_B, **wrong)
    wrong_password = login(Client(), account.username, "sai-nua", CLIENT_B, **wrong)
    assert right_password.status_code == wrong_password.status_code == 200
    assert (
        right_password.context["form"].errors == wrong_password.context["form"].errors
    )
