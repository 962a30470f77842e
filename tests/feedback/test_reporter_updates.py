"""The reporter's updates, corrections, withdrawal and requests to hide text."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from feedback import conversation
from feedback.models import (
    Attachment,
    Report,
    ReporterUpdate,
    ReportEvent,
    Status,
)
from tests.factories import CitizenReportFactory, ReportFactory
from tests.feedback import files

pytestmark = pytest.mark.django_db


def update_url(report: Report) -> str:
    return f"/phan-anh/{report.code}/bo-sung/"


def test_owner_adds_text_and_photos_agency_is_told(
    client: Client,
    citizen: Any,
    agency_a: Any,
    official_a: Any,
    media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    report = ReportFactory(status=Status.IN_PROGRESS, agency=agency_a, reporter=citizen)
    client.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            update_url(report),
            {
                "text": "Ổ gà đã rộng thêm sau trận mưa.",
                "photos": [files.jpeg("a.jpg"), files.png("b.png")],
            },
        )
    assert response.status_code == 302
    update = ReporterUpdate.objects.get(report=report)
    assert update.text == "Ổ gà đã rộng thêm sau trận mưa." and update.by == citizen
    photos = Attachment.objects.filter(update=update)
    assert photos.count() == 2
    assert all(p.kind == "update" and not p.is_public for p in photos)
    to = {a for m in mail.outbox for a in m.to}
    assert official_a.email in to and agency_a.email in to
    page = client.get(f"/phan-anh/{report.code}/").content.decode()
    assert "Ổ gà đã rộng thêm sau trận mưa." in page
    assert "Người gửi bổ sung thông tin" in page


def test_update_on_a_closed_report_is_refused(
    client: Client, citizen: Any, agency_a: Any, media: Path
) -> None:
    report = ReportFactory(status=Status.RESOLVED, agency=agency_a, reporter=citizen)
    client.force_login(citizen)
    response = client.post(
        update_url(report), {"text": "Thêm thông tin", "photos": [files.jpeg()]}
    )
    assert response.status_code == 400
    assert "đã kết thúc xử lý" in response.content.decode()
    assert not ReporterUpdate.objects.exists()
    assert not Attachment.objects.filter(kind="update").exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_update_with_four_photos_or_a_pdf_is_refused_and_nothing_kept(
    client: Client, citizen: Any, media: Path
) -> None:
    report = ReportFactory(status=Status.ACCEPTED, reporter=citizen)
    client.force_login(citizen)
    response = client.post(
        update_url(report),
        {"text": "Ảnh thêm", "photos": [files.jpeg(f"{n}.jpg") for n in range(4)]},
    )
    assert response.status_code == 400
    assert "tối đa 3 ảnh" in response.content.decode()
    response = client.post(update_url(report), {"text": "Đơn", "photos": [files.pdf()]})
    assert response.status_code == 400
    assert "chỉ nhận ảnh" in response.content.decode()
    assert not ReporterUpdate.objects.exists()
    assert not Attachment.objects.exists()


def test_empty_update_is_refused(client: Client, citizen: Any) -> None:
    report = ReportFactory(status=Status.ACCEPTED, reporter=citizen)
    client.force_login(citizen)
    response = client.post(update_url(report), {"text": "  "})
    assert response.status_code == 400
    assert "Vui lòng nhập nội dung bổ sung" in response.content.decode()
    assert not ReporterUpdate.objects.exists()


def test_stranger_with_the_code_cannot_add_an_update(
    client: Client, other_citizen: Any
) -> None:
    report = CitizenReportFactory(email="binh@example.vn")
    response = client.post(update_url(report), {"text": "Giả mạo"})
    assert response.status_code == 404
    client.force_login(other_citizen)
    assert client.post(update_url(report), {"text": "Giả mạo"}).status_code == 404
    assert not ReporterUpdate.objects.exists()


def test_anonymous_filer_updates_from_the_filing_session(
    client: Client, report_form: dict[str, str], media: Path
) -> None:
    response = client.post("/gui-phan-anh/", report_form)
    assert response.status_code == 302
    report = Report.objects.get()
    response = client.post(update_url(report), {"text": "Bổ sung: gần trường học."})
    assert response.status_code == 302
    assert ReporterUpdate.objects.get().text == "Bổ sung: gần trường học."


def test_code_and_email_proof_allows_an_update(client: Client) -> None:
    report = CitizenReportFactory(email="binh@example.vn")
    client.post(f"/phan-anh/{report.code}/xac-nhan/", {"email": "binh@example.vn"})
    response = client.post(update_url(report), {"text": "Thêm chi tiết vị trí."})
    assert response.status_code == 302
    assert ReporterUpdate.objects.filter(report=report).count() == 1


def test_correction_within_30_minutes_keeps_the_original_for_officials(
    client: Client, citizen: Any, intake_officer: Any
) -> None:
    report = ReportFactory(reporter=citizen, title="Ổ gà trên đuờng số 5")
    original = report.content
    client.force_login(citizen)
    response = client.post(
        f"/phan-anh/{report.code}/sua/",
        {"title": "Ổ gà trên đường số 5", "content": "Nội dung đã sửa, đủ dài để gửi."},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.title == "Ổ gà trên đường số 5"
    assert "duong so 5" in report.search_text
    correction = ReporterUpdate.objects.get(kind="correction")
    assert correction.previous_title == "Ổ gà trên đuờng số 5"
    assert correction.previous_content == original
    client.force_login(intake_officer)
    page = client.get(f"/admin/feedback/report/{report.pk}/change/").content.decode()
    assert "Ổ gà trên đuờng số 5" in page  # the original, for officials
    public = Client().get(f"/phan-anh/{report.code}/").content.decode()
    assert "Ổ gà trên đuờng số 5" not in public


def test_correction_after_30_minutes_is_refused(client: Client, citizen: Any) -> None:
    report = ReportFactory(reporter=citizen)
    Report.objects.filter(pk=report.pk).update(
        created_at=timezone.now() - timedelta(minutes=31)
    )
    report.refresh_from_db()
    title = report.title
    with pytest.raises(conversation.ConversationError, match="30 phút"):
        conversation.correct_report(
            report=report, title="Tiêu đề mới hơn", content="x" * 30, by=citizen
        )
    client.force_login(citizen)
    response = client.post(
        f"/phan-anh/{report.code}/sua/",
        {"title": "Tiêu đề mới hơn nhiều", "content": "Nội dung mới đủ dài để gửi đi."},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.title == title
    assert not ReporterUpdate.objects.exists()


def test_withdrawal_within_the_window_closes_the_report_quietly(
    client: Client, citizen: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = ReportFactory(reporter=citizen)
    client.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/phan-anh/{report.code}/rut/", {"confirm": "on", "reason": "Gửi nhầm"}
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.REJECTED and report.withdrawn_at is not None
    assert report.rejection_reason == "Người gửi đã rút phản ánh."
    assert ReporterUpdate.objects.get(kind="withdrawal").text == "Gửi nhầm"
    assert not any("không được tiếp nhận" in m.subject for m in mail.outbox)


def test_withdrawal_needs_confirmation_and_the_window(
    client: Client, citizen: Any
) -> None:
    report = ReportFactory(reporter=citizen)
    client.force_login(citizen)
    response = client.post(f"/phan-anh/{report.code}/rut/", {})
    assert response.status_code == 400
    Report.objects.filter(pk=report.pk).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    response = client.post(f"/phan-anh/{report.code}/rut/", {"confirm": "on"})
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.status == Status.NEW
    assert not ReporterUpdate.objects.exists()


def test_hide_request_then_official_redacts_everywhere(
    client: Client, citizen: Any, intake_officer: Any
) -> None:
    report = ReportFactory(
        reporter=citizen,
        status=Status.ACCEPTED,
        content="Nhà tôi ở số 12 Lê Lợi, gọi 0987 111 222 khi cần.",
    )
    client.force_login(citizen)
    response = client.post(
        f"/phan-anh/{report.code}/an-du-lieu/", {"text": "0987 111 222"}
    )
    assert response.status_code == 302
    response = client.post(
        f"/phan-anh/{report.code}/an-du-lieu/", {"text": "không có trong bài"}
    )
    assert response.status_code == 400
    hide = ReporterUpdate.objects.get(kind="hide_request")
    client.force_login(intake_officer)
    page = client.get(f"/admin/feedback/report/{report.pk}/change/").content.decode()
    assert "Ẩn đoạn này" in page
    response = client.post(f"/admin/feedback/report/{report.pk}/an-du-lieu/{hide.pk}/")
    assert response.status_code == 302
    report.refresh_from_db()
    assert "0987 111 222" not in report.content and "[…]" in report.content
    hide.refresh_from_db()
    assert hide.handled_by == intake_officer and hide.text == ""
    assert ReportEvent.objects.filter(report=report, kind="redacted").exists()
    # Handled once only.
    with pytest.raises(conversation.ConversationError):
        conversation.redact(hide_request=hide, by=intake_officer)


def test_other_agency_cannot_redact(
    citizen: Any, agency_a: Any, official_b: Any
) -> None:
    report = ReportFactory(reporter=citizen, status=Status.IN_PROGRESS, agency=agency_a)
    hide = conversation.request_hiding(report=report, text=report.title, by=citizen)
    with pytest.raises(conversation.ConversationError, match="không có quyền"):
        conversation.redact(hide_request=hide, by=official_b)
    report.refresh_from_db()
    assert "[…]" not in report.title
