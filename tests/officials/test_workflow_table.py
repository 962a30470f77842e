"""The workflow table drives every move: permissions, buttons, refusals, locking."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback import workflow
from feedback.models import Rating, Report, StaleTransition, Status, TransitionError
from feedback.permissions import INTAKE
from feedback.signals import report_status_changed
from feedback.workflow import Move, Need, change_status, move_report
from tests.factories import AgencyFactory, CategoryFactory, ReportFactory, UserFactory

pytestmark = pytest.mark.django_db


def change_page(user: Any, report: Report) -> str:
    client = Client()
    client.force_login(user)
    url = reverse("admin:feedback_report_change", args=[report.pk])
    return client.get(url).content.decode()


def post_move(user: Any, report: Report, **data: Any) -> Any:
    client = Client()
    client.force_login(user)
    data.setdefault("expected", report.status)
    return client.post(
        reverse("admin:feedback_report_workflow", args=[report.pk]), data
    )


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_adding_a_row_adds_the_button_and_the_permission(
    intake_officer: Any, agency_a: Any, monkeypatch: Any
) -> None:
    report = ReportFactory()
    assert "Chuyển thẳng đến cơ quan" not in change_page(intake_officer, report)
    refused = post_move(
        intake_officer, report, action="in_progress", agency=agency_a.pk
    )
    assert refused.status_code == 400
    direct = Move(
        Status.NEW,
        Status.IN_PROGRESS,
        frozenset({INTAKE}),
        "Chuyển thẳng đến cơ quan",  # type: ignore[arg-type]
        requires=frozenset({Need.AGENCY}),
        effects=(workflow.Effect.ROUTE,),
    )
    monkeypatch.setattr(workflow, "MOVES", (*workflow.MOVES, direct))
    page = change_page(intake_officer, report)
    assert "Chuyển thẳng đến cơ quan" in page
    assert 'id="agency-in_progress"' in page  # the row requires an agency
    response = post_move(
        intake_officer, report, action="in_progress", agency=agency_a.pk
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS
    assert report.agency == agency_a


def test_removing_a_row_removes_the_move(intake_officer: Any, monkeypatch: Any) -> None:
    report = ReportFactory(status=Status.RESOLVED)
    assert "Mở lại để xử lý tiếp" in change_page(intake_officer, report)
    monkeypatch.setattr(
        workflow,
        "MOVES",
        tuple(m for m in workflow.MOVES if m.source != Status.RESOLVED),
    )
    assert "Mở lại để xử lý tiếp" not in change_page(intake_officer, report)
    with pytest.raises(TransitionError) as refused:
        change_status(report=report, to=Status.IN_PROGRESS, by=intake_officer)
    assert refused.value.message == (
        "Không thể chuyển phản ánh từ “Đã xử lý” sang “Đang xử lý”."
    )


def test_refusals_are_clear_vietnamese_sentences(
    intake_officer: Any, official_a: Any, agency_a: Any
) -> None:
    new = ReportFactory()
    cases = [
        (
            {"report": new, "to": Status.RESOLVED, "by": intake_officer},
            "Không thể chuyển phản ánh từ “Chờ tiếp nhận” sang “Đã xử lý”.",
        ),
        (
            {"report": new, "to": Status.REJECTED, "by": intake_officer},
            "Cần nêu lý do không tiếp nhận.",
        ),
        (
            {
                "report": ReportFactory(status=Status.ACCEPTED),
                "to": "in_progress",
                "by": intake_officer,
            },
            "Cần chọn cơ quan xử lý để chuyển phản ánh.",
        ),
        (
            {
                "report": ReportFactory(status=Status.IN_PROGRESS, agency=agency_a),
                "to": Status.RESOLVED,
                "by": official_a,
            },
            "Cần nhập nội dung trả lời để hoàn tất.",
        ),
        (
            {
                "report": ReportFactory(status=Status.IN_PROGRESS, agency=agency_a),
                "to": Status.RESOLVED,
                "by": intake_officer,
                "answer": "Đã xử lý.",
            },
            "Bạn không có quyền chuyển phản ánh sang “Đã xử lý”.",
        ),
        (
            {
                "report": new,
                "to": Status.ACCEPTED,
                "by": intake_officer,
                "expected": Status.ACCEPTED,
            },
            "Phản ánh đã được người khác chuyển sang “Chờ tiếp nhận”. "
            "Vui lòng tải lại trang để xem trước khi thao tác.",
        ),
    ]
    for kwargs, message in cases:
        before = Report.objects.get(pk=kwargs["report"].pk).status
        with pytest.raises(TransitionError) as refused:
            change_status(**kwargs)
        assert refused.value.message == message
        # Nothing half-saved: the status and its history are unchanged.
        assert Report.objects.get(pk=kwargs["report"].pk).status == before


def test_stale_move_is_refused_once_with_one_message(intake_officer: Any) -> None:
    report = ReportFactory()
    Report.objects.get(pk=report.pk).transition(Status.ACCEPTED, by=None)
    response = post_move(
        intake_officer, report, action="rejected", note="Tin rác", expected="new"
    )
    assert response.status_code == 400
    assert messages_of(response) == [
        "Phản ánh đã được người khác chuyển sang “Đã tiếp nhận”. "
        "Vui lòng tải lại trang để xem trước khi thao tác."
    ]
    with pytest.raises(StaleTransition):
        change_status(
            report=report,
            to=Status.REJECTED,
            by=intake_officer,
            note="Tin rác",
            expected="new",
        )


def test_concurrent_category_change_survives_a_status_change(
    intake_officer: Any, agency_a: Any
) -> None:
    report = ReportFactory(status=Status.ACCEPTED)
    seen = Report.objects.get(pk=report.pk)  # the officer's page was loaded
    other = CategoryFactory(name="Môi trường (thử)")
    # A colleague re-classifies and types an answer draft meanwhile.
    Report.objects.filter(pk=report.pk).update(category=other, answer="Bản nháp")
    move_report(
        report=seen,
        to=Status.IN_PROGRESS,
        by=intake_officer,
        expected="accepted",
        agency=agency_a,
    )
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS
    assert report.agency == agency_a
    assert report.category == other
    assert report.answer == "Bản nháp"
    assert seen.status == Status.IN_PROGRESS  # the caller's copy follows


def test_acceptance_email_goes_out_only_after_commit(
    intake_officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = ReportFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        change_status(report=report, to=Status.ACCEPTED, by=intake_officer)
        assert mail.outbox == []  # not before the commit
    assert callbacks
    assert [m.to for m in mail.outbox] == [[report.email]]
    # Emails are the service's, not a receiver of feedback's own signal.
    receivers = [str(r) for r in report_status_changed.receivers]
    assert not any("notifications" in r for r in receivers)


def _resolved_for(reporter: Any) -> Report:
    agency = AgencyFactory()
    return ReportFactory(status=Status.RESOLVED, agency=agency, reporter=reporter)


def test_reporter_asks_for_review_within_the_window(
    citizen: Any, other_citizen: Any
) -> None:
    report = _resolved_for(citizen)
    Rating.objects.create(report=report, satisfied=False)
    with pytest.raises(TransitionError) as refused:
        change_status(
            report=report,
            to=Status.IN_PROGRESS,
            by=other_citizen,
            role="reporter",
            note="Chưa sửa xong",
        )
    assert refused.value.message == (
        "Bạn không có quyền chuyển phản ánh sang “Đang xử lý”."
    )
    with pytest.raises(TransitionError) as refused:
        change_status(report=report, to=Status.IN_PROGRESS, by=citizen, role="reporter")
    assert refused.value.message == "Cần nêu lý do để gửi yêu cầu."
    change = change_status(
        report=report,
        to=Status.IN_PROGRESS,
        by=citizen,
        role="reporter",
        note="Ổ gà vẫn còn.",
    )
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS
    assert report.resolved_at is None and not report.is_published
    assert change.actor == citizen and change.note == "Ổ gà vẫn còn."


def test_reporter_review_refused_after_the_window(citizen: Any) -> None:
    report = _resolved_for(citizen)
    Report.objects.filter(pk=report.pk).update(
        resolved_at=timezone.now() - timedelta(days=8)
    )
    Rating.objects.create(report=report, satisfied=False)
    with pytest.raises(TransitionError) as refused:
        change_status(
            report=report,
            to=Status.IN_PROGRESS,
            by=citizen,
            role="reporter",
            note="Vẫn chưa sửa.",
        )
    assert refused.value.message == (
        "Chỉ có thể yêu cầu xem xét lại trong 7 ngày sau khi có kết quả trả lời."
    )
    report.refresh_from_db()
    assert report.status == Status.RESOLVED


def test_reporter_cannot_use_officials_moves(citizen: Any) -> None:
    report = ReportFactory(reporter=citizen)
    with pytest.raises(TransitionError):
        change_status(report=report, to=Status.ACCEPTED, by=citizen)
    other = UserFactory()
    with pytest.raises(TransitionError):
        change_status(report=report, to=Status.ACCEPTED, by=other)
    assert Report.objects.get(pk=report.pk).status == Status.NEW


def test_bulk_accept_goes_through_the_table(intake_officer: Any) -> None:
    reports = [ReportFactory(), ReportFactory(status=Status.REJECTED)]
    client = Client()
    client.force_login(intake_officer)
    response = client.post(
        reverse("admin:feedback_report_changelist"),
        {
            "action": "accept_reports",
            "_selected_action": [r.pk for r in reports],
        },
        follow=True,
    )
    text = " ".join(messages_of(response))
    assert "Đã tiếp nhận 1 phản ánh." in text
    assert "Không thể chuyển phản ánh từ “Không tiếp nhận” sang “Đã tiếp nhận”." in text
    assert Report.objects.get(pk=reports[0].pk).status == Status.ACCEPTED


def test_intake_marks_a_report_urgent_and_its_deadline_shortens(
    intake_officer: Any,
) -> None:
    report = ReportFactory(status=Status.ACCEPTED)
    before = Report.objects.get(pk=report.pk).deadline
    client = Client()
    client.force_login(intake_officer)
    url = reverse("admin:feedback_report_change", args=[report.pk])
    response = client.post(
        url,
        {"category": report.category_id, "is_urgent": "on", "_continue": "1"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    report.refresh_from_db()
    assert report.is_urgent
    assert report.deadline is not None and before is not None
    assert report.deadline < before
    assert report.events.filter(kind="urgent", actor=intake_officer).exists()
