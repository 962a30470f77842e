"""Reads for the stats pages: aggregate queries over reports, cached briefly."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from feedback.models import OPEN_STATUSES, Agency, Category, Report, Status
from stats.models import ReportSummary, WebsiteLink

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
    rows = ReportSummary.objects.all()
    if filters.start:
        rows = rows.filter(day__gte=filters.start)
    if filters.end:
        rows = rows.filter(day__lte=filters.end)
    if filters.category:
        rows = rows.filter(category_id=filters.category.pk)
    return rows


def _sum(field: str, **filter_: Any) -> Coalesce:
    total = Sum(field, filter=Q(**filter_)) if filter_ else Sum(field)
    return Coalesce(total, 0)


def _average(total: int, count: int, unit: float = 1) -> float | None:
    return round(total / count / unit, 1) if count else None


def compute_figures(filters: Filters, today: date | None = None) -> dict[str, Any]:
    """Every figure of /thong-ke/ for ``filters``; reads only, never writes.

    Everything but "overdue" adds up ReportSummary, the trigger-maintained
    summary (a few thousand rows per year, not the reports). Overdue depends on
    the clock, so it is counted live on the open reports through
    Report.objects.overdue() and its partial index. The definitions, which the
    page states under "Cách tính":

    - on_time / late: resolved reports answered on or before their deadline day
      (or with no deadline) / after it; on_time + late = by_status["resolved"];
    - overdue: open reports (new, accepted, in progress) past their deadline now;
    - on_time_rate = on_time / (on_time + late + overdue), %, None when that is 0;
    - average answer time over resolved reports with an answer time, in calendar
      days and in working days (between the filing day and the answer day);
    - satisfaction over the rated reports, with their count.
    """
    today = today or timezone.localdate()
    rows = _summary_rows(filters)
    totals = rows.aggregate(
        total=_sum("count"),
        **{s: _sum("count", status=s) for s in STATUS_ORDER},
        **{m: _sum(m) for m in ("on_time", "late", "answered", "answer_seconds")},
        answer_workdays=_sum("answer_workdays"),
        rated=_sum("rated"),
        satisfied=_sum("satisfied"),
        first=Min("day", filter=Q(count__gt=0)),
        last=Max("day", filter=Q(count__gt=0)),
    )
    categories = {c.pk: c for c in Category.objects.only("pk", "name", "slug")}
    agencies = dict(Agency.objects.values_list("pk", "name"))

    by_category = sorted(
        (
            {
                "category": categories[row["category_id"]].name
                if row["category_id"] in categories
                else None,
                "slug": categories[row["category_id"]].slug
                if row["category_id"] in categories
                else None,
                "count": row["n"],
            }
            for row in rows.values("category_id").annotate(n=Sum("count")).order_by()
            if row["n"]
        ),
        key=lambda row: (-row["count"], row["category"] is None, row["category"] or ""),
    )

    # Open reports past their deadline, per agency (0: not routed yet).
    overdue_by_agency = {
        agency or 0: n
        for agency, n in _reports(filters)
        .overdue()
        .order_by()
        .values("agency_id")
        .annotate(n=Count("*"))
        .values_list("agency_id", "n")
    }
    overdue = sum(overdue_by_agency.values())
    by_agency = sorted(
        (
            {
                "agency": agencies.get(row["agency_id"], ""),
                "resolved": row["resolved"],
                "in_progress": row["open"],
                "overdue": overdue_by_agency.get(row["agency_id"], 0),
            }
            for row in rows.exclude(agency_id=0)
            .values("agency_id")
            .annotate(
                resolved=_sum("count", status=Status.RESOLVED),
                open=_sum("count", status__in=OPEN_STATUSES),
                n=Sum("count"),
            )
            .order_by()
            if row["n"]
        ),
        key=lambda row: row["agency"],
    )

    first_month = _month_start(today, 11)
    months = ReportSummary.objects.filter(day__gte=first_month)
    if filters.category:
        months = months.filter(category_id=filters.category.pk)
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

    on_time, late = totals["on_time"], totals["late"]
    start = filters.start or totals["first"]
    end = filters.end or (today if totals["last"] else None)
    return {
        "total": totals["total"],
        "by_status": {s: totals[s] for s in STATUS_ORDER},
        "on_time": on_time,
        "late": late,
        "answered": on_time + late,
        "overdue": overdue,
        "on_time_rate": _percent(on_time, on_time + late + overdue),
        "answer_time_count": totals["answered"],
        "average_days_to_answer": _average(
            totals["answer_seconds"], totals["answered"], 86400
        ),
        "average_working_days_to_answer": _average(
            totals["answer_workdays"], totals["answered"]
        ),
        "by_category": by_category,
        "by_agency": by_agency,
        "by_month": by_month,
        "satisfaction": {
            "rated": totals["rated"],
            "satisfied": totals["satisfied"],
            "rate": _percent(totals["satisfied"], totals["rated"]),
        },
        "period": {
            "start": start.isoformat() if start else None,
            "end": end.isoformat() if end else None,
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
    from stats.qr import qr_svg

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
        "zalo_qr": qr_svg(settings.ZALO_OA_URL),
    }
