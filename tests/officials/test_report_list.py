"""The admin list: queue order, filters, search, bulk actions, export, query counts."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from feedback.models import Report, ReportEvent, Status
from tests.factories import AttachmentFactory, ReportFactory

pytestmark = pytest.mark.django_db

LIST = reverse("admin:feedback_report_changelist")


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def codes_in_order(html: str, reports: list[Report]) -> list[str]:
    found = sorted((html.index(r.code), r.code) for r in reports if r.code in html)
    return [code for _pos, code in found]


def test_queue_puts_overdue_then_nearest_deadline_then_newest_new_first(
    intake_officer: Any,
) -> None:
    now = timezone.now()
    done = ReportFactory(status=Status.RESOLVED, created_at=now - timedelta(days=40))
    old_open = ReportFactory(created_at=now - timedelta(days=5))
    new_open = ReportFactory(created_at=now - timedelta(days=1))
    overdue = ReportFactory(status=Status.ACCEPTED, created_at=now - timedelta(days=2))
    later = ReportFactory(status=Status.ACCEPTED, created_at=now - timedelta(days=3))
    sooner = ReportFactory(status=Status.ACCEPTED, created_at=now - timedelta(days=1))
    # Only the overdue one is past its deadline; the new ones still have time.
    for report, days in (
        (overdue, -1),
        (later, 5),
        (sooner, 2),
        (new_open, 20),
        (old_open, 30),
    ):
        Report.objects.filter(pk=report.pk).update(deadline=now + timedelta(days=days))
    html = client_for(intake_officer).get(LIST).content.decode()
    reports = [done, old_open, new_open, overdue, later, sooner]
    assert codes_in_order(html, reports) == [
        overdue.code,
        sooner.code,
        later.code,
        new_open.code,
        old_open.code,
        done.code,
    ]
    assert "Quá hạn 1 ngày" in html  # overdue marker in words
    assert "⚠ Quá hạn: 1" in html  # the day's summary
    assert "Chờ tiếp nhận: 2" in html


def test_deadline_filter_and_search(intake_officer: Any) -> None:
    overdue = ReportFactory(status=Status.ACCEPTED, phone="0987000111")
    Report.objects.filter(pk=overdue.pk).update(
        deadline=timezone.now() - timedelta(days=3)
    )
    other = ReportFactory(status=Status.ACCEPTED)
    client = client_for(intake_officer)
    html = client.get(LIST, {"han": "qua-han"}).content.decode()
    assert overdue.code in html
    assert other.code not in html
    html = client.get(LIST, {"q": "0987000111"}).content.decode()
    assert overdue.code in html
    assert other.code not in html


def test_status_filter(intake_officer: Any) -> None:
    new = ReportFactory()
    rejected = ReportFactory(status=Status.REJECTED)
    html = client_for(intake_officer).get(LIST, {"status__exact": "new"}).content
    assert new.code.encode() in html
    assert rejected.code.encode() not in html


def bulk(user: Any, action: str, reports: list[Report], **extra: Any) -> Any:
    return client_for(user).post(
        LIST,
        {
            "action": action,
            "_selected_action": [r.pk for r in reports],
            "index": 0,
            **extra,
        },
        follow=True,
    )


def test_bulk_accept_reports_changed_and_skipped(intake_officer: Any) -> None:
    first, second = ReportFactory(), ReportFactory()
    done = ReportFactory(status=Status.REJECTED)
    response = bulk(intake_officer, "accept_reports", [first, second, done])
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Đã tiếp nhận 2 phản ánh." in messages
    assert any(done.code in m and "Bỏ qua 1" in m for m in messages)
    assert Report.objects.filter(status=Status.ACCEPTED).count() == 2
    assert done.changes.count() == 2  # untouched: "" -> new -> rejected


def test_bulk_route_needs_agency(intake_officer: Any, agency_a: Any) -> None:
    report = ReportFactory(status=Status.ACCEPTED)
    response = bulk(intake_officer, "route_reports", [report])
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Hãy chọn cơ quan xử lý" in m for m in messages)
    report.refresh_from_db()
    assert report.status == Status.ACCEPTED

    response = bulk(intake_officer, "route_reports", [report], agency=agency_a.pk)
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert f"Đã chuyển 1 phản ánh đến {agency_a.name}." in messages
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS
    assert report.agency == agency_a


def test_bulk_reject_duplicate_with_reason(intake_officer: Any) -> None:
    report = ReportFactory()
    bulk(intake_officer, "reject_duplicate", [report], note="Xem PA-AAAA-BBBB.")
    report.refresh_from_db()
    assert report.status == Status.REJECTED
    assert "Trùng với phản ánh" in report.rejection_reason
    assert "PA-AAAA-BBBB" in report.rejection_reason


def test_official_has_no_triage_actions(official_a: Any, agency_a: Any) -> None:
    report = ReportFactory(status=Status.IN_PROGRESS, agency=agency_a)
    html = client_for(official_a).get(LIST).content.decode()
    assert report.code in html
    assert "accept_reports" not in html
    response = bulk(official_a, "accept_reports", [report])
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS


def test_csv_export_has_bom_vietnamese_headers_and_filter(intake_officer: Any) -> None:
    new = ReportFactory(full_name="Lê Thị Hồng")
    rejected = ReportFactory(status=Status.REJECTED)
    url = reverse("admin:feedback_report_export", args=["csv"])
    response = client_for(intake_officer).get(url, {"status__exact": "new"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == [
        "Mã phản ánh",
        "Tiêu đề",
        "Lĩnh vực",
        "Cơ quan xử lý",
        "Trạng thái",
    ]
    assert "Họ và tên" in rows[0]
    codes = [row[0] for row in rows[1:]]
    assert codes == [new.code]
    assert rejected.code not in codes
    assert "Lê Thị Hồng" in rows[1]
    assert new.events.filter(
        kind=ReportEvent.Kind.EXPORTED, actor=intake_officer
    ).exists()


def test_xlsx_export(official_a: Any, agency_a: Any) -> None:
    report = ReportFactory(status=Status.IN_PROGRESS, agency=agency_a, title="=CMD()")
    response = client_for(official_a).get(
        reverse("admin:feedback_report_export", args=["xlsx"])
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Mã phản ánh"
    assert rows[1][0] == report.code
    assert rows[1][1] == "'=CMD()"  # not run as a formula


def test_export_without_personal_permission_has_no_personal_columns(
    official_a: Any, agency_a: Any
) -> None:
    from django.contrib.auth.models import Permission

    official_a.user_permissions.clear()
    group = official_a.groups.get()
    group.permissions.remove(Permission.objects.get(codename="view_personal_data"))
    report = ReportFactory(status=Status.IN_PROGRESS, agency=agency_a)
    official = type(official_a).objects.get(pk=official_a.pk)  # fresh perm cache
    response = client_for(official).get(
        reverse("admin:feedback_report_export", args=["csv"])
    )
    text = response.content.decode("utf-8-sig")
    assert "Họ và tên" not in text
    assert report.full_name not in text
    assert report.phone not in text
    page = client_for(official).get(
        reverse("admin:feedback_report_change", args=[report.pk])
    )
    assert report.full_name not in page.content.decode()


@pytest.mark.parametrize("count", [1, 100])
def test_list_queries_bounded(
    intake_officer: Any,
    agency_a: Any,
    count: int,
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(count):
        ReportFactory(status=Status.IN_PROGRESS, agency=agency_a)
    client = client_for(intake_officer)
    with django_assert_max_num_queries(13):
        response = client.get(LIST, {"all": ""})
    assert response.status_code == 200
    assert response.content.decode().count("status-badge status-in_progress") >= count


@pytest.mark.parametrize("count", [1, 100])
def test_change_page_queries_bounded(
    official_a: Any,
    agency_a: Any,
    count: int,
    django_assert_max_num_queries: Any,
) -> None:
    report = ReportFactory(status=Status.IN_PROGRESS, agency=agency_a)
    for _ in range(count):
        AttachmentFactory(report=report)
        ReportFactory(status=Status.IN_PROGRESS, agency=agency_a)
    client = client_for(official_a)
    # The conversation timeline reads one query per kind (status changes, events,
    # reporter updates, review requests, internal notes) plus reply templates.
    with django_assert_max_num_queries(16):
        response = client.get(reverse("admin:feedback_report_change", args=[report.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("o-ga.jpg") == count
