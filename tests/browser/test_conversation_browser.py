"""The conversation in a real browser: a reporter's update with a photo at 360 px,
a "Chưa hài lòng" rating, what the official sees in admin, and a follower's email."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from feedback.models import Attachment, Rating, ReporterUpdate, Status
from feedback.workflow import move_report
from tests.browser.helpers import assert_accessible, screenshots
from tests.browser.test_officials_browser import admin_login
from tests.factories import ReportFactory, UserFactory
from tests.feedback import files

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Mat-khau-an-toan-2026"


def citizen_login(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main").get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Tài khoản của tôi")).to_be_visible()


def test_reporter_update_with_photo_and_rating_reach_the_official(
    live_server: Any,
    page: Page,
    media: Path,
    tmp_path: Path,
    official_a: Any,
    agency_a: Any,
) -> None:
    citizen = UserFactory(username="nguoigui_thu", full_name="Phạm Thị Thu")
    report = ReportFactory(
        status=Status.IN_PROGRESS,
        agency=agency_a,
        reporter=citizen,
        title="Cống thoát nước bị tắc trước chợ",
    )
    photo = tmp_path / "cong-tac.jpg"
    photo.write_bytes(files.image_bytes("JPEG", size=(800, 600), gps=True))

    page.set_viewport_size({"width": 360, "height": 800})
    citizen_login(page, live_server.url, citizen.username)
    page.goto(f"{live_server.url}/phan-anh/{report.code}/")
    expect(page.get_by_role("heading", name="Bổ sung thông tin, ảnh")).to_be_visible()
    page.get_by_label("Thông tin bổ sung").fill("Nước đã tràn lên mặt đường sau mưa.")
    page.set_input_files("input[name=photos]", [photo])
    screenshots(page, "reporter-update-form", widths=(360,))
    page.get_by_role("button", name="Gửi thông tin bổ sung").click()
    expect(page.get_by_text("Đã gửi thông tin bổ sung")).to_be_visible()
    expect(page.get_by_text("Nước đã tràn lên mặt đường sau mưa.")).to_be_visible()
    thumb = page.locator(".photo-gallery img").first
    expect(thumb).to_be_visible()
    assert "Ảnh bổ sung 1" in (thumb.get_attribute("alt") or "")
    assert_accessible(page)
    screenshots(page, "reporter-update-done", widths=(360,))
    update = ReporterUpdate.objects.get(report=report)
    assert Attachment.objects.filter(update=update).count() == 1

    # The agency answers; the reporter is not satisfied and says why.
    move_report(
        report=report,
        to=Status.RESOLVED,
        by=official_a,
        expected=Status.IN_PROGRESS,
        answer="Đã nạo vét cống.",
    )
    page.goto(f"{live_server.url}/phan-anh/{report.code}/")
    page.get_by_label("Chưa hài lòng").check()
    page.get_by_label("Sự việc chưa được khắc phục").check()
    page.get_by_label("Góp ý (không bắt buộc)").fill("Cống vẫn tắc ở đoạn cuối.")
    assert_accessible(page)
    screenshots(page, "reporter-rating-form", widths=(360,))
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_text("Cảm ơn Ông/Bà đã đánh giá")).to_be_visible()
    expect(page.get_by_role("heading", name="Yêu cầu xem xét lại")).to_be_visible()
    assert Rating.objects.get(report=report).reasons == ["not_fixed"]

    # The official sees the update, its photo and the rating in admin.
    admin_login(page, live_server.url, official_a.username)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/admin/feedback/report/?danh-gia=chua-hai-long")
    expect(page.get_by_role("link", name=report.code)).to_be_visible()
    expect(page.locator("#result_list").get_by_text("Chưa hài lòng")).to_be_visible()
    screenshots(page, "official-list-not-satisfied", widths=(1280,))
    page.get_by_role("link", name=report.code).click()
    expect(page.get_by_text("Nước đã tràn lên mặt đường sau mưa.")).to_be_visible()
    expect(page.get_by_text("Cống vẫn tắc ở đoạn cuối.").first).to_be_visible()
    expect(page.get_by_text("Người gửi đánh giá: Chưa hài lòng")).to_be_visible()
    expect(page.locator("img.desk-thumb")).to_have_count(1)
    assert_accessible(page)
    screenshots(page, "official-conversation", widths=(1280,))


def test_follower_confirms_and_receives_the_status_email(
    live_server: Any, page: Page, official_a: Any, agency_a: Any
) -> None:
    report = ReportFactory(
        status=Status.IN_PROGRESS,
        agency=agency_a,
        allow_publish=True,
        title="Rác thải tồn đọng ở bãi biển",
    )
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/phan-anh/{report.code}/")
    expect(page.get_by_role("heading", name="Theo dõi phản ánh này")).to_be_visible()
    page.get_by_label("Email nhận thông báo").fill("hangxom@example.vn")
    page.get_by_role("button", name="Theo dõi", exact=True).click()
    expect(page.get_by_text("email xác nhận").first).to_be_visible()
    screenshots(page, "follow-requested", widths=(360,))
    [confirmation] = [m for m in mail.outbox if m.to == ["hangxom@example.vn"]]
    path = re.search(r"https?://[^/\s]+(/theo-doi/xac-nhan/\S+/)", confirmation.body)
    assert path
    page.goto(live_server.url + path.group(1))
    expect(page.get_by_text("Đã xác nhận")).to_be_visible()
    assert_accessible(page)

    mail.outbox.clear()
    move_report(
        report=report,
        to=Status.RESOLVED,
        by=official_a,
        expected=Status.IN_PROGRESS,
        answer="Đã thu gom rác.",
    )
    [status_mail] = [m for m in mail.outbox if m.to == ["hangxom@example.vn"]]
    assert "Đã xử lý" in status_mail.subject
    assert report.full_name not in status_mail.body
    page.goto(f"{live_server.url}/phan-anh/{report.code}/")
    expect(page.get_by_text("1 người cùng phản ánh").first).to_be_visible()
    unsubscribe = re.search(r"https?://[^/\s]+(/theo-doi/huy/\S+/)", status_mail.body)
    assert unsubscribe
    page.goto(live_server.url + unsubscribe.group(1))
    assert_accessible(page)
    screenshots(page, "follow-unsubscribe-asked", widths=(360,))
    page.get_by_role("button", name="Huỷ nhận thông báo").click()
    expect(page.get_by_text("Đã huỷ")).to_be_visible()
    assert_accessible(page)
    screenshots(page, "follow-unsubscribed", widths=(360,))


def test_official_picks_a_reply_template_and_edits_it(
    live_server: Any, page: Page, official_a: Any, agency_a: Any
) -> None:
    from feedback.models import ReplyTemplate

    report = ReportFactory(
        status=Status.IN_PROGRESS, agency=agency_a, title="Biển báo bị che khuất"
    )
    ReplyTemplate.objects.create(
        name="Đã khắc phục xong",
        use="answer",
        text="Phản ánh {ma_phan_anh} “{tieu_de}” đã được khắc phục.",
    )
    admin_login(page, live_server.url, official_a.username)
    page.goto(f"{live_server.url}/admin/feedback/report/{report.pk}/change/")
    page.locator("summary", has_text="Trả lời, hoàn tất xử lý").click()
    page.get_by_label("Chọn mẫu trả lời").select_option(label="Đã khắc phục xong")
    answer = page.get_by_label(re.compile("Nội dung trả lời"))
    expect(answer).to_have_value(
        f"Phản ánh {report.code} “Biển báo bị che khuất” đã được khắc phục."
    )
    answer.press("End")
    answer.type(" Cảm ơn Ông/Bà.")
    assert_accessible(page)
    screenshots(page, "official-reply-template", widths=(1280,))
    page.get_by_role("button", name="Xác nhận: Trả lời, hoàn tất xử lý").click()
    expect(page.get_by_text("sang “Đã xử lý”")).to_be_visible()
    report.refresh_from_db()
    assert report.answer.endswith("đã được khắc phục. Cảm ơn Ông/Bà.")
