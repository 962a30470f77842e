"""What hostile input becomes: stored as typed, rendered escaped, never a look-alike."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from feedback.models import Report, Status
from portal.lib.codes import ALPHABET, PREFIX
from tests.factories import ReportFactory, UserFactory

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_html_in_every_report_text_field_is_stored_as_typed_and_shown_escaped(
    client: Client, report_form: dict[str, str], media: Any, intake_officer: Any
) -> None:
    data = {
        **report_form,
        "location": "Số 1 " + SCRIPT,
        "title": "Tiêu đề " + SCRIPT,
        "content": "Nội dung dài hơn hai mươi ký tự " + SCRIPT,
    }
    response = client.post("/gui-phan-anh/", data)
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.title == "Tiêu đề " + SCRIPT
    assert report.content.endswith(SCRIPT)
    Report.objects.filter(pk=report.pk).update(
        status=Status.RESOLVED, is_published=True, answer="Trả lời " + SCRIPT
    )
    pages = [
        client.get(f"/phan-anh/{report.code}/"),
        client.get("/phan-anh/"),
        client.get("/phan-anh/?q=script"),
    ]
    official = Client()
    official.force_login(intake_officer)
    pages.append(official.get(f"/admin/feedback/report/{report.pk}/change/"))
    pages.append(official.get("/admin/feedback/report/?q=script"))
    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        assert "<script>alert" not in html
        assert "onerror=alert(1)>" not in html
    assert "&lt;script&gt;" in pages[0].content.decode()


def test_html_in_profile_fields_is_escaped_on_the_profile(
    client: Client, citizen: Any
) -> None:
    User.objects.filter(pk=citizen.pk).update(address="Số 2 " + SCRIPT)
    client.force_login(citizen)
    html = client.get("/tai-khoan/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "username",
    [
        "\u0430dmin",  # Cyrillic а
        "adm\u0456n",  # Cyrillic і
        "ADMIN",
        "Admin",
        "ａｄｍｉｎ",  # fullwidth, NFKC-folds to admin
        "admin\u200b",  # zero-width space
    ],
)
def test_look_alike_usernames_are_refused(
    client: Client, captcha_pass: dict[str, str], username: str
) -> None:
    from tests.security.corpus import REGISTER

    UserFactory(username="admin", email="quan.tri@example.vn")
    response = client.post("/dang-ky/", {**REGISTER, "username": username})
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    "email", ["Quan.Tri@Example.VN", "QUAN.TRI@EXAMPLE.VN", " quan.tri@example.vn "]
)
def test_same_email_in_another_case_makes_no_second_account(
    client: Client, captcha_pass: dict[str, str], email: str
) -> None:
    from tests.security.corpus import REGISTER

    UserFactory(username="admin", email="quan.tri@example.vn")
    response = client.post("/dang-ky/", {**REGISTER, "email": email})
    # Answered like a new account (no enumeration); the owner is emailed instead.
    assert response.status_code == 302
    assert response["Location"] == "/dang-ky/thanh-cong/"
    assert User.objects.count() == 1


def test_login_accepts_the_email_in_any_case_and_nfd_never_duplicates(
    client: Client, captcha_pass: dict[str, str]
) -> None:
    from tests.security.corpus import REGISTER

    nfd = unicodedata.normalize("NFD", "Nguyễn Văn Ánh")
    response = client.post("/dang-ky/", {**REGISTER, "full_name": nfd})
    assert response.status_code == 302
    assert User.objects.get().full_name == "Nguyễn Văn Ánh"


# --- Tracking codes through the views (hypothesis) --------------------------------

code_like = st.text(
    alphabet=st.sampled_from(ALPHABET + "-_ .oOiIlLuU/%#?&\x00é" + ALPHABET.lower()),
    max_size=30,
)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(raw=code_like)
def test_lookup_of_any_string_finds_only_the_report_or_says_not_found(
    client: Client, raw: str
) -> None:
    from django.core.cache import cache

    cache.clear()  # the miss limit is tested on its own
    report = Report.objects.first() or ReportFactory()
    response = client.get("/tra-cuu/", {"code": raw})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"] == f"/phan-anh/{report.code}/"
    else:
        assert report.title not in response.content.decode()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(body=st.text(alphabet=ALPHABET, min_size=8, max_size=8))
def test_guessed_codes_show_nothing_but_not_found(client: Client, body: str) -> None:
    from django.core.cache import cache

    cache.clear()
    report = Report.objects.first() or ReportFactory(title="Bí mật tuyệt đối ở đây")
    code = f"{PREFIX}-{body[:4]}-{body[4:]}"
    response = client.get(f"/phan-anh/{code}/")
    if code == report.code:
        return
    assert response.status_code == 404
    assert report.title not in response.content.decode()
