"""Daily journeys on a 360 px phone: a form that keeps its photos and leads with
its errors, a logged-in citizen without a captcha, intake in one pass, and the
admin report list as cards."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from feedback.models import HeldUpload, Report, Status
from tests.browser.helpers import (
    ARTIFACTS,
    assert_accessible,
    screenshots,
    solve_captcha,
)
from tests.factories import ReportFactory, UserFactory
from tests.feedback import files

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Mat-khau-an-toan-2026"
PHONE = {"width": 360, "height": 800}


def photos(tmp_path: Path) -> list[Path]:
    paths = []
    for name, fmt in (("anh1.jpg", "JPEG"), ("anh2.png", "PNG")):
        path = tmp_path / name
        path.write_bytes(files.image_bytes(fmt, size=(800, 600)))
        paths.append(path)
    return paths


def fill_person(page: Page, id_number: str = "058190004321") -> None:
    page.fill("input[name=full_name]", "Trần Thị Bình")
    page.fill("input[name=id_number]", id_number)
    page.fill("input[name=email]", "binh@example.vn")
    page.fill("input[name=phone]", "0987 654 321")


def fill_report(page: Page, title: str) -> None:
    page.fill("input[name=location]", "Đường 16/4, phường Mỹ Hải, Phan Rang")
    page.fill("input[name=title]", title)
    page.fill(
        "textarea[name=content]",
        "Mặt đường có nhiều ổ gà sâu, trời mưa đọng nước, xe máy đi lại nguy hiểm.",
    )


def no_sideways_scroll(page: Page) -> bool:
    return bool(
        page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    )


def summary_has_focus(page: Page) -> bool:
    return bool(
        page.evaluate(
            "document.activeElement && "
            "document.activeElement.hasAttribute('data-error-summary')"
        )
    )


def test_short_title_is_caught_before_upload_and_the_photos_stay_chosen(
    live_server: Any, page: Page, media: Path, tmp_path: Path
) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/gui-phan-anh/")
    fill_person(page)
    page.set_input_files("input[name=attachments]", photos(tmp_path))
    fill_report(page, "Ổ gà")
    page.check("input[name=consent]")
    solve_captcha(page)
    page.get_by_role("button", name="Gửi phản ánh").last.click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    assert summary_has_focus(page)
    link = summary.get_by_role("link", name="Tiêu đề cần ít nhất 10 ký tự (hiện có 4).")
    expect(link).to_be_visible()
    expect(page.locator("#id_title")).to_have_attribute("aria-invalid", "true")
    assert HeldUpload.objects.count() == 0  # nothing was sent
    assert no_sideways_scroll(page)
    assert_accessible(page)
    screenshots(page, "daily-client-summary", widths=(360,))

    link.click()
    assert page.evaluate("document.activeElement.id") == "id_title"
    page.fill("input[name=title]", "Ổ gà lớn trên đường 16/4")
    page.get_by_role("button", name="Gửi phản ánh").last.click()
    expect(
        page.get_by_role("heading", name="Đã gửi phản ánh thành công")
    ).to_be_visible()
    names = sorted(a.original_name for a in Report.objects.get().attachments.all())
    assert names == ["anh1.jpg", "anh2.png"]


def test_server_errors_keep_both_photos_without_choosing_them_again(
    live_server: Any, page: Page, media: Path, tmp_path: Path
) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/gui-phan-anh/")
    # An ID number of no province: only the server knows, the photos go up.
    fill_person(page, id_number="999190004321")
    page.set_input_files("input[name=attachments]", photos(tmp_path))
    fill_report(page, "Ổ gà lớn trên đường 16/4")
    page.check("input[name=consent]")
    solve_captcha(page)
    page.get_by_role("button", name="Gửi phản ánh").last.click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link").first).to_be_visible()
    expect(page.get_by_text(re.compile(r"Đã đính kèm: anh1\.jpg \("))).to_be_visible()
    expect(page.get_by_text(re.compile(r"Đã đính kèm: anh2\.png \("))).to_be_visible()
    expect(page.get_by_label(re.compile("Bỏ tệp này"))).to_have_count(2)
    assert HeldUpload.objects.count() == 2
    assert no_sideways_scroll(page)
    assert_accessible(page)
    screenshots(page, "daily-held-files", widths=(360,))

    page.fill("input[name=id_number]", "058190004321")
    page.check("input[name=consent]")
    solve_captcha(page)
    page.get_by_role("button", name="Gửi phản ánh").last.click()
    expect(
        page.get_by_role("heading", name="Đã gửi phản ánh thành công")
    ).to_be_visible()
    names = sorted(a.original_name for a in Report.objects.get().attachments.all())
    assert names == ["anh1.jpg", "anh2.png"]
    assert HeldUpload.objects.count() == 0


def test_without_javascript_a_short_title_keeps_both_photos_on_the_server(
    live_server: Any, browser: Browser, media: Path, tmp_path: Path
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/gui-phan-anh/")
    fill_person(page)
    page.set_input_files("input[name=attachments]", photos(tmp_path))
    fill_report(page, "Ổ gà")
    page.check("input[name=consent]")
    solve_captcha(page)
    page.get_by_role("button", name="Gửi phản ánh").last.click()
    expect(page.get_by_text("Có lỗi cần sửa trước khi gửi")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Đã đính kèm: anh1\.jpg"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"Đã đính kèm: anh2\.png"))).to_be_visible()

    page.fill("input[name=title]", "Ổ gà lớn trên đường 16/4")
    page.check("input[name=consent]")
    solve_captcha(page)
    page.get_by_role("button", name="Gửi phản ánh").last.click()
    expect(
        page.get_by_role("heading", name="Đã gửi phản ánh thành công")
    ).to_be_visible()
    names = sorted(a.original_name for a in Report.objects.get().attachments.all())
    assert names == ["anh1.jpg", "anh2.png"]
    context.close()


def test_logged_in_citizen_files_without_a_captcha(
    live_server: Any, page: Page, media: Path
) -> None:
    UserFactory(full_name="Lê Văn Hải", username="levanhai")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("input[name=username]", "levanhai")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main").get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Tài khoản của tôi")).to_be_visible()

    page.goto(f"{live_server.url}/gui-phan-anh/")
    expect(page.locator("input[name=captcha_1]")).to_have_count(0)
    fill_report(page, "Đèn đường tắt cả tuần ở Mỹ Hải")
    page.check("input[name=consent]")
    page.get_by_role("button", name="Gửi phản ánh").last.click()
    expect(
        page.get_by_role("heading", name="Đã gửi phản ánh thành công")
    ).to_be_visible()

    # The consent is remembered for this version of the text.
    page.goto(f"{live_server.url}/gui-phan-anh/")
    expect(page.locator("input[name=consent]")).to_have_count(0)
    expect(page.get_by_text(re.compile("Ông/Bà đã đồng ý"))).to_be_visible()
    assert_accessible(page)
    screenshots(page, "daily-account-form", widths=(360,))

    page.goto(f"{live_server.url}/tai-khoan/")
    first_heading = page.locator("main h2").first
    expect(first_heading).to_have_text("Phản ánh của tôi")
    assert no_sideways_scroll(page)
    assert_accessible(page)
    screenshots(page, "daily-account-page", widths=(360,))
    assert Report.objects.get().reporter.username == "levanhai"


def admin_login(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("input[type=submit], button[type=submit]").first.click()
    expect(page).not_to_have_url(re.compile("/admin/login/"))


def test_intake_officer_clears_three_reports_in_a_row(
    live_server: Any, page: Page, intake_officer: Any, agency_a: Any, agency_b: Any
) -> None:
    now = timezone.now()
    reports = [
        ReportFactory(title=f"Phản ánh thứ {n} cần tiếp nhận", created_at=now - delta)
        for n, delta in enumerate(
            (timedelta(minutes=10), timedelta(minutes=20), timedelta(minutes=30)), 1
        )
    ]
    page.set_viewport_size(PHONE)
    admin_login(page, live_server.url, intake_officer.username)
    page.goto(f"{live_server.url}/admin/")
    queue = page.get_by_role("link", name=re.compile("3 Chờ tiếp nhận"))
    expect(queue).to_be_visible()
    assert no_sideways_scroll(page)
    assert_accessible(page)
    screenshots(page, "daily-admin-dashboard", widths=(360, 1280))
    page.set_viewport_size(PHONE)
    queue.click()
    page.locator("#result_list tbody tr").first.get_by_role("link").first.click()

    decisions = [("accept", agency_a), ("accept", agency_b), ("reject", None)]
    for step, (decision, agency) in enumerate(decisions):
        intake = page.locator("form.desk-intake")
        expect(intake).to_be_visible()
        if step == 0:
            assert no_sideways_scroll(page)
            assert_accessible(page)
            screenshots(page, "daily-admin-intake", widths=(360,))
        if decision == "accept":
            intake.get_by_label("Tiếp nhận và chuyển xử lý").check()
            intake.get_by_label("Cơ quan xử lý").select_option(label=agency.name)
        else:
            intake.get_by_label("Không tiếp nhận", exact=True).check()
            intake.get_by_label("Lý do không tiếp nhận").select_option(
                label="Trùng với phản ánh đã gửi trước đó."
            )
        intake.get_by_role("button", name="Lưu và mở phản ánh tiếp theo").click()
        if step < 2:
            expect(page.get_by_text(re.compile("sang “(Đang xử lý|Không tiếp nhận)”")))
    expect(page.get_by_text("Không còn phản ánh nào chờ tiếp nhận.")).to_be_visible()

    statuses = {r.title: r.status for r in Report.objects.all()}
    assert sorted(statuses.values()) == sorted(
        [Status.IN_PROGRESS, Status.IN_PROGRESS, Status.REJECTED]
    )
    # Newest first: the queue opened the reports in that order.
    assert statuses[reports[0].title] == Status.IN_PROGRESS
    assert Report.objects.get(pk=reports[0].pk).agency == agency_a
    assert Report.objects.get(pk=reports[1].pk).agency == agency_b
    assert statuses[reports[2].title] == Status.REJECTED


def test_admin_list_is_cards_on_a_phone_without_sideways_scroll(
    live_server: Any, page: Page, intake_officer: Any, agency_a: Any
) -> None:
    today = timezone.localdate()
    for n in range(6):
        report = ReportFactory(
            title=f"Cây xanh đổ chắn ngang đường Nguyễn Văn Cừ đoạn số {n}",
            status=Status.IN_PROGRESS if n % 2 else Status.NEW,
            agency=agency_a if n % 2 else None,
        )
        if n % 2:
            Report.objects.filter(pk=report.pk).update(
                deadline=today + timedelta(days=n - 3)
            )
    page.set_viewport_size(PHONE)
    admin_login(page, live_server.url, intake_officer.username)
    page.goto(f"{live_server.url}/admin/feedback/report/")
    first = page.locator("#result_list tbody tr").first
    expect(first).to_be_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "daily-admin-list-phone.png", full_page=True)
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
            .slice(0, 5).map((el) => el.tagName + '#' + el.id + '.' + el.className)"""
    )
    assert no_sideways_scroll(page), wide
    # Code, title, status and deadline of a card are all on screen.
    for cell in ("field-code", "field-title", "field-status_badge"):
        box = first.locator(f".{cell}").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
    action = page.locator("#changelist .actions select[name=action]")
    box = action.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 360
    assert_accessible(page)
    screenshots(page, "daily-admin-list", widths=(360, 1280))


