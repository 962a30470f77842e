"""Notifications: right recipient and content, only after commit, through the outbox."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from feedback.models import Report, Status
from feedback.workflow import move_report
from portal.models import OutboxEmail
from portal.outbox import send_pending
from tests.factories import AgencyFactory, ReportFactory

pytestmark = pytest.mark.django_db


def test_reporter_told_when_accepted(
    intake_officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = ReportFactory(email="binh@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        move_report(
            report=report, to=Status.ACCEPTED, by=intake_officer, expected="new"
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["binh@example.vn"]
    assert report.code in message.subject
    assert "đã được tiếp nhận" in message.subject
    assert "Hạn xử lý dự kiến" in message.body


def test_reporter_told_reason_when_rejected(
    intake_officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = ReportFactory()
    with django_capture_on_commit_callbacks(execute=True):
        move_report(
            report=report,
            to=Status.REJECTED,
            by=intake_officer,
            expected="new",
            note="Nội dung không thuộc phạm vi tiếp nhận.",
        )
    [message] = mail.outbox
    assert message.to == [report.email]
    assert "không được tiếp nhận" in message.subject
    assert "Nội dung không thuộc phạm vi tiếp nhận." in message.body


def test_agency_told_when_routed_and_reporter_when_resolved(
    intake_officer: Any,
    official_a: Any,
    agency_a: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    report = ReportFactory(status=Status.ACCEPTED)
    with django_capture_on_commit_callbacks(execute=True):
        move_report(
            report=report,
            to=Status.IN_PROGRESS,
            by=intake_officer,
            expected="accepted",
            agency=agency_a,
        )
    [routed] = mail.outbox
    assert routed.to == [agency_a.email]
    assert report.code in routed.subject
    assert f"/admin/feedback/report/{report.pk}/change/" in routed.body
    assert report.phone not in routed.body  # no personal data in agency mail

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        move_report(
            report=report,
            to=Status.RESOLVED,
            by=official_a,
            expected="in_progress",
            answer="Đã thu gom rác.\n\nTrân trọng.",
        )
    [resolved] = mail.outbox
    assert resolved.to == [report.email]
    assert "Đã thu gom rác." in resolved.body
    assert f"/phan-anh/{report.code}/" in resolved.body
    html = resolved.alternatives[0][0]
    assert "<p>Đã thu gom rác.</p>" in html


def test_no_email_when_transaction_rolls_back(
    intake_officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = ReportFactory()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        move_report(
            report=report, to=Status.ACCEPTED, by=intake_officer, expected="new"
        )
        raise RuntimeError("something later in the request failed")
    assert callbacks == []
    assert mail.outbox == []
    report.refresh_from_db()
    assert report.status == Status.NEW


def test_no_email_for_refused_move(
    intake_officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = ReportFactory()
    client = Client()
    client.force_login(intake_officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:feedback_report_workflow", args=[report.pk]),
            {"action": "rejected", "expected": "new", "note": ""},
        )
    assert mail.outbox == []


@pytest.fixture
def queued(settings: Any) -> None:
    settings.EMAIL_QUEUE = True


def test_queue_writes_outbox_in_same_transaction(
    queued: None, intake_officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = ReportFactory()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        move_report(
            report=report,
            to=Status.REJECTED,
            by=intake_officer,
            expected="new",
            note="Tin rác",
        )
        raise RuntimeError("rolled back")
    assert not OutboxEmail.objects.exists()
    report.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        move_report(
            report=report,
            to=Status.REJECTED,
            by=intake_officer,
            expected="new",
            note="Tin rác",
        )
    assert mail.outbox == []  # nothing sent from the request
    row = OutboxEmail.objects.get()
    assert row.to == report.email
    assert row.state == OutboxEmail.State.PENDING

    call_command("send_emails")
    [message] = mail.outbox
    assert message.to == [report.email]
    assert "Tin rác" in message.body
    row.refresh_from_db()
    assert row.state == OutboxEmail.State.SENT
    assert row.attempts == 1


def test_outbox_retries_after_failure(
    queued: None, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from portal.lib.emails import send_after_commit

    report = ReportFactory.build(code="PA-TEST-0001")
    send_after_commit(
        "report-rejected", "a@example.vn", {"report": report, "public_url": "x"}
    )
    row = OutboxEmail.objects.get()

    def broken_send(self: Any, fail_silently: bool = False) -> int:
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken_send)
    assert send_pending() == (0, 1)
    row.refresh_from_db()
    assert row.state == OutboxEmail.State.PENDING
    assert row.attempts == 1
    assert "mail server down" in row.last_error
    assert send_pending() == (0, 0)  # not due again yet: backoff
    monkeypatch.undo()
    OutboxEmail.objects.update(next_attempt_at=row.created_at)
    assert send_pending() == (1, 0)
    assert len(mail.outbox) == 1


def test_direct_mode_survives_broken_mail_server(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    """EMAIL_QUEUE=0: a failing server after commit keeps the email for retry."""
    from portal.lib.emails import send_after_commit

    def broken_send(self: Any, fail_silently: bool = False) -> int:
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken_send)
    report = ReportFactory.build(code="PA-TEST-0002")
    with django_capture_on_commit_callbacks(execute=True):
        send_after_commit(
            "report-rejected", "b@example.vn", {"report": report, "public_url": "x"}
        )
    assert OutboxEmail.objects.filter(to="b@example.vn").exists()


def test_no_agency_email_without_address(
    intake_officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    silent = AgencyFactory(email="")
    report = ReportFactory(status=Status.ACCEPTED)
    with django_capture_on_commit_callbacks(execute=True):
        move_report(
            report=report,
            to=Status.IN_PROGRESS,
            by=intake_officer,
            expected="accepted",
            agency=silent,
        )
    assert mail.outbox == []
    assert Report.objects.get(pk=report.pk).agency == silent
