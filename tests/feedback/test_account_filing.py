"""A confirmed account files without a captcha and gives consent once per text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from feedback.models import Rating, Report, Status
from tests.conftest import REPORT_FIELDS
from tests.factories import ReportFactory, UserFactory

URL = "/gui-phan-anh/"


@pytest.fixture
def account_form() -> dict[str, str]:
    """The report's own fields; the personal ones come from the account."""
    return dict(REPORT_FIELDS)


@pytest.mark.django_db
def test_confirmed_account_files_without_a_captcha(
    client: Client, citizen: Any, account_form: dict[str, str], media: Path
) -> None:
    client.force_login(citizen)
    page = client.get(URL)
    assert "captcha" not in page.context["form"].fields
    assert 'name="captcha_1"' not in page.content.decode()
    response = client.post(URL, {**account_form, "consent": "on"})
    assert response.status_code == 302
    assert Report.objects.get().reporter == citizen


@pytest.mark.django_db
def test_unconfirmed_account_and_anonymous_still_get_the_captcha(
    client: Client, account_form: dict[str, str], media: Path
) -> None:
    assert "captcha" in client.get(URL).context["form"].fields
    client.force_login(UserFactory(email_confirmed_at=None))
    assert "captcha" in client.get(URL).context["form"].fields
    response = client.post(URL, {**account_form, "consent": "on"})
    assert response.status_code == 200
    assert "captcha" in response.context["form"].errors
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_captcha_comes_back_once_the_account_used_up_its_limit(
    client: Client,
    citizen: Any,
    account_form: dict[str, str],
    media: Path,
    settings: Any,
) -> None:
    settings.REPORT_RATE_LIMIT = (1, 3600)
    client.force_login(citizen)
    assert client.post(URL, {**account_form, "consent": "on"}).status_code == 302
    form = client.get(URL).context["form"]
    assert "captcha" in form.fields
    response = client.post(URL, account_form)
    assert "captcha" in response.context["form"].errors
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_consent_is_remembered_for_the_same_text_and_asked_again_for_a_new_one(
    client: Client,
    citizen: Any,
    account_form: dict[str, str],
    media: Path,
    settings: Any,
) -> None:
    settings.CONSENT_VERSION = "2026-01"
    client.force_login(citizen)
    assert "consent" in client.get(URL).context["form"].fields
    response = client.post(URL, account_form)  # silence is not consent
    assert "consent" in response.context["form"].errors
    assert Report.objects.count() == 0

    assert client.post(URL, {**account_form, "consent": "on"}).status_code == 302
    citizen.refresh_from_db()
    assert citizen.report_consent_version == "2026-01"
    page = client.get(URL)
    assert "consent" not in page.context["form"].fields
    assert "đã đồng ý" in page.content.decode()
    assert client.post(URL, account_form).status_code == 302
    second = Report.objects.latest("pk")
    assert second.consent_at == citizen.report_consent_at

    settings.CONSENT_VERSION = "2026-07"
    assert "consent" in client.get(URL).context["form"].fields
    response = client.post(URL, account_form)
    assert "consent" in response.context["form"].errors
    assert Report.objects.count() == 2


@pytest.mark.django_db
def test_account_page_leads_with_my_reports_and_what_waits(
    client: Client, citizen: Any
) -> None:
    ReportFactory(reporter=citizen, title="Đèn đường hỏng ở thôn Phú Quý")
    resolved = ReportFactory(
        reporter=citizen,
        title="Cống thoát nước bị tắc",
        status=Status.RESOLVED,
        answer="Đã nạo vét.",
    )
    client.force_login(citizen)
    html = client.get("/tai-khoan/").content.decode()
    assert html.index("Phản ánh của tôi") < html.index("Thông tin cá nhân")
    assert "Chờ tiếp nhận" in html and "Đã xử lý" in html
    assert html.count("mời Ông/Bà xem và đánh giá") == 1
    Rating.objects.create(report=resolved, satisfied=True)
    html = client.get("/tai-khoan/").content.decode()
    assert "mời Ông/Bà xem và đánh giá" not in html
