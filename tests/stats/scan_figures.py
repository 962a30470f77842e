"""The statistics computed straight from the reports, with no day summary.

A second, independent way to get every figure of /thong-ke/ (eight aggregate
scans, seconds at a million reports): tests check that
stats.selectors.compute_figures, which reads the day summary, agrees with it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from feedback.models import OPEN_STATUSES, Rating, Report, Status
from stats.selectors import Filters

# Written again here, not imported: an oracle that shared the checked code's
# date bounds or rounding would agree with it on its mistakes.
STATUS_ORDER = [status.value for status in Status]


def _aware(day: date) -> datetime:
    """Local midnight at the start of ``day``."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _reports(filters: Filters) -> Any:
    """Reports filed on the filters' local days (inclusive), category and commune."""
    reports = Report.objects.all()
    if filters.start:
        reports = reports.filter(created_at__gte=_aware(filters.start))
    if filters.end:
        reports = reports.filter(created_at__lt=_aware(filters.end + timedelta(days=1)))
    if filters.category:
        reports = reports.filter(category=filters.category)
    if filters.commune:
        reports = reports.filter(commune=filters.commune)
    return reports


def _month_start(day: date, months_back: int) -> date:
    """The first day of the month ``months_back`` months before ``day``'s month."""
    year, month = day.year, day.month - months_back
    while month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1)


def _percent(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole`` to one decimal; None when whole is 0."""
    return round(100 * part / whole, 1) if whole else None


def _satisfaction(rows: Any, name: str, **extra: str) -> list[dict[str, Any]]:
    """Rated and satisfied per ``name`` (a lookup on the rating), None last."""
    found = [
        {
            name.split("__")[1]: row[name],
            **{key: row[lookup] for key, lookup in extra.items()},
            "rated": row["rated"],
            "satisfied": row["satisfied"],
            "rate": _percent(row["satisfied"], row["rated"]),
        }
        for row in rows.values(name, *extra.values()).annotate(
            rated=Count("pk"), satisfied=Count("pk", filter=Q(satisfied=True))
        )
    ]
    key = name.split("__")[1]
    return sorted(found, key=lambda row: (row[key] is None, row[key] or ""))


def _deadline_counts(now: Any) -> dict[str, Count]:
    """Answered on time, answered late, open past the deadline, as counts."""
    resolved = Q(status=Status.RESOLVED)
    return {
        "on_time": Count(
            "pk",
            filter=resolved
            & ~Q(
                deadline__isnull=False,
                resolved_at__isnull=False,
                resolved_at__gt=F("deadline"),
            ),
        ),
        "late": Count("pk", filter=resolved & Q(resolved_at__gt=F("deadline"))),
        "overdue": Count("pk", filter=Q(status__in=OPEN_STATUSES, deadline__lt=now)),
    }


def compute_figures_scan(filters: Filters, today: date | None = None) -> dict[str, Any]:
    """Every figure of /thong-ke/ straight from the reports (eight aggregate scans).

    The reference for compute_figures(): seconds at a million reports, so the
    pages use the day summary instead; tests check that both agree.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    reports = _reports(filters)
    resolved = Q(status=Status.RESOLVED)
    answered_day = TruncDate("resolved_at")

    # 1. Status counts, on time / late and the average answer time in one pass.
    totals = reports.annotate(resolved_day=answered_day).aggregate(
        total=Count("pk"),
        **{s: Count("pk", filter=Q(status=s)) for s in STATUS_ORDER},
        **_deadline_counts(now),
        average=Avg(
            ExpressionWrapper(
                F("resolved_at") - F("created_at"), output_field=DurationField()
            ),
            filter=resolved & Q(resolved_at__isnull=False),
        ),
    )
    average: timedelta | None = totals["average"]

    # 2. By category (reports without one are grouped as "not classified").
    by_category = [
        {
            "category": row["category__name"],
            "slug": row["category__slug"],
            "count": row["n"],
        }
        for row in reports.values("category__name", "category__slug")
        .annotate(n=Count("pk"))
        .order_by("-n", "category__name")
    ]

    # 3. By agency: resolved, still open, and open past the deadline.
    by_agency = [
        {
            "agency": row["agency__name"],
            "resolved": row["resolved"],
            "in_progress": row["open"],
            "overdue": row["overdue"],
        }
        for row in reports.filter(agency__isnull=False)
        .values("agency__name")
        .annotate(
            resolved=Count("pk", filter=resolved),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, deadline__lt=now)),
        )
        .order_by("agency__name")
    ]

    # 4. By month, the last 12 months (the category and commune filters apply,
    # the period does not: this chart is always a year of history).
    first_month = _month_start(today, 11)
    monthly = {
        (row["month"].year, row["month"].month): row["n"]
        for row in Report.objects.filter(created_at__gte=_aware(first_month))
        .filter(**({"category": filters.category} if filters.category else {}))
        .filter(**({"commune": filters.commune} if filters.commune else {}))
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    }
    by_month = []
    for back in range(11, -1, -1):
        month = _month_start(today, back)
        by_month.append(
            {
                "month": f"{month:%Y-%m}",
                "count": monthly.get((month.year, month.month), 0),
            }
        )

    # 5. Satisfaction with the answers of the reports in the filter.
    ratings = Rating.objects.filter(report__in=reports).aggregate(
        rated=Count("pk"), satisfied=Count("pk", filter=Q(satisfied=True))
    )
    # 6, 7. The same per agency and per category of the rated reports.
    rated = Rating.objects.filter(report__in=reports)
    satisfaction_by_agency = _satisfaction(rated, "report__agency__name")
    satisfaction_by_category = _satisfaction(
        rated, "report__category__name", slug="report__category__slug"
    )

    # 8. By commune: reports, answered on time and late, open past the deadline
    # (reports without a commune last, the others by number, then name).
    by_commune = []
    for row in reports.values("commune__code", "commune__name").annotate(
        n=Count("pk"),
        **_deadline_counts(now),
    ):
        answered_here = row["on_time"] + row["late"]
        by_commune.append(
            {
                "commune": row["commune__name"],
                "code": row["commune__code"],
                "count": row["n"],
                "answered": answered_here,
                "on_time": row["on_time"],
                "late": row["late"],
                "overdue": row["overdue"],
                "on_time_rate": _percent(
                    row["on_time"], answered_here + row["overdue"]
                ),
            }
        )
    by_commune.sort(
        key=lambda row: (row["code"] is None, -row["count"], row["commune"] or "")
    )

    answered = totals["on_time"] + totals["late"]
    return {
        "total": totals["total"],
        "by_status": {s: totals[s] for s in STATUS_ORDER},
        "on_time": totals["on_time"],
        "late": totals["late"],
        "answered": answered,
        "on_time_rate": _percent(totals["on_time"], answered + totals["overdue"]),
        "overdue": totals["overdue"],
        "average_days_to_answer": (
            round(max(average.total_seconds(), 0) / 86400, 1)
            if average is not None
            else None
        ),
        "by_category": by_category,
        "by_agency": by_agency,
        "by_month": by_month,
        "by_commune": by_commune,
        "satisfaction": {
            "rated": ratings["rated"],
            "satisfied": ratings["satisfied"],
            "rate": _percent(ratings["satisfied"], ratings["rated"]),
        },
        "satisfaction_by_agency": satisfaction_by_agency,
        "satisfaction_by_category": satisfaction_by_category,
    }
