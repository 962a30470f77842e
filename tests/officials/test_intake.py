"""One-step intake from the report page, the next report after each decision,
and publishing as a box on the answer form."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback.models import Report, Status
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def intake_url(report: Report) -> str:
    return reverse("admin:feedback_report_intake", args=[report.pk])


def change_url(report: Report) -> str:
    return reverse("admin:feedback_report_change", args=[report.pk])


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_report_page_offers_one_step_intake_for_a_new_report(
    intake_officer: Any,
) -> None:
    report = ReportFactory()
    html = logged_in(intake_officer).get(change_url(report)).content.decode()
    assert "Tiếp nhận trong một bước" in html
    assert "Lưu và mở phản ánh tiếp theo" in html
    assert intake_url(report) in html


def test_accept_and_route_in_one_step(intake_officer: Any, agency_a: Any) -> None:
    report = ReportFactory()
    response = logged_in(intake_officer).post(
        intake_url(report),
        {"decision": "accept_route", "agency": agency_a.pk, "expected": "new"},
    )
    assert response.status_code == 302
    assert response["Location"] == change_url(report)
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS
    assert report.agency == agency_a
    assert report.deadline is not None
    moves = [(c.from_status, c.to_status) for c in report.changes.order_by("pk")]
    assert moves[-2:] == [("new", "accepted"), ("accepted", "in_progress")]


def test_accept_without_agency_is_refused_and_nothing_moves(
    intake_officer: Any,
) -> None:
    report = ReportFactory()
    response = logged_in(intake_officer).post(
        intake_url(report), {"decision": "accept_route", "expected": "new"}
    )
    assert response.status_code == 200
    assert "Cần chọn cơ quan xử lý" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.NEW
    assert report.changes.filter(to_status=Status.ACCEPTED).count() == 0


def test_reject_with_a_reason_template(intake_officer: Any) -> None:
    report = ReportFactory()
    response = logged_in(intake_officer).post(
        intake_url(report),
        {
            "decision": "reject",
            "reason": "duplicate",
            "note": "Xem PA-AAAA-BBBB.",
            "expected": "new",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.REJECTED
    assert report.rejection_reason == (
        "Trùng với phản ánh đã gửi trước đó. Xem PA-AAAA-BBBB."
    )


def test_reject_without_a_reason_is_refused(intake_officer: Any) -> None:
    report = ReportFactory()
    response = logged_in(intake_officer).post(
        intake_url(report), {"decision": "reject", "expected": "new"}
    )
    assert "Cần chọn lý do không tiếp nhận" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.NEW


def test_save_and_next_opens_the_next_new_report_then_the_empty_queue(
    intake_officer: Any, agency_a: Any
) -> None:
    now = timezone.now()
    older = ReportFactory(created_at=now - timedelta(hours=2))
    newer = ReportFactory(created_at=now - timedelta(hours=1))
    client = logged_in(intake_officer)
    data = {"decision": "accept_route", "agency": agency_a.pk, "expected": "new"}
    response = client.post(intake_url(newer), {**data, "_next": "1"})
    assert response["Location"] == change_url(older)
    response = client.post(intake_url(older), {**data, "_next": "1"})
    assert response["Location"].endswith("?status__exact=new")
    assert set(Report.objects.values_list("status", flat=True)) == {"in_progress"}


def test_stale_intake_is_refused(intake_officer: Any) -> None:
    report = ReportFactory(status=Status.ACCEPTED)
    response = logged_in(intake_officer).post(
        intake_url(report), {"decision": "reject", "reason": "spam", "expected": "new"}
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == Status.ACCEPTED


def test_agency_official_cannot_use_intake(official_a: Any, agency_a: Any) -> None:
    report = ReportFactory(agency=agency_a)
    response = logged_in(official_a).post(
        intake_url(report),
        {"decision": "reject", "reason": "spam", "expected": "new"},
    )
    assert response.status_code in (403, 404)
    report.refresh_from_db()
    assert report.status == Status.NEW


def test_answer_form_publishes_when_the_box_is_ticked(
    official_a: Any, agency_a: Any
) -> None:
    report = ReportFactory(
        status=Status.IN_PROGRESS, agency=agency_a, allow_publish=True
    )
    client = logged_in(official_a)
    html = client.get(change_url(report)).content.decode()
    assert 'name="publish"' in html
    response = client.post(
        reverse("admin:feedback_report_workflow", args=[report.pk]),
        {
            "action": "resolved",
            "expected": "in_progress",
            "answer": "Đã vá xong ổ gà.",
            "publish": "on",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.RESOLVED and report.is_published


def test_no_publish_box_without_the_reporters_consent(
    official_a: Any, agency_a: Any
) -> None:
    report = ReportFactory(
        status=Status.IN_PROGRESS, agency=agency_a, allow_publish=False
    )
    html = logged_in(official_a).get(change_url(report)).content.decode()
    assert 'name="publish"' not in html
