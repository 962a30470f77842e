"""Daily deadline reminders to agencies: each report at most once a day."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from feedback.models import Agency, DeadlineReminder, Report, Status
from feedback.notifications import admin_url
from portal.lib.emails import send_after_commit


def reports_to_remind(today: date) -> list[Report]:
    """Routed reports due within DEADLINE_WARNING_DAYS or overdue, not yet
    reminded today."""
    horizon = today + timedelta(days=settings.DEADLINE_WARNING_DAYS)
    return list(
        Report.objects.filter(
            status=Status.IN_PROGRESS,
            agency__isnull=False,
            agency__is_active=True,
            deadline__lte=horizon,
        )
        .exclude(agency__email="")
        .exclude(deadline_reminders__sent_on=today)
        .select_related("agency")
        .order_by("agency_id", "deadline", "pk")
    )


def send_deadline_reminders(today: date | None = None) -> dict[Agency, int]:
    """Email each agency its due-soon and overdue reports; returns counts sent."""
    today = today or timezone.localdate()
    by_agency: dict[Agency, list[Report]] = defaultdict(list)
    for report in reports_to_remind(today):
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
                        overdue=bool(report.deadline and report.deadline < today),
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
                            "overdue": bool(
                                report.deadline and report.deadline < today
                            ),
                            "url": admin_url(report),
                        }
                        for report in reports
                    ],
                },
            )
        sent[agency] = len(reports)
    return sent
