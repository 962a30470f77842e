"""check_deadlines: each agency gets its due-soon and overdue reports once a day."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from feedback.deadlines import send_deadline_reminders
from feedback.models import DeadlineReminder, Report, Status
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def routed(agency: Any, days_left: int) -> Report:
    report = ReportFactory(status=Status.IN_PROGRESS, agency=agency)
    Report.objects.filter(pk=report.pk).update(
        deadline=timezone.localdate() + timedelta(days=days_left)
    )
    report.refresh_from_db()
    return report


def test_agencies_get_their_own_due_and_overdue_reports(
    agency_a: Any, agency_b: Any, django_capture_on_commit_callbacks: Any
) -> None:
    overdue = routed(agency_a, -3)
    soon = routed(agency_a, 2)
    later = routed(agency_a, 7)
    other = routed(agency_b, 1)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("check_deadlines")
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {agency_a.email, agency_b.email}
    body_a = by_recipient[agency_a.email].body
    assert overdue.code in body_a
    assert "ĐÃ QUÁ HẠN" in body_a
    assert soon.code in body_a
    assert later.code not in body_a
    assert other.code not in body_a
    assert other.code in by_recipient[agency_b.email].body
    assert DeadlineReminder.objects.count() == 3


def test_reminded_once_per_report_per_day(
    agency_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    routed(agency_a, 0)
    with django_capture_on_commit_callbacks(execute=True):
        send_deadline_reminders()
        send_deadline_reminders()
    assert len(mail.outbox) == 1
    tomorrow = timezone.localdate() + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        send_deadline_reminders(today=tomorrow)
    assert len(mail.outbox) == 2


def test_resolved_reports_not_reminded(
    agency_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = ReportFactory(status=Status.RESOLVED, agency=agency_a)
    Report.objects.filter(pk=report.pk).update(deadline=timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        send_deadline_reminders()
    assert mail.outbox == []
