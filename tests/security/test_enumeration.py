"""Whether an email or ID number is registered is not told to strangers."""

from __future__ import annotations

import statistics
import time
from typing import Any

import pytest
from captcha.models import CaptchaStore
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from portal.models import OutboxEmail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TAKEN = {"email": "da.co@example.vn", "id_number": "058190007777"}
FORM = {
    "username": "nguoi-thu",
    "password1": "Nui-Chua-xanh-2026",
    "password2": "Nui-Chua-xanh-2026",
    "full_name": "Người Thử",
    "address": "7 Ngô Gia Tự, Phan Rang - Tháp Chàm",
    "phone": "0987 111 222",
    "consent": "on",
    "email": "moi@example.vn",
    "id_number": "058190008888",
}
UNIQUE_ERRORS = ("đã được dùng", "đã có người dùng", "vừa được đăng ký")


@pytest.fixture
def owner(db: None) -> User:
    return UserFactory(username="chu-cu", **TAKEN)


def _wrong_captcha() -> dict[str, str]:
    store = CaptchaStore.objects.create(challenge="ABCDE", response="abcde")
    return {"captcha_0": store.hashkey, "captcha_1": "sai"}


@pytest.mark.parametrize("field", ["email", "id_number"])
def test_wrong_captcha_says_nothing_about_taken_values(
    client: Client, owner: User, field: str
) -> None:
    for _ in range(15):  # the probe of the finding, 15 of 15 answered before
        response = client.post(
            "/dang-ky/", {**FORM, field: TAKEN[field], **_wrong_captcha()}
        )
        text = response.content.decode()
        assert response.status_code == 200
        assert not any(error in text for error in UNIQUE_ERRORS)
        assert set(response.context["form"].errors) == {"captcha"}


