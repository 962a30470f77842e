"""Citizens' emails in one voice ("Kính gửi Ông/Bà …"), in the reporter's language."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.utils import translation

from feedback.models import Report, Status
from feedback.workflow import move_report
from portal.lib import emails
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

EMAILS = Path(__file__).resolve().parents[2] / "templates" / "emails"
CITIZEN_EMAILS = [
    "confirm-email",
    "password-reset",
    "report-received",
    "report-accepted",
    "report-rejected",
    "report-resolved",
]


@pytest.mark.parametrize("name", CITIZEN_EMAILS)
@pytest.mark.parametrize("part", ["body.txt", "body.html"])
def test_citizen_email_templates_keep_one_tone(name: str, part: str) -> None:
    text = (EMAILS / f"{name}-{part}").read_text()
    assert "Kính gửi Ông/Bà {{ name }}," in text
    # Neither "bạn" nor a lower-case "ông/bà" nor "Chào": one voice throughout.
    assert not re.search(r"\bbạn\b|ông/bà|Chào ", text), name


def _render(name: str, report: Report) -> str:
    context = {"report": report, "link": "x", "public_url": "x"}
    return str(emails.render(name, context).body)


@pytest.mark.parametrize(
    "name", ["report-received", "report-accepted", "report-rejected", "report-resolved"]
)
def test_report_emails_greet_the_same_way(name: str) -> None:
    report = ReportFactory(full_name="Nguyễn Văn Bình", answer="Xong.")
    with translation.override("vi"):
        body = _render(name, report)
    assert body.startswith("Kính gửi Ông/Bà Nguyễn Văn Bình,")
    assert "của bạn" not in body and "ông/bà" not in body


def test_official_in_english_writes_to_a_vietnamese_reporter_in_vietnamese(
    intake_officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = ReportFactory(language="vi")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        move_report(
            report=report, to=Status.ACCEPTED, by=intake_officer, expected="new"
        )
    [message] = mail.outbox
    assert "đã được tiếp nhận" in message.subject
    assert message.body.startswith("Kính gửi Ông/Bà")


def test_reporter_who_filed_in_english_gets_english(
    intake_officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = ReportFactory(language="en")
    with translation.override("vi"), django_capture_on_commit_callbacks(execute=True):
        move_report(
            report=report, to=Status.ACCEPTED, by=intake_officer, expected="new"
        )
    [message] = mail.outbox
    assert message.subject == f"Report {report.code} has been accepted"


def test_report_remembers_the_language_it_was_filed_in(
    client: Any,
    report_form: dict[str, str],
    media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.get("/ngon-ngu/en/?next=/gui-phan-anh/")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/gui-phan-anh/", report_form)
    report = Report.objects.get()
    assert report.language == "en"
    [receipt] = mail.outbox
    assert receipt.to == [report.email]


def test_agency_emails_stay_in_the_portals_language(
    intake_officer: Any,
    agency_a: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    report = ReportFactory(status=Status.ACCEPTED, language="en")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        move_report(
            report=report,
            to=Status.IN_PROGRESS,
            by=intake_officer,
            expected="accepted",
            agency=agency_a,
        )
    [message] = [m for m in mail.outbox if m.to == [agency_a.email]]
    assert "Kính gửi" in message.body
