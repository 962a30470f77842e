from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from feedback.models import Report
from tests.browser.helpers import assert_accessible, screenshots, solve_captcha
from tests.factories import CategoryFactory, ReportFactory, UserFactory
from tests.feedback import files

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Mat-khau-an-toan-2026"


def fill_report(page: Page, title: str) -> None:
    page.fill(
        "input[name=location]", "Đường 16/4, phường Mỹ Hải, Phan Rang - Tháp Chàm"
    )
    page.fill("input[name=title]", title)
    page.fill(
        "textarea[name=content]",
        "Mặt đường có nhiều ổ gà sâu, trời mưa đọng nước, xe máy đi lại nguy hiểm.",
    )
    if page.locator("input[name=consent]").count():
        page.check("input[name=consent]")
    # A confirmed account within its limit is not asked for a captcha.
    if page.locator("input[name=captcha_1]").count():
        solve_captcha(page)


def test_anonymous_files_with_two_photos_copies_code_and_looks_it_up(
    live_server: Any, page: Page, media: Path, tmp_path: Path
) -> None:
    CategoryFactory(name="Giao thông", slug="giao-thong")
    photos = []
    for name, fmt in (("o-ga.jpg", "JPEG"), ("duong.png", "PNG")):
        path = tmp_path / name
        path.write_bytes(files.image_bytes(fmt, size=(800, 600), gps=fmt == "JPEG"))
        photos.append(path)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])

    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/gui-phan-anh/")
    expect(page).to_have_title(re.compile("Gửi phản ánh"))
    assert_accessible(page)
    screenshots(page, "report-form")

    page.fill("input[name=full_name]", "Trần Thị Bình")
    page.fill("input[name=id_number]", "058190004321")
    page.fill("input[name=email]", "binh@example.vn")
    page.fill("input[name=phone]", "0987 654 321")
    page.select_option("select[name=category]", label="Giao thông")
    page.set_input_files("input[name=attachments]", photos)
    fill_report(page, "Ổ gà lớn trên đường 16/4")
    page.get_by_role("button", name="Gửi phản ánh").last.click()

    expect(
        page.get_by_role("heading", name="Đã gửi phản ánh thành công")
    ).to_be_visible()
    report = Report.objects.get()
    assert report.attachments.count() == 2
    expect(page.locator("#tracking-code")).to_have_text(report.code)
    expect(page.get_by_role("img", name=re.compile("Mã QR"))).to_be_visible()
    assert_accessible(page)
    screenshots(page, "report-submitted")

    page.get_by_role("button", name="Chép mã").click()
    expect(page.get_by_text("Đã chép mã vào bộ nhớ tạm.")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == report.code

    page.goto(f"{live_server.url}/tra-cuu/")
    assert_accessible(page)
    page.fill("input[name=code]", copied.lower().replace("-", " "))
    page.get_by_role("button", name="Tra cứu").last.click()
    expect(page).to_have_url(f"{live_server.url}/phan-anh/{report.code}/")
    expect(page.get_by_role("heading", name="Ổ gà lớn trên đường 16/4")).to_be_visible()
    expect(page.get_by_text("Trần T. B.")).to_be_visible()
    expect(page.get_by_text("Trần Thị Bình")).to_have_count(0)
    # The session that filed it is the reporter: it sees its own two photos.
    expect(page.locator("a[href*='/tep/']")).to_have_count(2)
    assert_accessible(page)
    screenshots(page, "report-detail")


def test_bad_file_is_refused_clearly_in_the_browser(
    live_server: Any, page: Page, media: Path, tmp_path: Path
) -> None:
    fake = tmp_path / "anh.jpg"
    fake.write_bytes(files.HTML)
    page.goto(f"{live_server.url}/gui-phan-anh/")
    page.fill("input[name=full_name]", "Trần Thị Bình")
    page.fill("input[name=id_number]", "058190004321")
    page.fill("input[name=email]", "binh@example.vn")
    page.fill("input[name=phone]", "0987654321")
    page.set_input_files("input[name=attachments]", [fake])
    fill_report(page, "Ổ gà lớn trên đường 16/4")
    page.get_by_role("button", name="Gửi phản ánh").last.click()
    message = re.compile("Tệp “anh.jpg”: loại tệp không được chấp nhận")
    # In the error summary (a link to the field) and next to the field.
    expect(
        page.locator("[data-error-summary]").get_by_role("link", name=message)
    ).to_be_visible()
    expect(page.locator("#id_attachments_error").get_by_text(message)).to_be_visible()
    expect(page.locator("input[name=title]")).to_have_value("Ổ gà lớn trên đường 16/4")
    assert Report.objects.count() == 0
    assert_accessible(page)
    screenshots(page, "report-form-error")


def test_logged_in_citizen_sees_prefilled_form_and_own_report(
    live_server: Any, page: Page, media: Path
) -> None:
    citizen = UserFactory(full_name="Lê Văn Hải", username="levanhai")
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("input[name=username]", "levanhai")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main").get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Tài khoản của tôi")).to_be_visible()

    page.goto(f"{live_server.url}/gui-phan-anh/")
    expect(page.locator("input[name=full_name]")).to_have_value("Lê Văn Hải")
    expect(page.locator("input[name=email]")).to_have_value(citizen.email)
    expect(page.locator("input[name=consent]")).not_to_be_checked()
    fill_report(page, "Đèn đường tắt cả tuần ở Mỹ Hải")
    page.get_by_role("button", name="Gửi phản ánh").last.click()
    expect(
        page.get_by_role("heading", name="Đã gửi phản ánh thành công")
    ).to_be_visible()

    page.goto(f"{live_server.url}/tai-khoan/")
    my_reports = page.get_by_role("region", name="Phản ánh của tôi")
    expect(
        my_reports.get_by_role("link", name="Đèn đường tắt cả tuần ở Mỹ Hải")
    ).to_be_visible()
    expect(my_reports.get_by_text("Chờ tiếp nhận")).to_be_visible()
    assert_accessible(page)
    screenshots(page, "my-reports")

    my_reports.get_by_role("link", name="Đèn đường tắt cả tuần ở Mỹ Hải").click()
    expect(page.locator("main").get_by_text("Lê Văn Hải")).to_be_visible()


def test_public_list_search_and_report_page(live_server: Any, page: Page) -> None:
    roads = CategoryFactory(name="Giao thông", slug="giao-thong")
    for n in range(22):
        ReportFactory(
            published=True, title=f"Đèn đường hỏng ở khu phố {n}", category=roads
        )
    ReportFactory(published=True, title="Rác thải ven biển Ninh Chữ")
    page.goto(f"{live_server.url}/phan-anh/")
    expect(page).to_have_title(re.compile("^Phản ánh \\|"))
    assert_accessible(page)
    screenshots(page, "report-list")
    page.fill("input[name=q]", "ninh chu")
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_role("link", name="Rác thải ven biển Ninh Chữ")).to_be_visible()
    expect(page.get_by_text("1 phản ánh")).to_be_visible()
    page.get_by_role("link", name="Rác thải ven biển Ninh Chữ").click()
    expect(page.get_by_role("heading", name="Kết quả trả lời")).to_be_visible()
    assert_accessible(page)
    screenshots(page, "report-published")
