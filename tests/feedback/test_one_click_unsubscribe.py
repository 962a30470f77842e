"""RFC 8058 one-click unsubscribe: every email with an unsubscribe or opt-out
link names it in List-Unsubscribe, and a mail program's POST to it works without
a cookie or CSRF token; a forged or stale link is refused."""

from __future__ import annotations

import re
from datetime import timedelta
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from feedback.follows import send_alert_digests
from feedback.models import AreaAlert, Follow, Rating, Report, Status
from feedback.questionnaire import send_questionnaires
from feedback.workflow import move_report
from portal.models import OutboxEmail
from portal.outbox import send_pending
from tests.factories import CategoryFactory, ReportFactory
from tests.mail_sink import Sink

pytestmark = pytest.mark.django_db

ONE_CLICK = "List-Unsubscribe=One-Click"


def listed_url(message: EmailMessage) -> str:
    """The URL in List-Unsubscribe, checked to be the one of the RFC's form."""
    header = str(message["List-Unsubscribe"]).strip()  # folded when long
    match = re.fullmatch(r"<(https?://[^>]+)>", header)
    assert match, header
    assert message["List-Unsubscribe-Post"] == ONE_CLICK
    return match.group(1)


def body_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def mail_program() -> Client:
    """A mail provider's server: no session, no CSRF cookie, strict checks."""
    return Client(enforce_csrf_checks=True)


def one_click(url: str) -> Any:
    return mail_program().post(
        urlsplit(url).path, ONE_CLICK, content_type="application/x-www-form-urlencoded"
    )


def confirmed_follow(report: Report, email: str = "hang@example.vn") -> Follow:
    return Follow.objects.create(
        report=report, email=email, language="vi", confirmed_at=timezone.now()
    )


def test_follower_mail_names_its_unsubscribe_link_in_the_headers(
    smtp: Sink,
    agency_a: Any,
    official_a: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    report = ReportFactory(status=Status.IN_PROGRESS, agency=agency_a)
    confirmed_follow(report)
    with django_capture_on_commit_callbacks(execute=True):
        move_report(
            report=report,
            to=Status.RESOLVED,
            by=official_a,
            expected=Status.IN_PROGRESS,
            answer="Đã vá.",
        )
    [message] = smtp.to("hang@example.vn")
    url = listed_url(message)
    assert "/theo-doi/huy/" in url
    assert url in body_of(message)  # the same link as the one in the text
    # The reporter's own mail has no unsubscribe link, hence no such header.
    [reporter_mail] = smtp.to(report.email)
    assert reporter_mail["List-Unsubscribe"] is None


def test_the_outbox_keeps_the_headers_until_the_message_goes_out(
    smtp: Sink, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_QUEUE = True
    roads = CategoryFactory()
    alert = AreaAlert.objects.create(
        email="khu@example.vn",
        category=roads,
        language="vi",
        confirmed_at=timezone.now() - timedelta(days=2),
        last_sent_at=timezone.now() - timedelta(days=1),
    )
    report = ReportFactory(status=Status.ACCEPTED, category=roads)
    Report.objects.filter(pk=report.pk).update(accepted_at=timezone.now())
    assert send_alert_digests() == 1
    row = OutboxEmail.objects.get(template="alert-digest")
    assert row.headers["List-Unsubscribe-Post"] == ONE_CLICK
    sent, failed = send_pending()  # the reporter's acceptance mail too
    assert sent >= 1 and failed == 0
    [message] = smtp.to("khu@example.vn")
    url = listed_url(message)
    assert row.headers["List-Unsubscribe"] == f"<{url}>"
    assert one_click(url).status_code == 200
    alert.refresh_from_db()
    assert alert.unsubscribed_at is not None


def test_confirmation_mail_can_be_refused_in_one_click_too(
    smtp: Sink, client: Client, agency_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = ReportFactory(status=Status.ACCEPTED, agency=agency_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/phan-anh/{report.code}/theo-doi/", {"email": "lan@example.vn"})
    [message] = smtp.to("lan@example.vn")
    assert one_click(listed_url(message)).status_code == 200
    assert Follow.objects.get().unsubscribed_at is not None


def test_one_click_post_unsubscribes_and_a_reused_or_forged_link_is_refused(
    smtp: Sink, agency_a: Any, official_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = ReportFactory(status=Status.IN_PROGRESS, agency=agency_a)
    follow = confirmed_follow(report)
    with django_capture_on_commit_callbacks(execute=True):
        move_report(
            report=report,
            to=Status.RESOLVED,
            by=official_a,
            expected="in_progress",
            answer="Đã vá.",
        )
    url = listed_url(smtp.to("hang@example.vn")[0])
    response = one_click(url)
    assert response.status_code == 200
    assert "Đã huỷ" in response.content.decode()
    follow.refresh_from_db()
    first = follow.unsubscribed_at
    assert first is not None
    again = one_click(url)
    assert again.status_code == 200
    assert "đã được huỷ trước đó" in again.content.decode()
    follow.refresh_from_db()
    assert follow.unsubscribed_at == first
    forged = one_click(url[:-4] + "xyz/")
    assert forged.status_code == 400
    assert "Liên kết huỷ nhận tin không đúng hoặc đã cũ" in forged.content.decode()
    # Following again starts afresh: the old link no longer names the row.
    Follow.objects.filter(pk=follow.pk).update(secret="moi", unsubscribed_at=None)
    stale = one_click(url)
    assert stale.status_code == 400
    follow.refresh_from_db()
    assert follow.unsubscribed_at is None


def test_questionnaire_opt_out_is_its_list_unsubscribe_and_works_in_one_click(
    smtp: Sink, agency_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = ReportFactory(status=Status.RESOLVED, agency=agency_a, email="an@ex.vn")
    Report.objects.filter(pk=report.pk).update(
        resolved_at=timezone.now() - timedelta(days=40)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_questionnaires() == 1
    [message] = smtp.to("an@ex.vn")
    url = listed_url(message)
    assert url in body_of(message)
    yes_url = re.findall(r"https?://\S+/phieu-hoi/\S+/", body_of(message))[0]
    # The other links of the same email keep their CSRF check.
    assert mail_program().post(urlsplit(yes_url).path).status_code == 403
    assert not Rating.objects.filter(report=report).exists()
    response = one_click(url)
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.questionnaire_opt_out
    forged = one_click(url[:-4] + "xyz/")
    assert forged.status_code == 400
    assert "Liên kết không hợp lệ hoặc đã hết hạn" in forged.content.decode()
