"""Keeps ReportDaySummary in step with the reports (see stats/models.py).

Saving a report inserts a SummaryDirtyDay row in the same transaction; the figures
computation calls ``refresh()`` first, which rebuilds the dirty days that are
committed (a dirty mark of a transaction still open stays for the next refresh,
which the status change's cache bump triggers). Rebuilds take a lock so that two
app servers never rebuild the same day at once (PostgreSQL advisory lock; SQLite
serialises writers anyway).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import OperationalError, connection, transaction
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from feedback.models import Report, Status
from stats.models import ReportDaySummary, SummaryDirtyDay

logger = logging.getLogger(__name__)
LOCK_ID = 7_000_007  # pg_advisory_xact_lock key of the summary rebuilds


def local_day(moment: datetime) -> date:
    return timezone.localdate(moment)


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def mark_dirty(day: date) -> None:
    SummaryDirtyDay.objects.create(day=day)


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_ID])


def _grouped(reports: Any, *extra: str) -> Any:
    resolved = Q(status=Status.RESOLVED)
    return (
        reports.annotate(resolved_day=TruncDate("resolved_at"))
        .order_by()
        .values(*extra, "category_id", "agency_id", "status")
        .annotate(
            n=Count("pk"),
            on_time_n=Count(
                "pk",
                filter=resolved
                & Q(deadline__isnull=False, resolved_at__lte=F("deadline")),
            ),
            late_n=Count("pk", filter=resolved & Q(resolved_at__gt=F("deadline"))),
            answered_n=Count("pk", filter=resolved & Q(resolved_at__isnull=False)),
            answer_sum=Sum(
                ExpressionWrapper(
                    F("resolved_at") - F("created_at"), output_field=DurationField()
                ),
                filter=resolved & Q(resolved_at__isnull=False),
            ),
        )
    )


def _row(day: date, row: dict[str, Any]) -> ReportDaySummary:
    return ReportDaySummary(
        day=day,
        category_id=row["category_id"],
        agency_id=row["agency_id"],
        status=row["status"],
        count=row["n"],
        on_time=row["on_time_n"],
        late=row["late_n"],
        answered=row["answered_n"],
        answer_time=row["answer_sum"],
    )


def _rebuild_days(days: Iterable[date]) -> None:
    for day in sorted(set(days)):
        reports = Report.objects.filter(
            created_at__gte=_aware(day), created_at__lt=_aware(day + timedelta(days=1))
        )
        ReportDaySummary.objects.filter(day=day).delete()
        ReportDaySummary.objects.bulk_create(
            [_row(day, row) for row in _grouped(reports)]
        )


def refresh() -> int:
    """Rebuild the committed dirty days; returns how many were rebuilt.

    Runs inside a page view. It never waits long for a table lock (200 ms, on
    PostgreSQL): if someone holds one (a migration, a TRUNCATE), the rebuild is
    skipped and its marks stay for the next refresh, instead of a blocked page or
    a deadlock.
    """
    if not SummaryDirtyDay.objects.exists():
        return 0
    postgres = connection.vendor == "postgresql"
    try:
        with transaction.atomic():
            if postgres:
                # Undone with the savepoint if the block fails; reset below if not.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '200ms'")
            _lock()
            marks = list(SummaryDirtyDay.objects.values_list("pk", "day"))
            days = {day for _pk, day in marks}
            _rebuild_days(days)
            SummaryDirtyDay.objects.filter(pk__in=[pk for pk, _day in marks]).delete()
            if postgres:
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout TO DEFAULT")
    except OperationalError:  # lock timeout or deadlock: try again next time
        logger.warning("Stats day summary refresh skipped (tables locked)")
        return 0
    return len(days)


def rebuild_all() -> int:
    """Rebuild every row from the reports (after a bulk load); returns row count."""
    with transaction.atomic():
        _lock()
        SummaryDirtyDay.objects.all().delete()
        ReportDaySummary.objects.all().delete()
        rows = [
            _row(row["day"], row)
            for row in _grouped(
                Report.objects.annotate(day=TruncDate("created_at")), "day"
            ).iterator(chunk_size=10_000)
        ]
        ReportDaySummary.objects.bulk_create(rows, batch_size=5_000)
    return len(rows)
