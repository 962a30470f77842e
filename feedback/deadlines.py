"""Daily deadline reminders to agencies: each report at most once a day."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from feedback import calendar
from feedback.models import (
    OPEN_STATUSES,
    Agency,
    DeadlineReminder,
    Report,
    Status,
    due_soon_q,
    overdue_q,
)
from feedback.notifications import admin_url
from portal.lib.emails import send_after_commit


def reports_to_remind(now: datetime) -> list[Report]:
    """Routed reports due soon or overdue (the one definition of each), not yet
    reminded today."""
    return list(
        Report.objects.filter(
            due_soon_q(now) | overdue_q(now),
            status=Status.IN_PROGRESS,
            agency__isnull=False,
            agency__is_active=True,
        )
        .exclude(agency__email="")
        .exclude(deadline_reminders__sent_on=timezone.localdate(now))
        .select_related("agency")
        .order_by("agency_id", "deadline", "pk")
    )


def send_deadline_reminders(now: datetime | None = None) -> dict[Agency, int]:
    """Email each agency its due-soon and overdue reports; returns counts sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    by_agency: dict[Agency, list[Report]] = defaultdict(list)
    for report in reports_to_remind(now):
        assert report.agency is not None
        by_agency[report.agency].append(report)
    sent: dict[Agency, int] = {}
    for agency, reports in by_agency.items():
        with transaction.atomic():
            DeadlineReminder.objects.bulk_create(
                [
                    DeadlineReminder(
                        report=report,
                        agency=agency,
                        sent_on=today,
                        overdue=report.is_overdue(now),
                    )
                    for report in reports
                ],
                ignore_conflicts=True,
            )
            send_after_commit(
                "deadline-reminder",
                agency.email,
                {
                    "agency": agency,
                    "today": today,
                    "reports": [
                        {
                            "report": report,
                            "overdue": report.is_overdue(now),
                            "url": admin_url(report),
                        }
                        for report in reports
                    ],
                },
            )
        sent[agency] = len(reports)
    return sent


def recompute_deadlines(*, since: date) -> int:
    """Recompute the deadlines of open reports due on or after ``since``.

    A deadline is stored when it starts; when the working calendar changes (a day
    off announced later, a swapped Saturday), the reports it affects follow.
    Returns how many deadlines changed.
    """
    start = datetime.combine(since, time.min, tzinfo=timezone.get_default_timezone())
    changed: list[Report] = []
    reports = (
        Report.objects.filter(status__in=OPEN_STATUSES, deadline__gte=start)
        .select_related("category")
        .only(
            "pk",
            "status",
            "created_at",
            "accepted_at",
            "deadline",
            "is_urgent",
            "category__processing_days",
            "category__urgent_hours",
        )
    )
    for report in reports.iterator(chunk_size=2_000):
        if report.status == Status.NEW:
            wanted = calendar.intake_deadline(report.created_at)
        elif report.accepted_at is not None:
            wanted = report.processing_deadline(report.accepted_at)
        else:
            continue
        if wanted != report.deadline:
            report.deadline = wanted
            changed.append(report)
    with transaction.atomic():
        Report.objects.bulk_update(changed, ["deadline"], batch_size=2_000)
    return len(changed)
