"""Workflow moves from the admin change page: allowed, refused, stale, concurrent."""

from __future__ import annotations

import contextlib
import io
import threading
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from PIL import Image

from feedback.models import (
    Attachment,
    Report,
    ReportEvent,
    StaleTransition,
    Status,
    TransitionError,
)
from feedback.workflow import move_report, set_published
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def post_move(user: Any, report: Report, **data: Any) -> Any:
    client = Client()
    client.force_login(user)
    data.setdefault("expected", report.status)
    return client.post(
        reverse("admin:feedback_report_workflow", args=[report.pk]), data
    )


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_intake_accepts_new_report(intake_officer: Any) -> None:
    report = ReportFactory()
    response = post_move(intake_officer, report, action="accepted")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.ACCEPTED
    assert report.deadline is not None
    change = report.changes.last()
    assert change.actor == intake_officer
    assert change.to_status == Status.ACCEPTED


def test_reject_needs_reason(intake_officer: Any) -> None:
    report = ReportFactory()
    response = post_move(intake_officer, report, action="rejected", note="  ")
    assert response.status_code == 400
    assert "Cần nêu lý do không tiếp nhận." in messages_of(response)
    report.refresh_from_db()
    assert report.status == Status.NEW

    response = post_move(intake_officer, report, action="rejected", note="Trùng lặp")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.REJECTED
    assert report.rejection_reason == "Trùng lặp"


