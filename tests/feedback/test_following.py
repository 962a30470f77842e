"""Following a public report and area alerts: double opt-in, one-click
unsubscribe, emails in the follower's language with nobody's personal data."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from feedback.follows import send_alert_digests
from feedback.models import AreaAlert, Follow, Report, Status
from feedback.workflow import move_report, set_published
from tests.factories import CategoryFactory, ReportFactory

pytestmark = pytest.mark.django_db


def link(message: Any, kind: str) -> str:
    """The path of the confirmation (xac-nhan) or unsubscribe (huy) link."""
    match = re.search(rf"https?://[^/\s]+(/theo-doi/{kind}/[^\s\"<]+/)", message.body)
    assert match, message.body
    return match.group(1)


def follow(client: Client, report: Report, email: str = "hang@example.vn") -> Any:
    return client.post(f"/phan-anh/{report.code}/theo-doi/", {"email": email})


def test_follow_needs_confirmation_before_any_status_email(
    client: Client,
    agency_a: Any,
    official_a: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    report = ReportFactory(status=Status.IN_PROGRESS, agency=agency_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = follow(client, report)
    assert response.status_code == 302
    [confirmation] = mail.outbox
    assert confirmation.to == ["hang@example.vn"]
    assert "Xác nhận theo dõi" in confirmation.subject
    assert "hang@example.vn" not in link(confirmation, "xac-nhan")  # no email in URLs
    mail.outbox.clear()
    # Not confirmed: the status change reaches the reporter only.
    with django_capture_on_commit_callbacks(execute=True):
        move_report(
            report=report,
            to=Status.RESOLVED,
            by=official_a,
            expected=Status.IN_PROGRESS,
            answer="Đã vá.",
        )
    assert all("hang@example.vn" not in m.to for m in mail.outbox)
    assert Follow.objects.get().confirmed_at is None


def test_confirmed_follower_gets_status_and_answer_in_own_language(
    client: Client,
    agency_a: Any,
    official_a: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    report = ReportFactory(status=Status.IN_PROGRESS, agency=agency_a)
    client.cookies["django_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        follow(client, report, "tom@example.com")
    follow_row = Follow.objects.get()
    assert follow_row.language == "en"
    response = client.get(link(mail.outbox[0], "xac-nhan"))
    assert response.status_code == 200
    follow_row.refresh_from_db()
    assert follow_row.confirmed_at is not None
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        move_report(
            report=report,
            to=Status.RESOLVED,
            by=official_a,
            expected=Status.IN_PROGRESS,
            answer="Đã vá ổ gà.",
        )
    [status_mail] = [m for m in mail.outbox if m.to == ["tom@example.com"]]
    assert report.code in status_mail.subject
    # Rendered in the follower's language (the status names are in the catalog).
    assert "Resolved" in status_mail.subject and "Đã xử lý" not in status_mail.subject
    # Nobody's personal data: not the reporter's name, email or phone.
    for secret in (report.full_name, report.email, report.phone, report.id_number):
        assert secret not in status_mail.body
    assert "/theo-doi/huy/" in status_mail.body
    assert status_mail.body != ""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        set_published(report=report, publish=True, by=official_a)
    [answer_mail] = [m for m in mail.outbox if m.to == ["tom@example.com"]]
    assert "Đã vá ổ gà." in answer_mail.body


def test_unsubscribe_asks_once_and_a_reused_link_changes_nothing(
    client: Client, agency_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = ReportFactory(status=Status.ACCEPTED, agency=agency_a)
    with django_capture_on_commit_callbacks(execute=True):
        follow(client, report)
    client.get(link(mail.outbox[0], "xac-nhan"))
    unsubscribe = link(mail.outbox[0], "huy")
    # Opening the link (as mail services do to check it) only asks.
    asked = Client().get(unsubscribe)
    assert asked.status_code == 200
    html = asked.content.decode()
    assert f'<form method="post" action="{unsubscribe}">' in html
    assert "Đã huỷ" not in html
    assert Follow.objects.get().unsubscribed_at is None
    response = Client().post(unsubscribe)  # the page's button
    assert response.status_code == 200
    assert "Đã huỷ" in response.content.decode()
    first = Follow.objects.get().unsubscribed_at
    assert first is not None
    again = Client().get(unsubscribe)
    assert "đã được huỷ trước đó" in again.content.decode()
    assert f'action="{unsubscribe}"' not in again.content.decode()
    assert Client().post(unsubscribe).status_code == 200
    assert Follow.objects.get().unsubscribed_at == first
    # Following again starts a new opt-in: the old links no longer apply.
    with django_capture_on_commit_callbacks(execute=True):
        follow(client, report)
    row = Follow.objects.get()
    assert row.unsubscribed_at is None and row.confirmed_at is None
    assert Client().get(unsubscribe).status_code == 400
    assert Client().post(unsubscribe).status_code == 400
    assert Client().get(link(mail.outbox[0], "xac-nhan")).status_code == 400


def test_forged_or_expired_confirmation_is_refused(
    client: Client,
    agency_a: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from feedback import follows

    report = ReportFactory(status=Status.ACCEPTED, agency=agency_a)
    with django_capture_on_commit_callbacks(execute=True):
        follow(client, report)
    path = link(mail.outbox[0], "xac-nhan")
    assert client.get(path[:-3] + "xx/").status_code == 400
    # An unsubscribe link is not a confirmation link.
    assert (
        client.get(link(mail.outbox[0], "huy").replace("huy", "xac-nhan")).status_code
        == 400
    )
    monkeypatch.setattr(follows, "CONFIRM_MAX_AGE", -1)
    assert client.get(path).status_code == 400
    assert Follow.objects.get().confirmed_at is None


def test_private_report_cannot_be_followed(client: Client) -> None:
    report = ReportFactory(status=Status.ACCEPTED, allow_publish=False)
    response = follow(client, report)
    assert response.status_code == 400
    assert not Follow.objects.exists()
    new = ReportFactory(status=Status.NEW)
    assert follow(client, new).status_code == 400
    assert not Follow.objects.exists()


def test_followers_count_on_the_report_and_in_admin(
    client: Client, agency_a: Any, intake_officer: Any
) -> None:
    report = ReportFactory(status=Status.ACCEPTED, agency=agency_a)
    now = timezone.now()
    for n in range(3):
        Follow.objects.create(report=report, email=f"f{n}@example.vn", confirmed_at=now)
    Follow.objects.create(report=report, email="chua@example.vn")  # not confirmed
    page = client.get(f"/phan-anh/{report.code}/").content.decode()
    assert "3 người cùng phản ánh" in page
    assert "f0@example.vn" not in page
    client.force_login(intake_officer)
    listing = client.get("/admin/feedback/report/")
    assert listing.status_code == 200
    [row] = [r for r in listing.context["cl"].result_list if r.pk == report.pk]
    assert row.followers == 3


def test_area_alert_double_opt_in_and_daily_digest(
    client: Client, intake_officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    roads = CategoryFactory(name="Giao thông (thử)")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/nhan-tin-khu-vuc/",
            {"email": "khu@example.vn", "category": roads.pk, "consent": "on"},
        )
    assert response.status_code == 302
    alert = AreaAlert.objects.get()
    assert send_alert_digests() == 0  # not confirmed yet
    client.get(link(mail.outbox[0], "xac-nhan"))
    alert.refresh_from_db()
    assert alert.is_active
    mail.outbox.clear()
    match = ReportFactory(category=roads, title="Đèn tín hiệu hỏng ở ngã tư")
    other = ReportFactory(title="Rác thải ven sông")
    for report in (match, other):
        move_report(
            report=report, to=Status.ACCEPTED, by=intake_officer, expected="new"
        )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_alert_digests", stdout=io.StringIO())
    [digest] = mail.outbox
    assert digest.to == ["khu@example.vn"]
    assert match.title in digest.body and other.title not in digest.body
    assert match.full_name not in digest.body and match.email not in digest.body
    assert "/theo-doi/huy/" in digest.body
    mail.outbox.clear()
    assert send_alert_digests() == 0  # nothing new since: no second email


def test_area_alert_form_needs_a_scope_and_consent(client: Client) -> None:
    response = client.post("/nhan-tin-khu-vuc/", {"email": "a@example.vn"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Vui lòng đánh dấu đồng ý" in text
    response = client.post(
        "/nhan-tin-khu-vuc/",
        {"email": "a@example.vn", "consent": "on", "commune_code": "12"},
    )
    assert "đúng 5 chữ số" in response.content.decode()
    response = client.post(
        "/nhan-tin-khu-vuc/", {"email": "a@example.vn", "consent": "on"}
    )
    assert "mã xã/phường hoặc chọn lĩnh vực" in response.content.decode()
    assert not AreaAlert.objects.exists()


def test_following_twice_keeps_one_row_and_an_active_follower_gets_no_new_mail(
    client: Client, agency_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = ReportFactory(status=Status.ACCEPTED, agency=agency_a)
    with django_capture_on_commit_callbacks(execute=True):
        follow(client, report, "Hang@Example.vn")
        follow(client, report, "hang@example.vn")
    assert Follow.objects.count() == 1
    client.get(link(mail.outbox[-1], "xac-nhan"))
    assert Follow.objects.get().is_active
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = follow(client, report, "HANG@example.vn")
    assert response.status_code == 302  # the same answer: it reveals nothing
    assert mail.outbox == []


def test_with_the_outbox_follower_mail_is_queued_in_its_language(
    settings: Any,
    agency_a: Any,
    official_a: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from portal.models import OutboxEmail

    settings.EMAIL_QUEUE = True
    report = ReportFactory(status=Status.IN_PROGRESS, agency=agency_a)
    Follow.objects.create(
        report=report,
        email="tom@example.com",
        language="en",
        confirmed_at=timezone.now(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        move_report(
            report=report,
            to=Status.RESOLVED,
            by=official_a,
            expected=Status.IN_PROGRESS,
            answer="Đã vá.",
        )
    row = OutboxEmail.objects.get(to="tom@example.com", template="follow-status")
    assert "Resolved" in row.subject
    assert "/theo-doi/huy/" in row.body
