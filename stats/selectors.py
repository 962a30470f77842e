"""Reads for the stats pages: aggregate queries over reports, cached briefly."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Count,
    Q,
    Sum,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from feedback.models import OPEN_STATUSES, Category, Rating, Report, Status, overdue_q
from stats.models import ReportDaySummary, WebsiteLink
from stats.summary import refresh as refresh_summary

FIGURES_VERSION_KEY = "stats:figures:version"
# Bumped when announcements, guides or footer links change (cached whole pages).
CONTENT_VERSION_KEY = "stats:content:version"
LINKS_KEY = "stats:footer-links"
STATUS_ORDER = [s.value for s in Status]


@dataclass(frozen=True)
class Filters:
    """What the figures are computed over: reports filed in [start, end] (local
    dates, inclusive; None = unbounded) and in one category (None = all)."""

    start: date | None = None
    end: date | None = None
    category: Category | None = None

    def cache_part(self) -> str:
        category = self.category.pk if self.category else ""
        return f"{self.start}:{self.end}:{category}"


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _reports(filters: Filters) -> Any:
    reports = Report.objects.all()
    if filters.start:
        reports = reports.filter(created_at__gte=_aware(filters.start))
    if filters.end:
        reports = reports.filter(created_at__lt=_aware(filters.end + timedelta(days=1)))
    if filters.category:
        reports = reports.filter(category=filters.category)
    return reports


def _month_start(day: date, months_back: int) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _summary_rows(filters: Filters) -> Any:
    rows = ReportDaySummary.objects.all()
    if filters.start:
        rows = rows.filter(day__gte=filters.start)
    if filters.end:
        rows = rows.filter(day__lte=filters.end)
    if filters.category:
        rows = rows.filter(category=filters.category)
    return rows


def _sum(field: str, **filter_: Any) -> Coalesce:
    total = Sum(field, filter=Q(**filter_)) if filter_ else Sum(field)
    return Coalesce(total, 0)


def compute_figures(filters: Filters, today: date | None = None) -> dict[str, Any]:
    """Every figure of /thong-ke/, added up from ReportDaySummary.

    Only "overdue" depends on today, so it is counted on the reports themselves:
    open reports only, through the partial index report_open_deadline.
    """
    refresh_summary()
    today = today or timezone.localdate()
    rows = _summary_rows(filters)
    open_late = _reports(filters).filter(overdue_q())

    totals = rows.aggregate(
        total=_sum("count"),
        **{s: _sum("count", status=s) for s in STATUS_ORDER},
        on_time=_sum("on_time"),
        late=_sum("late"),
        answered=_sum("answered"),
        answer_time=Sum("answer_time"),
    )
    answer_time: timedelta | None = totals["answer_time"]
    average = (
        answer_time / totals["answered"]
        if answer_time is not None and totals["answered"]
        else None
    )

    by_category = [
        {
            "category": row["category__name"],
            "slug": row["category__slug"],
            "count": row["n"],
        }
        for row in rows.values("category__name", "category__slug")
        .annotate(n=Sum("count"))
        .order_by("-n", "category__name")
    ]

    # Open reports past their deadline, per agency (None: not routed yet).
    # COUNT(*), not COUNT(id): the covering index report_open_deadline answers it.
    overdue_by_agency = dict(
        open_late.order_by()
        .values("agency__name")
        .annotate(n=Count("*"))
        .values_list("agency__name", "n")
    )
    by_agency = [
        {
            "agency": row["agency__name"],
            "resolved": row["resolved"],
            "in_progress": row["open"],
            "overdue": overdue_by_agency.get(row["agency__name"], 0),
        }
        for row in rows.filter(agency__isnull=False)
        .values("agency__name")
        .annotate(
            resolved=_sum("count", status=Status.RESOLVED),
            open=_sum("count", status__in=OPEN_STATUSES),
        )
        .order_by("agency__name")
    ]

    first_month = _month_start(today, 11)
    months = ReportDaySummary.objects.filter(day__gte=first_month)
    if filters.category:
        months = months.filter(category=filters.category)
    monthly = {
        (row["month"].year, row["month"].month): row["n"]
        for row in months.annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(n=Sum("count"))
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

    unfiltered = not (filters.start or filters.end or filters.category)
    rated = Rating.objects.all()
    if not unfiltered:
        rated = rated.filter(report__in=_reports(filters))
    ratings = rated.aggregate(
        rated=Count("pk"), satisfied=Count("pk", filter=Q(satisfied=True))
    )

    answered = totals["on_time"] + totals["late"]
    return {
        "total": totals["total"],
        "by_status": {s: totals[s] for s in STATUS_ORDER},
        "answered_on_time": totals["on_time"],
        "answered_late": totals["late"],
        "on_time_rate": _percent(totals["on_time"], answered),
        "overdue": sum(overdue_by_agency.values()),
        "average_days_to_answer": (
            round(average.total_seconds() / 86400, 1) if average is not None else None
        ),
        "by_category": by_category,
        "by_agency": by_agency,
        "by_month": by_month,
        "satisfaction": {
            "rated": ratings["rated"],
            "satisfied": ratings["satisfied"],
            "rate": _percent(ratings["satisfied"], ratings["rated"]),
        },
    }


def figures_version() -> int:
    return int(cache.get_or_set(FIGURES_VERSION_KEY, 1, timeout=None) or 1)


def bump_figures_version() -> None:
    """Called when any report changes status: every cached figure becomes stale."""
    cache.add(FIGURES_VERSION_KEY, 1, timeout=None)
    try:
        cache.incr(FIGURES_VERSION_KEY)
    except ValueError:
        cache.set(FIGURES_VERSION_KEY, 2, timeout=None)


def bump_content_version() -> None:
    """Called when announcements, guides or links change: cached pages are stale."""
    cache.add(CONTENT_VERSION_KEY, 1, timeout=None)
    try:
        cache.incr(CONTENT_VERSION_KEY)
    except ValueError:
        cache.set(CONTENT_VERSION_KEY, 2, timeout=None)


def page_cache_version() -> str:
    """The version of cached whole pages (portal.lib.pagecache): any report status
    change or content edit gives a new one, in one cache round trip."""
    found = cache.get_many([FIGURES_VERSION_KEY, CONTENT_VERSION_KEY])
    return f"{found.get(FIGURES_VERSION_KEY, 1)}.{found.get(CONTENT_VERSION_KEY, 1)}"


def figures(filters: Filters) -> dict[str, Any]:
    """compute_figures, cached for STATS_CACHE_SECONDS under a version key."""
    today = timezone.localdate()
    raw = f"{figures_version()}:{today}:{filters.cache_part()}"
    key = "stats:figures:" + hashlib.sha256(raw.encode()).hexdigest()[:32]
    result = cache.get(key)
    if result is None:
        result = compute_figures(filters, today=today)
        cache.set(key, result, timeout=settings.STATS_CACHE_SECONDS)
    return result


def footer_links() -> list[dict[str, str]]:
    links = cache.get(LINKS_KEY)
    if links is None:
        links = list(WebsiteLink.objects.active().values("name", "url"))
        cache.set(LINKS_KEY, links, timeout=3600)
    return links


def forget_links() -> None:
    cache.delete(LINKS_KEY)


def home_context() -> dict[str, Any]:
    """Everything the home page shows, in a fixed number of queries."""
    from stats.charts import status_chart
    from stats.models import Announcement, Guide
    from stats.qr import zalo_qr

    data = figures(Filters())
    return {
        "latest_reports": list(
            Report.objects.published()
            .select_related("category")
            .only("code", "title", "full_name", "resolved_at", "category__name")
            .order_by("-resolved_at", "-pk")[:5]
        ),
        "announcements": list(Announcement.objects.current()[:5]),
        "guides": list(Guide.objects.current()),
        "links": footer_links(),
        "figures": data,
        "status_chart": status_chart(data, chart_id="home-chart-status"),
        "zalo_url": settings.ZALO_OA_URL,
        "zalo_qr": zalo_qr(),
    }
