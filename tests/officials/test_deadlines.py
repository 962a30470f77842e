"""check_deadlines: each agency gets its due-soon and overdue reports once a day."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from feedback.deadlines import send_deadline_reminders
from feedback.models import DeadlineReminder, Report, Status
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
# Tuesday 08/12/2026, mid-morning: no holiday within two weeks either side.
NOW = datetime(2026, 12, 8, 9, 0, tzinfo=VN)


def routed(agency: Any, deadline: datetime) -> Report:
    report = ReportFactory(status=Status.IN_PROGRESS, agency=agency)
    Report.objects.filter(pk=report.pk).update(deadline=deadline)
    report.refresh_from_db()
    return report


def close_of(day: int) -> datetime:
    return datetime(2026, 12, day, 17, 0, tzinfo=VN)


def test_agencies_get_their_own_due_and_overdue_reports(
    agency_a: Any, agency_b: Any, django_capture_on_commit_callbacks: Any
) -> None:
    overdue = routed(agency_a, close_of(3))  # last Thursday
    soon = routed(agency_a, close_of(10))  # Thursday: two working days ahead
    later = routed(agency_a, close_of(11))  # Friday: three working days ahead
    other = routed(agency_b, close_of(9))
    with django_capture_on_commit_callbacks(execute=True):
        send_deadline_reminders(NOW)
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {agency_a.email, agency_b.email}
    body_a = by_recipient[agency_a.email].body
    assert overdue.code in body_a
    assert "ĐÃ QUÁ HẠN" in body_a
    assert soon.code in body_a
    assert "10/12/2026" in body_a
    assert later.code not in body_a
    assert other.code not in body_a
    assert other.code in by_recipient[agency_b.email].body
    assert DeadlineReminder.objects.count() == 3
    assert set(DeadlineReminder.objects.values_list("report_id", "overdue")) == {
        (overdue.pk, True),
        (soon.pk, False),
        (other.pk, False),
    }


def test_due_soon_counts_working_days_not_calendar_days(
    agency_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """From Friday 28/08/2026, Monday 31/08 (swapped), 1/9 and 2/9 are days off:
    Thursday 03/09 is the 1st working day ahead, Friday 04/09 the 2nd and Monday
    07/09 the 3rd."""
    friday = datetime(2026, 8, 28, 9, 0, tzinfo=VN)
    due_friday = routed(agency_a, datetime(2026, 9, 4, 17, 0, tzinfo=VN))
    due_monday = routed(agency_a, datetime(2026, 9, 7, 17, 0, tzinfo=VN))
    assert set(Report.objects.due_soon(friday)) == {due_friday}
    with django_capture_on_commit_callbacks(execute=True):
        send_deadline_reminders(friday)
    assert due_friday.code in mail.outbox[0].body
    assert due_monday.code not in mail.outbox[0].body


def test_reminded_once_per_report_per_day(
    agency_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    routed(agency_a, close_of(8))
    with django_capture_on_commit_callbacks(execute=True):
        send_deadline_reminders(NOW)
        send_deadline_reminders(NOW + timedelta(hours=2))
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        send_deadline_reminders(NOW + timedelta(days=1))
    assert len(mail.outbox) == 2


def test_command_reminds_of_overdue_reports(
    agency_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = routed(agency_a, timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("check_deadlines", stdout=io.StringIO())
    assert report.code in mail.outbox[0].body


def test_resolved_reports_not_reminded(
    agency_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = ReportFactory(status=Status.RESOLVED, agency=agency_a)
    Report.objects.filter(pk=report.pk).update(deadline=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        send_deadline_reminders(NOW + timedelta(hours=1))
    assert mail.outbox == []