@pytest.mark.parametrize("field", ["email", "id_number"])
def test_taken_value_with_right_captcha_answers_neutrally_and_tells_the_owner(
    client: Client,
    owner: User,
    field: str,
    captcha_pass: dict[str, str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        taken = client.post(
            "/dang-ky/", {**FORM, field: TAKEN[field], **captcha_pass}, follow=True
        )
    with django_capture_on_commit_callbacks(execute=True):
        fresh = Client().post(
            "/dang-ky/", {**FORM, "username": "khac-han", **captcha_pass}, follow=True
        )
    for response in (taken, fresh):
        assert "Nếu thông tin hợp lệ, chúng tôi đã gửi email hướng dẫn" in (
            response.content.decode()
        )
    assert taken.redirect_chain == fresh.redirect_chain
    assert User.objects.filter(username="nguoi-thu").count() == 0
    told = [m for m in mail.outbox if m.to == [owner.email]]
    assert len(told) == 1 and "/quen-mat-khau/" in told[0].body
    assert TAKEN["id_number"] not in told[0].body


def test_uniqueness_checks_are_throttled(
    client: Client, owner: User, captcha_pass: dict[str, str], settings: Any
) -> None:
    settings.UNIQUE_CHECK_RATE = (3, 86_400)
    for n in range(3):
        fresh = {"username": f"thu-{n}", "email": f"moi{n}@example.vn"}
        fresh["id_number"] = f"05819000888{n}"
        client.post("/dang-ky/", {**FORM, **fresh, **captcha_pass})
    response = client.post(
        "/dang-ky/", {**FORM, "email": TAKEN["email"], **captcha_pass}
    )
    assert response.status_code == 200
    assert "thử quá nhiều lần" in response.content.decode()
    assert User.objects.count() == 4  # three new accounts, then nothing


def test_profile_does_not_reveal_taken_values(
    client: Client, citizen: User, owner: User, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(citizen)
    data = {
        "full_name": citizen.full_name,
        "id_number": citizen.id_number,
        "address": citizen.address,
        "phone": citizen.phone,
    }
    with django_capture_on_commit_callbacks(execute=True):
        taken = client.post(
            "/tai-khoan/", {**data, "email": TAKEN["email"]}, follow=True
        )
    text = taken.content.decode()
    assert not any(error in text for error in UNIQUE_ERRORS)
    assert "Nếu thông tin hợp lệ" in text
    citizen.refresh_from_db()
    assert citizen.email != TAKEN["email"]
    assert [m.to for m in mail.outbox] == [[owner.email]]


def _measure(
    client: Client, url: str, data: dict[str, Any]
) -> tuple[float, list[str], int]:
    rendered: list[str] = []

    def seen(sender: Any, template: Any, **kwargs: Any) -> None:
        if template.name and template.name.startswith("emails/"):
            rendered.append(template.name.rsplit("-", 1)[-1])

    template_rendered.connect(seen)
    try:
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.post(url, data)
            elapsed = time.perf_counter() - start
    finally:
        template_rendered.disconnect(seen)
    assert response.status_code == 302
    return elapsed, rendered, len(queries)


@pytest.mark.parametrize(
    ("url", "pending"),
    [("/quen-mat-khau/", False), ("/dang-ky/gui-lai/", True)],
)
def test_reset_and_resend_do_the_same_work_for_unknown_addresses(
    url: str, pending: bool, settings: Any, captcha_pass: dict[str, str]
) -> None:
    settings.EMAIL_QUEUE = True
    accounts = [
        UserFactory(email=f"co.that.{n}@example.vn", is_active=not pending)
        for n in range(30)
    ]
    known: list[float] = []
    unknown: list[float] = []
    parts: dict[str, set[tuple[str, ...]]] = {"known": set(), "unknown": set()}
    counts: dict[str, list[int]] = {"known": [], "unknown": []}
    for n in range(30):  # interleaved, so machine load hits both alike
        for kind, email, times in (
            ("known", accounts[n].email, known),
            ("unknown", f"khong.co.{n}@example.vn", unknown),
        ):
            elapsed, rendered, queries = _measure(
                Client(), url, {"email": email, **captcha_pass}
            )
            times.append(elapsed)
            parts[kind].add(tuple(sorted(rendered)))
            counts[kind].append(queries)
    # Nothing is sent inside the request: each request queued exactly one email.
    assert mail.outbox == []
    assert OutboxEmail.objects.count() == 60
    assert set(OutboxEmail.objects.values_list("to", flat=True)) == {
        *(a.email for a in accounts),
        *(f"khong.co.{n}@example.vn" for n in range(30)),
    }
    # One email's templates (subject, text, HTML) and the same queries either way.
    assert (
        parts["known"] == parts["unknown"] == {("body.html", "body.txt", "subject.txt")}
    )
    # (Most common counts: a page-wide cache, e.g. the footer's figures, may expire
    # during the run and cost one request a query or two more.)
    usual = {kind: statistics.mode(values) for kind, values in counts.items()}
    assert usual["known"] == usual["unknown"], counts
    # A loose check of the times: medians within 10 ms or 50 % of each other.
    a, b = statistics.median(known), statistics.median(unknown)
    assert abs(a - b) < max(0.010, 0.5 * min(a, b)), (a, b)


def test_profile_page_is_never_stored(client: Client, citizen: User) -> None:
    client.force_login(citizen)
    response = client.get("/tai-khoan/")
    assert response.status_code == 200
    assert citizen.id_number in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_report_page_with_personal_data_is_never_stored(
    client: Client, citizen: User, intake_officer: Any
) -> None:
    from tests.factories import ReportFactory

    own = ReportFactory(reporter=citizen, allow_publish=False)
    client.force_login(citizen)
    mine = client.get(f"/phan-anh/{own.code}/")
    assert mine.status_code == 200 and "no-store" in mine["Cache-Control"]
    official = Client()
    official.force_login(intake_officer)
    seen = official.get(f"/phan-anh/{own.code}/")
    assert seen.status_code == 200 and "no-store" in seen["Cache-Control"]
    public = Client().get(f"/phan-anh/{ReportFactory(published=True).code}/")
    assert public.status_code == 200
    assert "no-store" not in public.get("Cache-Control", "")