def test_routing_needs_agency(intake_officer: Any, agency_a: Any) -> None:
    report = ReportFactory(status=Status.ACCEPTED)
    response = post_move(intake_officer, report, action="in_progress")
    assert response.status_code == 400
    assert "Cần chọn cơ quan xử lý để chuyển phản ánh." in messages_of(response)
    report.refresh_from_db()
    assert report.status == Status.ACCEPTED

    response = post_move(
        intake_officer, report, action="in_progress", agency=agency_a.pk
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS
    assert report.agency == agency_a
    assert report.events.filter(kind=ReportEvent.Kind.ASSIGNED).exists()


def test_resolve_needs_answer_and_keeps_typed_text(
    official_a: Any, agency_a: Any
) -> None:
    report = ReportFactory(status=Status.IN_PROGRESS, agency=agency_a)
    bad = SimpleUploadedFile("virus.exe", b"MZ\x90\x00not an image")
    response = post_move(
        official_a,
        report,
        action="resolved",
        answer="Đã vá xong.\n\nCảm ơn ông/bà.",
        answer_files=bad,
    )
    assert response.status_code == 400
    assert "loại tệp không được chấp nhận" in " ".join(messages_of(response))
    assert "Đã vá xong." in response.content.decode()  # what was typed is kept
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS
    assert not report.attachments.exists()

    response = post_move(official_a, report, action="resolved", answer="   ")
    assert response.status_code == 400
    assert "Cần nhập nội dung trả lời để hoàn tất." in messages_of(response)


def test_official_resolves_with_answer_file(official_a: Any, agency_a: Any) -> None:
    report = ReportFactory(status=Status.IN_PROGRESS, agency=agency_a)
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), "green").save(buffer, "PNG")
    photo = SimpleUploadedFile("sau-khi-va.png", buffer.getvalue())
    response = post_move(
        official_a,
        report,
        action="resolved",
        answer="Đã vá ổ gà.\n\nCảm ơn <b>ông/bà</b>.",
        answer_files=photo,
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.RESOLVED
    assert report.answer == "Đã vá ổ gà.\n\nCảm ơn <b>ông/bà</b>."
    attachment = report.attachments.get(kind=Attachment.Kind.ANSWER)
    assert attachment.content_type == "image/png"
    assert attachment.original_name == "sau-khi-va.png"
    assert attachment.thumbnail  # a preview was made

    client = Client()
    client.force_login(official_a)
    page = client.get(reverse("admin:feedback_report_change", args=[report.pk]))
    html = page.content.decode()
    assert "<p>Đã vá ổ gà.</p>" in html  # paragraphs
    assert "&lt;b&gt;ông/bà&lt;/b&gt;" in html  # escaped
    file_url = reverse(
        "admin:feedback_report_attachment", args=[report.pk, attachment.pk]
    )
    assert f'src="{file_url}?thumb=1"' in html
    thumb = client.get(file_url, {"thumb": "1"})
    assert thumb.status_code == 200
    assert thumb["Content-Type"] == "image/webp"
    assert thumb["X-Content-Type-Options"] == "nosniff"
    body = b"".join(thumb.streaming_content)
    assert body[:4] == b"RIFF" and body[8:12] == b"WEBP"


def test_official_returns_report_to_intake(official_a: Any, agency_a: Any) -> None:
    report = ReportFactory(status=Status.IN_PROGRESS, agency=agency_a)
    response = post_move(
        official_a, report, action="accepted", note="Không thuộc thẩm quyền Sở."
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.ACCEPTED
    assert report.changes.last().note == "Không thuộc thẩm quyền Sở."


@pytest.mark.parametrize(
    ("role", "start", "to"),
    [
        ("official", Status.IN_PROGRESS, Status.REJECTED),  # not in the workflow
        ("intake", Status.IN_PROGRESS, Status.RESOLVED),  # agency's job, not intake's
        ("intake", Status.NEW, Status.RESOLVED),
        ("intake", Status.REJECTED, Status.ACCEPTED),
        ("intake", Status.NEW, Status.IN_PROGRESS),
        ("official", Status.RESOLVED, Status.ACCEPTED),
    ],
)
def test_refused_moves_show_message_not_500(
    role: str,
    start: str,
    to: str,
    intake_officer: Any,
    official_a: Any,
    agency_a: Any,
) -> None:
    report = ReportFactory(status=start, agency=agency_a)
    user = intake_officer if role == "intake" else official_a
    response = post_move(user, report, action=to, answer="x", note="x")
    assert response.status_code == 400
    assert messages_of(response)
    report.refresh_from_db()
    assert report.status == start


def test_allowed_buttons_follow_status_and_role(
    intake_officer: Any, official_a: Any, agency_a: Any
) -> None:
    report = ReportFactory(status=Status.IN_PROGRESS, agency=agency_a)
    url = reverse("admin:feedback_report_change", args=[report.pk])
    client = Client()
    client.force_login(official_a)
    page = client.get(url).content.decode()
    assert "Trả lời, hoàn tất xử lý" in page
    assert "Trả lại bộ phận tiếp nhận" in page
    assert "Tiếp nhận</summary>" not in page
    client.force_login(intake_officer)
    page = client.get(url).content.decode()
    assert "Trả lời, hoàn tất xử lý" not in page
    assert "Bạn không có thao tác xử lý nào ở trạng thái này." in page


def test_stale_move_is_refused(intake_officer: Any) -> None:
    report = ReportFactory()
    # Someone else accepted it after this officer's page was loaded.
    Report.objects.get(pk=report.pk).transition(Status.ACCEPTED, by=None)
    response = post_move(
        intake_officer, report, action="rejected", note="Tin rác", expected="new"
    )
    assert response.status_code == 400
    assert "Vui lòng" in " ".join(messages_of(response))
    report.refresh_from_db()
    assert report.status == Status.ACCEPTED


def test_stale_transition_raised_by_service(intake_officer: Any) -> None:
    report = ReportFactory()
    stale = Report.objects.get(pk=report.pk)
    move_report(report=report, to=Status.ACCEPTED, by=intake_officer, expected="new")
    with pytest.raises(StaleTransition):
        move_report(
            report=stale,
            to=Status.REJECTED,
            by=intake_officer,
            expected="new",
            note="Tin rác",
        )


def test_publish_only_resolved_and_consented(official_a: Any, agency_a: Any) -> None:
    report = ReportFactory(status=Status.RESOLVED, agency=agency_a, allow_publish=False)
    with pytest.raises(TransitionError):
        set_published(report=report, publish=True, by=official_a)
    report.refresh_from_db()
    assert not report.is_published

    consenting = ReportFactory(status=Status.RESOLVED, agency=agency_a)
    response = post_move(official_a, consenting, action="publish")
    assert response.status_code == 302
    consenting.refresh_from_db()
    assert consenting.is_published
    assert Report.objects.published().filter(pk=consenting.pk).exists()
    assert consenting.events.filter(kind=ReportEvent.Kind.PUBLISHED).exists()

    response = post_move(official_a, consenting, action="unpublish")
    consenting.refresh_from_db()
    assert not consenting.is_published


def test_in_progress_report_cannot_be_published(
    intake_officer: Any, agency_a: Any
) -> None:
    report = ReportFactory(status=Status.IN_PROGRESS, agency=agency_a)
    response = post_move(intake_officer, report, action="publish")
    assert response.status_code == 400
    report.refresh_from_db()
    assert not report.is_published


def test_intake_changes_category_and_it_is_logged(intake_officer: Any) -> None:
    from tests.factories import CategoryFactory

    report = ReportFactory()
    other = CategoryFactory(name="Môi trường thử", slug="moi-truong-thu")
    client = Client()
    client.force_login(intake_officer)
    response = client.post(
        reverse("admin:feedback_report_change", args=[report.pk]),
        {"category": other.pk, "_save": "1"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.category == other
    assert report.status == Status.NEW
    assert report.events.filter(kind=ReportEvent.Kind.CATEGORY).exists()


def test_official_cannot_change_category(official_a: Any, agency_a: Any) -> None:
    from tests.factories import CategoryFactory

    report = ReportFactory(status=Status.IN_PROGRESS, agency=agency_a)
    before = report.category
    other = CategoryFactory(name="Khác thử", slug="khac-thu")
    client = Client()
    client.force_login(official_a)
    client.post(
        reverse("admin:feedback_report_change", args=[report.pk]),
        {"category": other.pk, "_save": "1"},
    )
    report.refresh_from_db()
    assert report.category == before


@pytest.mark.django_db(transaction=True)
def test_concurrent_moves_apply_exactly_one(intake_officer: Any) -> None:
    """Two officers act on the same new report at once: one wins, one is refused.

    On PostgreSQL the row lock in Report.transition serialises them; SQLite has no
    row locks (select_for_update is a no-op), so there the two writes are
    serialised here and the expected-status check does the refusing.
    """
    report = ReportFactory()
    barrier = threading.Barrier(2)
    sqlite_lock = threading.Lock() if connection.vendor == "sqlite" else None
    outcomes: list[str] = []

    def act(to: str, note: str) -> None:
        try:
            mine = Report.objects.get(pk=report.pk)  # each read the page: "new"
            barrier.wait(timeout=10)
            guard = sqlite_lock or contextlib.nullcontext()
            with guard:
                move_report(
                    report=mine, to=to, by=intake_officer, expected="new", note=note
                )
            outcomes.append(f"applied {to}")
        except TransitionError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=(Status.ACCEPTED, "")),
        threading.Thread(target=act, args=(Status.REJECTED, "Tin rác")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(o.split()[0] for o in outcomes) == ["applied", "refused"]
    report.refresh_from_db()
    applied = next(o for o in outcomes if o.startswith("applied")).split()[1]
    assert report.status == applied
    assert report.changes.count() == 2  # "" -> new, and exactly one move
