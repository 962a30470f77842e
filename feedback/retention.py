"""Reports' share of the retention period (accounts.retention, RETENTION_MONTHS)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Max, Q
from django.utils import timezone

from feedback.models import Report, Status
from feedback.services import ERASED_NAME

CLOSED = [Status.RESOLVED, Status.REJECTED]


def erase_closed_before(cutoff: datetime) -> int:
    """Erase the reporter's personal fields of reports closed before ``cutoff``.

    Closed means resolved or rejected now; the closing time is the last move into
    that status, so a report reopened and closed again starts its period anew.
    The report itself (category, place, status, dates, answer) stays for the
    statistics.
    """
    expired = (
        Report.objects.filter(status__in=CLOSED, anonymised_at__isnull=True)
        .annotate(
            closed_at=Max(
                "changes__created_at", filter=Q(changes__to_status__in=CLOSED)
            )
        )
        .filter(closed_at__lt=cutoff)
        .values("pk")
    )
    return Report.objects.filter(pk__in=expired).update(
        full_name=ERASED_NAME,
        id_number="",
        email="",
        phone="",
        anonymised_at=timezone.now(),
    )
