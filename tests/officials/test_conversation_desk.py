"""The officials' side of the conversation: one timeline, internal notes, reply
templates, reviews routed to intake."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from feedback import conversation
from feedback.models import (
    InternalNote,
    Rating,
    ReplyTemplate,
    ReportEvent,
    Status,
)
from feedback.officials_conversation import (
    NotAllowed,
    add_internal_note,
    fill_template,
    timeline,
)
from feedback.workflow import move_report
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def change_page(client: Client, report: Any) -> str:
    response = client.get(f"/admin/feedback/report/{report.pk}/change/")
    assert response.status_code == 200
    return str(response.content.decode())


def test_timeline_has_every_kind_in_order(
    client: Client, citizen: Any, agency_a: Any, official_a: Any, intake_officer: Any
) -> None:
    report = ReportFactory(status=Status.RESOLVED, agency=agency_a, reporter=citizen)
    Rating.objects.create(report=report, satisfied=False, reasons=["partly"])
    conversation.request_review(report=report, by=citizen, reasons=["partly"])
    conversation.add_reporter_update(
        report=report, text="Vẫn còn ổ gà thứ hai.", files=[], by=citizen
    )
    add_internal_note(
        report=report, text="Đề nghị đội duy tu kiểm tra lại.", by=intake_officer
    )
    client.force_login(official_a)
    page = change_page(client, report)
    for text in (
        "Đã xử lý → Đang xử lý",
        "Người gửi đánh giá: Chưa hài lòng",
        "Yêu cầu xem xét lại lần 1",
        "Vẫn còn ổ gà thứ hai.",
        "Đề nghị đội duy tu kiểm tra lại.",
        "chỉ cán bộ xem",
    ):
        assert text in page, text
    kinds = [entry.kind for entry in timeline(report)]
    assert {"status", "rating", "review", "update", "note", "personal"} <= set(kinds)
    ats = [entry.at for entry in timeline(report)]
    assert ats == sorted(ats)
    # The official's own view of the personal data is in the access log.
    assert ReportEvent.objects.filter(
        report=report, kind="personal_viewed", actor=official_a
    ).exists()
    again = change_page(client, report)
    assert "Nhật ký xem dữ liệu cá nhân" in again
    assert "<strong>Xem dữ liệu cá nhân</strong>" in again  # in the one timeline


def test_internal_notes_never_public_and_only_for_the_desk(
    client: Client, agency_a: Any, official_a: Any, official_b: Any, citizen: Any
) -> None:
    report = ReportFactory(status=Status.IN_PROGRESS, agency=agency_a, reporter=citizen)
    client.force_login(official_a)
    response = client.post(
        f"/admin/feedback/report/{report.pk}/ghi-chu/",
        {"text": "Chờ kinh phí quý sau."},
    )
    assert response.status_code == 302
    assert InternalNote.objects.get().author == official_a
    for viewer in (Client(), _logged_in(citizen)):
        page = viewer.get(f"/phan-anh/{report.code}/").content.decode()
        assert "Chờ kinh phí quý sau." not in page
    with pytest.raises(NotAllowed):
        add_internal_note(report=report, text="Ghi chú lạ", by=official_b)
    client.force_login(official_b)
    response = client.post(
        f"/admin/feedback/report/{report.pk}/ghi-chu/", {"text": "Ghi chú lạ"}
    )
    assert response.status_code in (403, 404)
    assert InternalNote.objects.count() == 1


def test_empty_note_is_refused(agency_a: Any, official_a: Any) -> None:
    report = ReportFactory(status=Status.IN_PROGRESS, agency=agency_a)
    with pytest.raises(conversation.ConversationError):
        add_internal_note(report=report, text="   ", by=official_a)
    assert not InternalNote.objects.exists()


def _logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_reply_templates_for_category_and_agency_with_placeholders(
    client: Client, agency_a: Any, agency_b: Any, official_a: Any
) -> None:
    report = ReportFactory(status=Status.IN_PROGRESS, agency=agency_a)
    ReplyTemplate.objects.create(
        name="Đã khắc phục",
        use="answer",
        text="Phản ánh {ma_phan_anh} “{tieu_de}” gửi ngày {ngay_gui} đã xử lý.",
        category=report.category,
    )
    ReplyTemplate.objects.create(
        name="Mẫu của cơ quan khác", use="answer", text="Không dùng", agency=agency_b
    )
    ReplyTemplate.objects.create(
        name="Tạm ngưng", use="answer", text="Không dùng", is_active=False
    )
    page = change_page(_logged_in(official_a), report)
    assert "Đã khắc phục" in page
    assert "Mẫu của cơ quan khác" not in page and "Tạm ngưng" not in page
    filled = fill_template(
        "Phản ánh {ma_phan_anh} “{tieu_de}” gửi ngày {ngay_gui}. {khac}", report
    )
    assert report.code in filled and report.title in filled and "{khac}" in filled
    assert report.created_at.strftime("%Y") in filled


def test_rejection_templates_offered_to_intake(
    client: Client, intake_officer: Any
) -> None:
    report = ReportFactory()
    ReplyTemplate.objects.create(
        name="Ngoài phạm vi",
        use="rejection",
        text="Phản ánh {ma_phan_anh} ngoài phạm vi.",
    )
    page = change_page(_logged_in(intake_officer), report)
    assert "Ngoài phạm vi" in page
    assert f"Phản ánh {report.code} ngoài phạm vi." in page


def test_second_review_waits_for_intake_and_is_marked_handled(
    citizen: Any, agency_a: Any, official_a: Any, intake_officer: Any
) -> None:
    report = ReportFactory(status=Status.RESOLVED, agency=agency_a, reporter=citizen)
    conversation.request_review(report=report, by=citizen, reasons=["slow"])
    move_report(
        report=report,
        to=Status.RESOLVED,
        by=official_a,
        expected=Status.IN_PROGRESS,
        answer="Lần hai.",
    )
    review = conversation.request_review(report=report, by=citizen, reasons=["slow"])
    intake = _logged_in(intake_officer)
    listing = intake.get("/admin/feedback/report/?danh-gia=cho-tiep-nhan")
    assert report.code in listing.content.decode()
    assert "Đã xem xét" in change_page(intake, report)
    official = _logged_in(official_a)
    response = official.post(
        f"/admin/feedback/report/{report.pk}/xem-xet-lai/{review.pk}/da-xem/"
    )
    assert response.status_code == 403
    review.refresh_from_db()
    assert review.handled_at is None
    intake.post(f"/admin/feedback/report/{report.pk}/xem-xet-lai/{review.pk}/da-xem/")
    review.refresh_from_db()
    assert review.handled_at is not None
    listing = intake.get("/admin/feedback/report/?danh-gia=cho-tiep-nhan")
    assert report.code not in listing.content.decode()


def test_reply_template_admin_for_intake_only(
    intake_officer: Any, official_a: Any
) -> None:
    assert (
        _logged_in(intake_officer).get("/admin/feedback/replytemplate/add/").status_code
        == 200
    )
    assert (
        _logged_in(official_a).get("/admin/feedback/replytemplate/add/").status_code
        == 403
    )
