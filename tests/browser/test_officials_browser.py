"""A day in admin: intake accepts and routes, the agency answers and publishes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from feedback.models import Report, Status
from tests.browser.helpers import assert_accessible, screenshots
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Mat-khau-an-toan-2026"


def admin_login(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("input[type=submit], button[type=submit]").first.click()
    expect(page).not_to_have_url(re.compile("/admin/login/"))


def test_intake_routes_and_agency_answers_and_publishes(
    live_server: Any,
    page: Page,
    intake_officer: Any,
    official_a: Any,
    agency_a: Any,
) -> None:
    report = ReportFactory(title="Đèn đường hỏng ở ngã tư", allow_publish=True)
    change = f"{live_server.url}/admin/feedback/report/{report.pk}/change/"

    # Intake officer: the queue, then accept and route.
    admin_login(page, live_server.url, intake_officer.username)
    page.goto(f"{live_server.url}/admin/feedback/report/")
    expect(page.get_by_text(report.code)).to_be_visible()
    expect(page.get_by_text("Chờ tiếp nhận").first).to_be_visible()
    assert_accessible(page)
    screenshots(page, "officials-queue", widths=(1280,))
    page.get_by_role("link", name=report.code).click()
    expect(page).to_have_url(change)
    assert_accessible(page)
    screenshots(page, "officials-change-new", widths=(1280,))

    page.locator("summary", has_text="Tiếp nhận").first.click()
    page.get_by_role("button", name="Xác nhận: Tiếp nhận").click()
    expect(page.get_by_text("sang “Đã tiếp nhận”")).to_be_visible()

    page.locator("summary", has_text="Chuyển xử lý").click()
    page.get_by_label("Cơ quan xử lý").select_option(label=agency_a.name)
    page.get_by_role("button", name="Xác nhận: Chuyển xử lý").click()
    expect(page.get_by_text("sang “Đang xử lý”")).to_be_visible()
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS
    assert report.agency == agency_a

    # Agency official: answer and publish.
    admin_login(page, live_server.url, official_a.username)
    page.goto(change)
    page.locator("summary", has_text="Trả lời, hoàn tất xử lý").click()
    page.get_by_label(re.compile("Nội dung trả lời")).fill(
        "Đã thay bóng đèn ngày 27/11.\n\nCảm ơn ông/bà đã phản ánh."
    )
    assert_accessible(page)
    screenshots(page, "officials-answer", widths=(1280,))
    # The reporter consented: publishing is a box on the answer form, ticked.
    expect(page.get_by_label(re.compile("Công khai trả lời trên cổng"))).to_be_checked()
    page.get_by_role("button", name="Xác nhận: Trả lời, hoàn tất xử lý").click()
    expect(page.get_by_text("sang “Đã xử lý”")).to_be_visible()
    expect(page.get_by_text("Trả lời đang được công khai.")).to_be_visible()

    report = Report.objects.get(pk=report.pk)
    assert report.status == Status.RESOLVED
    assert report.answer.startswith("Đã thay bóng đèn ngày 27/11.")
    assert report.is_published
    assert Report.objects.published().filter(pk=report.pk).exists()

    public = reverse("feedback:detail", kwargs={"code": report.code})
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{public}")
    expect(page.get_by_text("Đã thay bóng đèn ngày 27/11.")).to_be_visible()
    expect(page.get_by_text(report.full_name)).to_have_count(0)
