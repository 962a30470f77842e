"""Daily deadline reminders to agencies: each report at most once a day."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from feedback.models import (
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
