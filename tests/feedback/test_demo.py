from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from feedback.models import OPEN_STATUSES, Report, Status, StatusChange


@pytest.mark.django_db
def test_seed_demo_makes_reports_in_every_status_once() -> None:
    call_command("seed_demo", reports=120, stdout=io.StringIO())
    assert Report.objects.count() == 120
    assert set(Report.objects.values_list("status", flat=True)) == set(Status.values)
    assert Report.objects.published().exists()
    assert Report.objects.filter(reporter__username="congdan").exists()
    # Every report's history starts at "new" and ends at its current status.
    for report in Report.objects.prefetch_related("changes"):
        changes = list(report.changes.all())
        assert changes[0].from_status == "" and changes[0].to_status == Status.NEW
        assert changes[-1].to_status == report.status
    assert Report.objects.filter(status=Status.RESOLVED, answer="").count() == 0
    assert (
        Report.objects.filter(status=Status.REJECTED, rejection_reason="").count() == 0
    )
    # bulk_create skips save(): the deadlines are still there, by the calendar.
    assert not Report.objects.filter(
        status__in=OPEN_STATUSES, deadline__isnull=True
    ).exists()
    urgent = Report.objects.filter(category__is_urgent=True)
    assert urgent.exists() and not urgent.filter(is_urgent=False).exists()
    changes = StatusChange.objects.count()
    call_command("seed_demo", reports=120, stdout=io.StringIO())
    assert Report.objects.count() == 120
    assert StatusChange.objects.count() == changes


@pytest.mark.django_db
def test_demo_routes_worked_reports_to_agencies_with_officials() -> None:
    call_command("seed_demo", reports=150, stdout=io.StringIO())
    worked = Report.objects.filter(status__in=[Status.IN_PROGRESS, Status.RESOLVED])
    assert not worked.filter(agency=None).exists()
    assert not Report.objects.filter(status=Status.NEW).exclude(agency=None).exists()
    for username in ("xuly1", "xuly2"):
        assert Report.objects.filter(
            agency__officials__user__username=username
        ).exists()
