"""“Chưa hài lòng” reaches the agency: reasons, review requests that reopen the
report, who is told, the review window, the second request, admin and export."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from feedback import conversation
from feedback.models import Rating, Report, ReviewRequest, Status, StatusChange
from feedback.selectors import satisfaction_by_agency, satisfaction_by_category
from feedback.workflow import move_report
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def resolved(citizen: Any, agency: Any, **kwargs: Any) -> Report:
    """A report of ``citizen`` answered by ``agency`` just now."""
    return ReportFactory(
        status=Status.RESOLVED, agency=agency, reporter=citizen, **kwargs
    )


def rate_and_review(client: Client, report: Report, **extra: str) -> Any:
    return client.post(
        f"/phan-anh/{report.code}/danh-gia/",
        {
            "satisfied": "0",
            "reasons": ["not_fixed", "partly"],
            "comment": "Ổ gà vẫn còn nguyên.",
            "request_review": "on",
            **extra,
        },
    )


def test_not_satisfied_with_review_reopens_and_tells_agency_and_intake(
    client: Client,
    citizen: Any,
    agency_a: Any,
    official_a: Any,
    official_b: Any,
    intake_officer: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    report = resolved(citizen, agency_a)
    past = timezone.now() - timedelta(days=30)
    Report.objects.filter(pk=report.pk).update(deadline=past)
    report.refresh_from_db()
    client.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        response = rate_and_review(client, report)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS
    assert report.resolved_at is None
    # A new deadline from today, in working days.
    assert report.deadline is not None and report.deadline > timezone.now()
    rating = Rating.objects.get(report=report)
    assert not rating.satisfied and rating.reasons == ["not_fixed", "partly"]
    review = ReviewRequest.objects.get(report=report)
    assert review.number == 1 and review.routed_to == "agency"
    change = StatusChange.objects.filter(report=report).last()
    assert change is not None
    assert (change.from_status, change.to_status) == ("resolved", "in_progress")
    assert change.actor == citizen
    to = {address for message in mail.outbox for address in message.to}
    assert {agency_a.email, official_a.email, intake_officer.email} <= to
    assert official_b.email not in to
    body = next(m.body for m in mail.outbox if official_a.email in m.to)
    assert "Sự việc chưa được khắc phục" in body and "Ổ gà vẫn còn nguyên." in body
    # Officials' emails carry no personal data of the reporter.
    assert report.full_name not in body and report.email not in body


def test_rating_without_review_keeps_the_report_resolved_and_offers_review(
    client: Client, citizen: Any, agency_a: Any
) -> None:
    report = resolved(citizen, agency_a)
    client.force_login(citizen)
    client.post(
        f"/phan-anh/{report.code}/danh-gia/",
        {"satisfied": "0", "reasons": ["unclear"], "comment": ""},
    )
    report.refresh_from_db()
    assert report.status == Status.RESOLVED
    page = client.get(f"/phan-anh/{report.code}/")
    assert page.context["review_form"] is not None
    assert "Yêu cầu xem xét lại" in page.content.decode()
    response = client.post(
        f"/phan-anh/{report.code}/xem-xet-lai/", {"reasons": ["unclear"]}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS


def test_review_needs_a_reason(client: Client, citizen: Any, agency_a: Any) -> None:
    report = resolved(citizen, agency_a)
    client.force_login(citizen)
    response = rate_and_review(client, report, reasons=[])  # type: ignore[arg-type]
    assert response.status_code == 200  # the page again, with the form's errors
    assert "ít nhất một lý do" in str(response.context["rating_form"].errors)
    report.refresh_from_db()
    assert report.status == Status.RESOLVED
    assert not Rating.objects.exists() and not ReviewRequest.objects.exists()


def test_review_after_the_window_is_refused(
    client: Client, citizen: Any, agency_a: Any, settings: Any
) -> None:
    settings.REVIEW_WINDOW_DAYS = 7
    report = resolved(citizen, agency_a)
    Report.objects.filter(pk=report.pk).update(
        resolved_at=timezone.now() - timedelta(days=8)
    )
    report.refresh_from_db()
    with pytest.raises(conversation.ConversationError, match="Đã quá 7 ngày"):
        conversation.request_review(report=report, by=citizen, reasons=["not_fixed"])
    report.refresh_from_db()
    assert report.status == Status.RESOLVED
    assert not ReviewRequest.objects.exists()
    client.force_login(citizen)
    page = client.get(f"/phan-anh/{report.code}/")
    assert "request_review" not in page.context["rating_form"].fields
    response = client.post(
        f"/phan-anh/{report.code}/xem-xet-lai/", {"reasons": ["not_fixed"]}
    )
    assert response.status_code == 400
    assert "Đã quá 7 ngày" in response.content.decode()


def test_second_review_goes_to_intake_not_agency_and_third_is_refused(
    citizen: Any,
    agency_a: Any,
    official_a: Any,
    intake_officer: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    report = resolved(citizen, agency_a)
    conversation.request_review(report=report, by=citizen, reasons=["not_fixed"])
    move_report(
        report=report,
        to=Status.RESOLVED,
        by=official_a,
        expected=Status.IN_PROGRESS,
        answer="Đã vá lại lần hai.",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        second = conversation.request_review(
            report=report, by=citizen, reasons=["partly"]
        )
    assert second.number == 2 and second.routed_to == "intake"
    to = {address for message in mail.outbox for address in message.to}
    assert intake_officer.email in to
    assert official_a.email not in to and agency_a.email not in to
    assert "lần 2" in mail.outbox[0].subject
    move_report(
        report=report,
        to=Status.RESOLVED,
        by=official_a,
        expected=Status.IN_PROGRESS,
        answer="Đã vá lại lần ba.",
    )
    with pytest.raises(conversation.ConversationError, match="xem xét lại 2 lần"):
        conversation.request_review(report=report, by=citizen, reasons=["partly"])
    report.refresh_from_db()
    assert report.status == Status.RESOLVED
    assert ReviewRequest.objects.filter(report=report).count() == 2


def test_review_of_an_open_report_is_refused(citizen: Any, agency_a: Any) -> None:
    report = ReportFactory(status=Status.IN_PROGRESS, agency=agency_a, reporter=citizen)
    with pytest.raises(conversation.ConversationError, match="đã có kết quả"):
        conversation.request_review(report=report, by=citizen)
    assert not ReviewRequest.objects.exists()


def test_stranger_cannot_ask_for_review(
    client: Client, citizen: Any, other_citizen: Any, agency_a: Any
) -> None:
    report = resolved(citizen, agency_a)
    client.force_login(other_citizen)
    response = client.post(
        f"/phan-anh/{report.code}/xem-xet-lai/", {"reasons": ["not_fixed"]}
    )
    assert response.status_code == 404
    response = rate_and_review(client, report, email="sai@example.vn")
    assert response.status_code == 200
    assert "Email không khớp" in str(response.context["rating_form"].errors)
    report.refresh_from_db()
    assert report.status == Status.RESOLVED


def test_code_holder_proves_email_once_then_reviews(
    client: Client, agency_a: Any
) -> None:
    report = ReportFactory(
        status=Status.RESOLVED, agency=agency_a, email="an@example.vn"
    )
    response = client.post(
        f"/phan-anh/{report.code}/xac-nhan/", {"email": "khac@example.vn"}
    )
    assert response.status_code == 400
    assert "Email không khớp" in response.content.decode()
    client.post(f"/phan-anh/{report.code}/xac-nhan/", {"email": "AN@example.vn"})
    response = rate_and_review(client, report)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS


def test_a_reopened_report_answered_again_can_be_rated_again(
    citizen: Any, agency_a: Any, official_a: Any
) -> None:
    from feedback.services import RatingError, rate_report

    report = resolved(citizen, agency_a)
    rate_report(report=report, satisfied=False, comment="", reasons=["slow"])
    with pytest.raises(RatingError):
        rate_report(report=report, satisfied=True, comment="")
    conversation.request_review(report=report, by=citizen, reasons=["slow"])
    move_report(
        report=report,
        to=Status.RESOLVED,
        by=official_a,
        expected=Status.IN_PROGRESS,
        answer="Đã xử lý xong.",
    )
    rate_report(report=report, satisfied=True, comment="Cảm ơn")
    rating = Rating.objects.get(report=report)
    assert rating.satisfied and rating.reasons == []
    assert ReviewRequest.objects.get(report=report).reasons == ["slow"]


def test_admin_shows_rating_column_filter_and_comment(
    client: Client, citizen: Any, agency_a: Any, intake_officer: Any
) -> None:
    unhappy = resolved(citizen, agency_a, title="Đèn đường hỏng chưa sửa")
    happy = resolved(citizen, agency_a, title="Cây đổ đã dọn xong")
    Rating.objects.create(
        report=unhappy, satisfied=False, reasons=["not_fixed"], comment="Vẫn tối om"
    )
    Rating.objects.create(report=happy, satisfied=True)
    client.force_login(intake_officer)
    page = client.get("/admin/feedback/report/?danh-gia=chua-hai-long")
    text = page.content.decode()
    assert unhappy.title in text and happy.title not in text
    assert "Chưa hài lòng" in text
    change = client.get(f"/admin/feedback/report/{unhappy.pk}/change/").content.decode()
    assert "Vẫn tối om" in change and "Sự việc chưa được khắc phục" in change


def test_export_has_the_rating_columns(
    client: Client, citizen: Any, agency_a: Any, intake_officer: Any
) -> None:
    report = resolved(citizen, agency_a)
    Rating.objects.create(
        report=report, satisfied=False, reasons=["slow"], comment="Quá chậm"
    )
    client.force_login(intake_officer)
    response = client.get("/admin/feedback/report/export/csv/")
    text = response.content.decode("utf-8-sig")
    header, *rows = text.splitlines()
    assert "Đánh giá" in header and "Lý do chưa hài lòng" in header
    line = next(row for row in rows if report.code in row)
    assert "Chưa hài lòng" in line and "Xử lý chậm" in line and "Quá chậm" in line


def test_satisfaction_by_agency_and_category(agency_a: Any, agency_b: Any) -> None:
    for agency, satisfied in [
        (agency_a, True),
        (agency_a, False),
        (agency_a, True),
        (agency_b, False),
    ]:
        report = ReportFactory(status=Status.RESOLVED, agency=agency)
        Rating.objects.create(report=report, satisfied=satisfied)
    ReportFactory(status=Status.RESOLVED, agency=agency_b)  # not rated: not counted
    rows = {row["id"]: row for row in satisfaction_by_agency()}
    assert rows[agency_a.pk]["rated"] == 3 and rows[agency_a.pk]["satisfied"] == 2
    assert rows[agency_a.pk]["rate"] == 66.7
    assert rows[agency_b.pk]["rate"] == 0.0
    assert sum(row["rated"] for row in satisfaction_by_category()) == 4