def test_editor_previews_markdown_and_a_new_announcement_starts_published(
    live_server: Any, page: Page, editor: Any
) -> None:
    page.set_viewport_size(PHONE)
    admin_login(page, live_server.url, editor.username)
    page.goto(f"{live_server.url}/admin/stats/announcement/add/")
    expect(page.get_by_label("Công khai")).to_be_checked()
    page.fill("input[name=title]", "Lịch tiếp công dân định kỳ tháng 12/2026")
    page.fill(
        "textarea[name=body]", "Lịch tiếp **thứ Năm** hằng tuần.\n\n- Sáng\n- Chiều"
    )
    page.get_by_role("button", name="Xem trước").click()
    preview = page.get_by_role("region", name="Xem trước")
    expect(preview.locator("strong")).to_have_text("thứ Năm")
    expect(preview.locator("li")).to_have_count(2)
    assert no_sideways_scroll(page)
    assert_accessible(page)
    screenshots(page, "daily-announcement-preview", widths=(360,))
    page.locator("input[name=_save]").click()
    expect(page.get_by_text(re.compile("^Đã thêm thông báo “"))).to_be_visible()
    from stats.models import Announcement

    item = Announcement.objects.get()
    assert item.is_published
    assert item.slug == "lich-tiep-cong-dan-dinh-ky-thang-12-2026"
