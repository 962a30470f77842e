"""The admin index leads officials to the queues that need them."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from feedback.models import Rating, Report, Status, StatusChange
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queues(html: str) -> dict[str, tuple[int, str]]:
    found = re.findall(
        r'<a href="([^"]+)"><span class="queue-count">(\d+)</span> '
        r'<span class="queue-label">([^<]+)</span>',
        html,
    )
    return {
        label: (int(count), url.replace("&amp;", "&")) for url, count, label in found
    }


def listed_codes(client: Client, url: str) -> set[str]:
    html = client.get(url).content.decode()
    return set(re.findall(r"PA-[0-9A-Z]{4}-[0-9A-Z]{4}", html))


def test_intake_officer_sees_every_queue_and_each_link_lists_its_count(
    intake_officer: Any, agency_a: Any
) -> None:
    now = timezone.now()
    # New reports have an intake deadline of hours: here, well ahead.
    for new in ReportFactory.create_batch(2):
        Report.objects.filter(pk=new.pk).update(deadline=now + timedelta(days=10))
    ReportFactory(status=Status.ACCEPTED)
    overdue = ReportFactory(status=Status.IN_PROGRESS, agency=agency_a)
    Report.objects.filter(pk=overdue.pk).update(deadline=now - timedelta(days=3))
    soon = ReportFactory(status=Status.IN_PROGRESS, agency=agency_a)
    Report.objects.filter(pk=soon.pk).update(deadline=now + timedelta(hours=2))
    reopened = ReportFactory(status=Status.IN_PROGRESS, agency=agency_a)
    StatusChange.objects.create(
        report=reopened, from_status="resolved", to_status="in_progress"
    )
    unhappy = ReportFactory(status=Status.RESOLVED, agency=agency_a, answer="Xong.")
    Rating.objects.create(report=unhappy, satisfied=False)

    client = logged_in(intake_officer)
    html = client.get("/admin/").content.decode()
    found = queues(html)
    assert found["Chờ tiếp nhận"][0] == 2
    assert found["Đã tiếp nhận, chờ chuyển xử lý"][0] == 1
    assert found["Đang xử lý"][0] == 3
    assert found["Quá hạn"][0] == 1
    assert found["Đến hạn trong 2 ngày làm việc"][0] == 1
    assert found["Đã mở lại"][0] == 1
    assert found["Người gửi chưa hài lòng"][0] == 1
    for count, url in found.values():
        assert len(listed_codes(client, url)) == count, url
    assert "Quá hạn theo cơ quan xử lý" in html
    assert agency_a.name in html


def test_agency_official_sees_only_their_agency_queues(
    official_a: Any, agency_a: Any, agency_b: Any
) -> None:
    ReportFactory(status=Status.IN_PROGRESS, agency=agency_a)
    ReportFactory(status=Status.IN_PROGRESS, agency=agency_b)
    html = logged_in(official_a).get("/admin/").content.decode()
    found = queues(html)
    assert "Chờ tiếp nhận" not in found
    assert found["Đang xử lý"][0] == 1
    assert agency_b.name not in html


def test_editor_sees_the_plain_index(editor: Any) -> None:
    html = logged_in(editor).get("/admin/").content.decode()
    assert "Hàng đợi cần xử lý" not in html
