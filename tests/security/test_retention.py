"""Personal data has a lifetime, and an erased account leaves no copy behind."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts.models import PersonalDataRequest, User, UserSession
from accounts.retention import months_before
from accounts.signals import personal_data_erased
from feedback.models import AreaAlert, Follow, Report, Status, StatusChange
from portal.models import OutboxEmail
from tests.factories import ReportFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Mat-khau-an-toan-2026"


def closed_report(months_ago: int, status: str = Status.RESOLVED) -> Report:
    report = ReportFactory(allow_publish=False, status=status)
    StatusChange.objects.filter(report=report).update(
        created_at=months_before(timezone.now(), months_ago)
    )
    return report


def test_apply_retention_erases_reporters_data_of_reports_closed_over_24_months(
    settings: Any,
) -> None:
    assert settings.RETENTION_MONTHS == 24
    old_resolved = closed_report(25)
    old_rejected = closed_report(30, Status.REJECTED)
    recent = closed_report(23)
    still_open = ReportFactory(allow_publish=False, status=Status.IN_PROGRESS)
    StatusChange.objects.filter(report=still_open).update(
        created_at=months_before(timezone.now(), 40)
    )
    total = Report.objects.count()
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert "2 phản ánh" in out.getvalue()
    assert Report.objects.count() == total  # the reports stay for the statistics
    for report in (old_resolved, old_rejected):
        report.refresh_from_db()
        assert (report.id_number, report.email, report.phone) == ("", "", "")
        assert report.full_name != "Trần Thị Bình"
        assert report.anonymised_at is not None
        assert report.title and report.status in (Status.RESOLVED, Status.REJECTED)
    for report in (recent, still_open):
        report.refresh_from_db()
        assert report.id_number == "058190004321" and report.anonymised_at is None


def test_a_report_reopened_and_closed_again_starts_its_period_anew() -> None:
    report = closed_report(30)
    StatusChange.objects.create(
        report=report,
        from_status=Status.IN_PROGRESS,
        to_status=Status.RESOLVED,
        created_at=months_before(timezone.now(), 2),
    )
    call_command("apply_retention", stdout=io.StringIO())
    report.refresh_from_db()
    assert report.id_number == "058190004321"


def test_sent_outbox_emails_are_pruned_after_30_days(settings: Any) -> None:
    assert settings.OUTBOX_RETENTION_DAYS == 30
    now = timezone.now()

    def email(state: str, days: int) -> OutboxEmail:
        return OutboxEmail.objects.create(
            template="t",
            to="binh@example.vn",
            subject="s",
            body="b",
            state=state,
            created_at=now - timedelta(days=days),
        )

    old_sent, old_failed = email("sent", 31), email("failed", 45)
    recent_sent, old_pending = email("sent", 29), email("pending", 60)
    call_command("apply_retention", stdout=io.StringIO())
    remaining = set(OutboxEmail.objects.values_list("pk", flat=True))
    assert remaining == {recent_sent.pk, old_pending.pk}
    assert old_sent.pk not in remaining and old_failed.pk not in remaining


def test_account_deletion_erases_every_copy(client: Client, citizen: User) -> None:
    report = ReportFactory(allow_publish=False, reporter=citizen, email=citizen.email)
    OutboxEmail.objects.create(
        template="t", to=citizen.email.upper(), subject="s", body="b"
    )
    OutboxEmail.objects.create(
        template="t", to="khac@example.vn", subject="s", body="b"
    )
    AccessAttempt.objects.create(
        username=citizen.username, ip_address="203.0.113.5", failures_since_start=1
    )
    followed = ReportFactory(status=Status.ACCEPTED)
    Follow.objects.create(report=followed, email=citizen.email.upper())
    Follow.objects.create(report=followed, email="khac@example.vn")
    AreaAlert.objects.create(email=citizen.email, commune_code="22759")
    laptop = Client()
    assert (
        laptop.post(
            "/dang-nhap/", {"username": citizen.username, "password": PASSWORD}
        ).status_code
        == 302
    )
    laptop_key = laptop.session.session_key
    client.post("/dang-nhap/", {"username": citizen.username, "password": PASSWORD})
    assert UserSession.objects.filter(user=citizen).count() == 2
    heard: list[str] = []

    def hook(sender: Any, user: Any, **kwargs: Any) -> None:
        heard.append(user.email)  # e.g. follows and area alerts erase theirs here

    personal_data_erased.connect(hook, dispatch_uid="test.hook")
    try:
        response = client.post("/tai-khoan/xoa/", {"password": PASSWORD})
    finally:
        personal_data_erased.disconnect(dispatch_uid="test.hook")
    assert response.status_code == 302
    assert heard == [citizen.email]
    assert not User.objects.filter(pk=citizen.pk).exists()
    report.refresh_from_db()
    assert (report.id_number, report.email, report.phone) == ("", "", "")
    assert list(OutboxEmail.objects.values_list("to", flat=True)) == ["khac@example.vn"]
    assert not AccessAttempt.objects.exists()
    assert list(Follow.objects.values_list("email", flat=True)) == ["khac@example.vn"]
    assert not AreaAlert.objects.exists()
    assert not Session.objects.filter(session_key=laptop_key).exists()
    assert not UserSession.objects.exists()
    assert laptop.get("/tai-khoan/").status_code == 302  # signed out everywhere


def test_request_log_shows_the_two_working_day_answer_time_and_flags_overdue(
    client: Client,
) -> None:
    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    friday = datetime(2026, 11, 27, 9, 0, tzinfo=tz)
    on_friday = PersonalDataRequest(kind="erasure", requester="-", received_at=friday)
    assert on_friday.due_on.isoformat() == "2026-12-01"  # Monday and Tuesday
    assert on_friday.is_overdue(today=on_friday.due_on + timedelta(days=1))
    assert not on_friday.is_overdue(today=on_friday.due_on)
    late = PersonalDataRequest.objects.create(
        kind=PersonalDataRequest.Kind.ERASURE,
        requester="Trần Thị Bình",
        received_at=timezone.now() - timedelta(days=10),
    )
    fresh = PersonalDataRequest.objects.create(
        kind=PersonalDataRequest.Kind.ACCESS, requester="Lê Văn An"
    )
    answered = PersonalDataRequest.objects.create(
        kind=PersonalDataRequest.Kind.CORRECTION,
        requester="Phạm Thị Cúc",
        received_at=friday - timedelta(days=30),
        state=PersonalDataRequest.State.ANSWERED,
    )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get("/admin/accounts/personaldatarequest/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "2 ngày làm việc" in text and "Quá hạn" in text
    overdue = client.get("/admin/accounts/personaldatarequest/?qua_han=1")
    shown = {item.pk for item in overdue.context["cl"].result_list}
    assert shown == {late.pk}
    assert fresh.pk not in shown and answered.pk not in shown
