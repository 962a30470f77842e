"""“Sự việc đã được giải quyết chưa?”: once per report, signed links, opt-out."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from feedback.models import Rating, Report, ReviewRequest, Status
from feedback.questionnaire import send_questionnaires
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def answered_long_ago(agency: Any, days: int = 29, **kwargs: Any) -> Report:
    report = ReportFactory(status=Status.RESOLVED, agency=agency, **kwargs)
    Report.objects.filter(pk=report.pk).update(
        resolved_at=timezone.now() - timedelta(days=days)
    )
    report.refresh_from_db()
    return report


def links(message: Any) -> dict[str, str]:
    paths = re.findall(r"https?://[^/\s]+(/phieu-hoi/[^\s\"<]+/)", message.body)
    assert len(paths) == 3, message.body
    return dict(zip(["yes", "not_yet", "stop"], paths, strict=True))


def test_sent_once_after_four_weeks_never_twice(
    agency_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    due = answered_long_ago(agency_a, email="an@example.vn")
    answered_long_ago(agency_a, days=10)  # too recent
    rated = answered_long_ago(agency_a)
    Rating.objects.create(report=rated, satisfied=True)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_questionnaires", stdout=io.StringIO())
    [message] = mail.outbox
    assert message.to == ["an@example.vn"]
    assert "Sự việc đã được giải quyết chưa?" in message.subject
    due.refresh_from_db()
    assert due.questionnaire_sent_at is not None
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_questionnaires() == 0
    assert mail.outbox == []


def test_written_in_the_language_the_reporter_filed_in(
    agency_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    answered_long_ago(agency_a, email="an@example.vn", language="vi")
    answered_long_ago(agency_a, email="ann@example.com", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_questionnaires() == 2
    by_address = {message.to[0]: message for message in mail.outbox}
    vietnamese, english = by_address["an@example.vn"], by_address["ann@example.com"]
    assert "Sự việc đã được giải quyết chưa?" in vietnamese.subject
    assert "Sự việc" not in english.subject and "solved" in english.subject
    assert len(links(english)) == 3  # the same three links


def test_opted_out_reporter_gets_none(agency_a: Any) -> None:
    answered_long_ago(agency_a, questionnaire_opt_out=True)
    assert send_questionnaires() == 0


def test_yes_link_records_satisfied(
    client: Client, agency_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = answered_long_ago(agency_a)
    with django_capture_on_commit_callbacks(execute=True):
        send_questionnaires()
    yes = links(mail.outbox[0])["yes"]
    assert client.get(yes).status_code == 200
    assert not Rating.objects.exists()  # a GET (a mail scanner) changes nothing
    assert client.post(yes).status_code == 302
    assert Rating.objects.get(report=report).satisfied


def test_not_yet_link_opens_the_review_flow_despite_the_old_answer(
    client: Client,
    agency_a: Any,
    official_a: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    report = answered_long_ago(agency_a)
    with django_capture_on_commit_callbacks(execute=True):
        send_questionnaires()
    not_yet = links(mail.outbox[0])["not_yet"]
    page = client.get(not_yet)
    assert "Yêu cầu xem xét lại" in page.content.decode()
    response = client.post(not_yet, {})
    assert response.status_code == 400
    assert ReviewRequest.objects.count() == 0
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            not_yet, {"reasons": ["not_fixed"], "comment": "Vẫn ngập nước"}
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS
    review = ReviewRequest.objects.get(report=report)
    assert review.via_questionnaire and review.reasons == ["not_fixed"]
    assert not Rating.objects.get(report=report).satisfied
    assert any(official_a.email in m.to for m in mail.outbox)


def test_stop_link_opts_out_and_forged_links_are_refused(
    client: Client, agency_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = answered_long_ago(agency_a, email="an@example.vn")
    later = ReportFactory(
        status=Status.IN_PROGRESS, agency=agency_a, email="AN@example.vn"
    )
    with django_capture_on_commit_callbacks(execute=True):
        send_questionnaires()
    stop = links(mail.outbox[0])["stop"]
    assert client.get(stop[:-4] + "abc/").status_code == 400
    asked = client.get(stop)  # opening the link only asks
    assert asked.status_code == 200
    assert f'<form method="post" action="{stop}">' in asked.content.decode()
    later.refresh_from_db()
    assert not later.questionnaire_opt_out
    response = Client().post(stop)  # the page's button: no cookie, no token
    assert response.status_code == 200
    assert "Đã ghi nhận" in response.content.decode()
    later.refresh_from_db()
    assert later.questionnaire_opt_out
    report.refresh_from_db()
    assert report.questionnaire_opt_out


def test_reporter_opts_out_from_the_report_page(client: Client, citizen: Any) -> None:
    report = ReportFactory(reporter=citizen)
    client.force_login(citizen)
    response = client.post(f"/phan-anh/{report.code}/khong-hoi-ket-qua/")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.questionnaire_opt_out
    other = ReportFactory()
    assert client.post(f"/phan-anh/{other.code}/khong-hoi-ket-qua/").status_code == 404
