"""Who sees what: per role, in the list, on the change page and its side URLs."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from feedback.models import Report, Status
from feedback.permissions import can_view_personal_data
from tests.factories import AttachmentFactory, ReportFactory

pytestmark = pytest.mark.django_db

LIST = reverse("admin:feedback_report_changelist")


def change_url(report: Report) -> str:
    return reverse("admin:feedback_report_change", args=[report.pk])


def history_url(report: Report) -> str:
    return reverse("admin:feedback_report_history", args=[report.pk])


def attachment_url(report: Report, attachment: Any) -> str:
    return reverse("admin:feedback_report_attachment", args=[report.pk, attachment.pk])


@pytest.fixture
def reports(agency_a: Any, agency_b: Any) -> dict[str, Report]:
    """A new report, one routed to agency A, one routed to agency B."""
    return {
        "new": ReportFactory(title="Rác thải chưa tiếp nhận"),
        "a": ReportFactory(status=Status.IN_PROGRESS, agency=agency_a, title="Ổ gà A"),
        "b": ReportFactory(
            status=Status.IN_PROGRESS, agency=agency_b, title="Nứt cầu B"
        ),
    }


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_intake_officer_lists_every_report(intake_officer: Any, reports: Any) -> None:
    response = logged_in(intake_officer).get(LIST)
    assert response.status_code == 200
    page = response.content.decode()
    for report in reports.values():
        assert report.code in page


def test_official_lists_only_own_agency_reports(official_a: Any, reports: Any) -> None:
    response = logged_in(official_a).get(LIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert reports["a"].code in page
    assert reports["b"].code not in page
    assert reports["new"].code not in page


def test_official_opens_own_report_with_personal_data(
    official_a: Any, reports: Any
) -> None:
    report = reports["a"]
    response = logged_in(official_a).get(change_url(report))
    assert response.status_code == 200
    page = response.content.decode()
    assert report.full_name in page
    assert report.phone in page


@pytest.mark.parametrize("url", ["change", "history", "attachment"])
def test_official_cannot_open_other_agency_report(
    official_a: Any, reports: Any, url: str
) -> None:
    report = reports["b"]
    attachment = AttachmentFactory(report=report)
    target = {
        "change": change_url(report),
        "history": history_url(report),
        "attachment": attachment_url(report, attachment),
    }[url]
    response = logged_in(official_a).get(target)
    assert response.status_code in (403, 404)
    assert report.full_name.encode() not in response.content


def test_official_cannot_move_other_agency_report(
    official_a: Any, reports: Any
) -> None:
    report = reports["b"]
    response = logged_in(official_a).post(
        reverse("admin:feedback_report_workflow", args=[report.pk]),
        {"action": "resolved", "expected": "in_progress", "answer": "Đã xử lý."},
    )
    assert response.status_code in (403, 404)
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS


def test_official_export_contains_only_own_agency(
    official_a: Any, reports: Any
) -> None:
    response = logged_in(official_a).get(
        reverse("admin:feedback_report_export", args=["csv"])
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert reports["a"].code in text
    assert reports["b"].code not in text
    assert reports["new"].code not in text


def test_editor_sees_no_reports(editor: Any, reports: Any) -> None:
    client = logged_in(editor)
    assert client.get(LIST).status_code == 403
    assert client.get(change_url(reports["a"])).status_code in (403, 404)
    export = client.get(reverse("admin:feedback_report_export", args=["csv"]))
    assert export.status_code == 403
    attachment = AttachmentFactory(report=reports["a"])
    assert client.get(attachment_url(reports["a"], attachment)).status_code in (
        403,
        404,
    )


def test_citizen_is_sent_to_login(citizen: Any, reports: Any) -> None:
    response = logged_in(citizen).get(change_url(reports["a"]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_personal_data_rule(
    intake_officer: Any, official_a: Any, official_b: Any, editor: Any, reports: Any
) -> None:
    report = reports["a"]
    assert can_view_personal_data(intake_officer, report)
    assert can_view_personal_data(official_a, report)
    assert not can_view_personal_data(official_b, report)
    assert not can_view_personal_data(editor, report)


def test_visible_to_matches_roles(
    intake_officer: Any, official_a: Any, editor: Any, reports: Any
) -> None:
    assert Report.objects.visible_to(intake_officer).count() == 3
    assert list(Report.objects.visible_to(official_a)) == [reports["a"]]
    assert not Report.objects.visible_to(editor).exists()


def test_attachment_download_for_allowed_official(
    official_a: Any, reports: Any
) -> None:
    attachment = AttachmentFactory(report=reports["a"])
    response = logged_in(official_a).get(attachment_url(reports["a"], attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")


def test_attachment_of_other_report_refused(official_a: Any, reports: Any) -> None:
    # The attachment id belongs to B's report; asked under A's report URL.
    attachment = AttachmentFactory(report=reports["b"])
    response = logged_in(official_a).get(attachment_url(reports["a"], attachment))
    assert response.status_code == 404


def test_editor_group_has_no_report_permissions(editor: Any) -> None:
    assert not editor.has_perm("feedback.view_report")
    assert not editor.has_perm("feedback.view_personal_data")


def test_groups_exist_with_permissions(intake_officer: Any, official_a: Any) -> None:
    assert intake_officer.has_perm("feedback.triage_report")
    assert official_a.has_perm("feedback.process_report")
    assert not official_a.has_perm("feedback.triage_report")


def test_personal_data_views_are_logged_once_a_day(
    official_a: Any, editor: Any, reports: Any
) -> None:
    from feedback.models import ReportEvent

    report = reports["a"]
    client = logged_in(official_a)
    client.get(change_url(report))
    client.get(change_url(report))
    views = ReportEvent.objects.filter(
        report=report, kind=ReportEvent.Kind.PERSONAL_VIEWED
    )
    assert [event.actor for event in views] == [official_a]
    page = client.get(change_url(report)).content.decode()
    assert "Nhật ký xem dữ liệu cá nhân (1 lượt)" in page
