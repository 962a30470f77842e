"""Rejecting a report as a duplicate: the original's followers hear of it (and
nothing about who reported again), the duplicate's reporter is offered to follow
the original, and a report that cannot be the original is refused."""

from __future__ import annotations

from decimal import Decimal
from email.message import EmailMessage
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback.models import Follow, Report, Status
from portal.models import OutboxEmail
from portal.outbox import send_pending
from tests.factories import CategoryFactory, ReportFactory
from tests.mail_sink import Sink

pytestmark = pytest.mark.django_db

HERE = (Decimal("11.564500"), Decimal("108.988100"))


@pytest.fixture
def desk(client: Client, intake_officer: Any, settings: Any) -> Client:
    """The intake officer, signed in at the report desk."""
    settings.OFFICIALS_2FA = False
    client.force_login(intake_officer)
    return client


@pytest.fixture
def pair(agency_a: Any) -> tuple[Report, Report]:
    """A public original with its followers, and a new report of the same thing."""
    category = CategoryFactory()
    original = ReportFactory(
        category=category,
        status=Status.IN_PROGRESS,
        agency=agency_a,
        email="goc@example.vn",
        latitude=HERE[0],
        longitude=Decimal("108.988300"),
    )
    now = timezone.now()
    Follow.objects.create(
        report=original, email="hang@example.vn", language="vi", confirmed_at=now
    )
    Follow.objects.create(
        report=original, email="tom@example.com", language="en", confirmed_at=now
    )
    Follow.objects.create(report=original, email="chua@example.vn", language="vi")
    Follow.objects.create(
        report=original,
        email="roi@example.vn",
        language="vi",
        confirmed_at=now,
        unsubscribed_at=now,
    )
    duplicate = ReportFactory(
        category=category,
        full_name="Lê Văn Cường",
        email="cuong@example.vn",
        phone="0912345678",
        id_number="058090001234",
        latitude=HERE[0],
        longitude=HERE[1],
    )
    return original, duplicate


def reject(desk: Client, report: Report, original: Report | int) -> Any:
    return desk.post(
        reverse("admin:feedback_report_workflow", args=[report.pk]),
        {
            "action": "rejected",
            "expected": report.status,
            "duplicate_of": getattr(original, "pk", original),
        },
    )


def texts(message: EmailMessage) -> str:
    parts = [message.get_body(preferencelist=(kind,)) for kind in ("plain", "html")]
    return "\n".join(str(part.get_content()) for part in parts if part is not None)


def test_followers_of_the_original_hear_of_the_duplicate_in_their_language(
    desk: Client,
    smtp: Sink,
    pair: tuple[Report, Report],
    django_capture_on_commit_callbacks: Any,
) -> None:
    original, duplicate = pair
    page = desk.get(f"/admin/feedback/report/{duplicate.pk}/change/").content.decode()
    assert f"Không tiếp nhận: trùng với {original.code}" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = reject(desk, duplicate, original)
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.status == Status.REJECTED
    assert duplicate.duplicate_of == original
    assert original.code in duplicate.rejection_reason

    assert sorted(set(smtp.received)) == [
        "cuong@example.vn",
        "hang@example.vn",
        "tom@example.com",
    ]  # not the unconfirmed, not the one who left, not the original's reporter
    [vi] = smtp.to("hang@example.vn")
    [en] = smtp.to("tom@example.com")
    assert original.code in str(vi["Subject"])
    assert "người dân khác" in texts(vi)
    assert '<html lang="vi">' in texts(vi) and '<html lang="en">' in texts(en)
    for message in (vi, en):
        body = texts(message)
        assert f"/phan-anh/{original.code}/" in body
        assert "/theo-doi/huy/" in body
        assert "/theo-doi/huy/" in str(message["List-Unsubscribe"])
        # Nothing about the citizen who reported again.
        for secret in (
            duplicate.full_name,
            duplicate.email,
            duplicate.phone,
            duplicate.id_number,
            duplicate.code,
        ):
            assert secret not in body


def test_the_duplicates_reporter_is_offered_to_follow_the_original(
    desk: Client,
    smtp: Sink,
    pair: tuple[Report, Report],
    django_capture_on_commit_callbacks: Any,
) -> None:
    original, duplicate = pair
    with django_capture_on_commit_callbacks(execute=True):
        reject(desk, duplicate, original)
    [rejection] = smtp.to("cuong@example.vn")
    body = texts(rejection)
    assert "Ông/Bà có thể theo dõi phản ánh " + original.code in body
    assert "Theo dõi phản ánh này" in body
    assert f"/phan-anh/{original.code}/" in body
    # The original's page offers exactly that to anyone.
    page = Client().get(f"/phan-anh/{original.code}/").content.decode()
    assert "Theo dõi phản ánh này" in page


def test_with_the_outbox_the_followers_mail_is_queued_with_the_rejection(
    desk: Client, smtp: Sink, settings: Any, pair: tuple[Report, Report]
) -> None:
    settings.EMAIL_QUEUE = True
    original, duplicate = pair
    assert reject(desk, duplicate, original).status_code == 302
    rows = OutboxEmail.objects.filter(template="follow-duplicate")
    assert sorted(rows.values_list("to", flat=True)) == [
        "hang@example.vn",
        "tom@example.com",
    ]
    assert send_pending()[1] == 0
    assert len(smtp.to("hang@example.vn")) == 1


def test_a_report_that_cannot_be_the_original_is_refused_and_nothing_is_sent(
    desk: Client,
    smtp: Sink,
    pair: tuple[Report, Report],
    django_capture_on_commit_callbacks: Any,
) -> None:
    original, duplicate = pair
    rejected = ReportFactory(
        status=Status.REJECTED,
        rejection_reason="Tin rác.",
        category=duplicate.category,
        latitude=HERE[0],
        longitude=HERE[1],
    )
    with django_capture_on_commit_callbacks(execute=True):
        itself = reject(desk, duplicate, duplicate)
        dead = reject(desk, duplicate, rejected)
        missing = reject(desk, duplicate, 10**9)
    assert itself.status_code == dead.status_code == missing.status_code == 400
    shown = [str(m) for m in itself.context["messages"]]
    assert any("trùng với chính nó" in text for text in shown)
    shown = [str(m) for m in dead.context["messages"]]
    assert any(f"{rejected.code} đã không được tiếp nhận" in text for text in shown)
    duplicate.refresh_from_db()
    assert duplicate.status == Status.NEW and duplicate.duplicate_of is None
    assert smtp.received == []
    page = desk.get(f"/admin/feedback/report/{duplicate.pk}/change/").content.decode()
    # Listed as near, but the desk offers no button for it.
    assert rejected.code in page and original.code in page
    assert f"trùng với {rejected.code}" not in page
    assert f"trùng với {original.code}" in page


def test_an_agency_official_cannot_reject_as_duplicate(
    client: Client,
    official_a: Any,
    settings: Any,
    smtp: Sink,
    pair: tuple[Report, Report],
) -> None:
    settings.OFFICIALS_2FA = False
    original, duplicate = pair
    Report.objects.filter(pk=duplicate.pk).update(agency=original.agency)
    client.force_login(official_a)
    response = reject(client, duplicate, original)
    assert response.status_code in (400, 403)
    duplicate.refresh_from_db()
    assert duplicate.status == Status.NEW and duplicate.duplicate_of is None
    assert smtp.received == []
