"""Reads for the stats pages: aggregate queries over reports, cached briefly."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from feedback.models import OPEN_STATUSES, Agency, Category, Report, Status
from stats.models import ReportMonthSummary, ReportSummary, WebsiteLink

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


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _summary_parts(filters: Filters) -> list[Any]:
    """The summary rows covering ``filters``: whole months from ReportMonthSummary,
    the days before the first and after the last whole month from ReportSummary.
    A five-year period adds up ~60 months of rows instead of ~1,800 days."""
    start, end = filters.start, filters.end
    first_whole = start and (start if start.day == 1 else _next_month(start))
    after = end and end + timedelta(days=1)
    after_whole = after and after.replace(day=1)
    days = ReportSummary.objects.all()
    months = ReportMonthSummary.objects.all()
    if filters.category:
        days = days.filter(category_id=filters.category.pk)
        months = months.filter(category_id=filters.category.pk)
    if first_whole and after_whole and first_whole >= after_whole:
        return [days.filter(day__gte=start, day__lte=end)]  # within one month
    edges = Q(pk__in=[])
    if start and first_whole:
        months = months.filter(month__gte=first_whole)
        edges |= Q(day__gte=start, day__lt=first_whole)
    if end and after_whole:
        months = months.filter(month__lt=after_whole)
        edges |= Q(day__gte=after_whole, day__lte=end)
    return [months, days.filter(edges)]


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
    # One pass over the summary rows of the filter, grouped into a few dozen
    # (status, category, agency) groups; everything else is added up here.
    measures = ("count", "on_time", "late", "answered", "answer_seconds",
                "answer_workdays", "rated", "satisfied")  # fmt: skip
    groups = [
        group
        for part in _summary_parts(filters)
        for group in part.values("status", "category_id", "agency_id")
        .annotate(**{f"sum_{m}": _sum(m) for m in measures})
        .order_by()
    ]
    totals: dict[str, Any] = {m: sum(g[f"sum_{m}"] for g in groups) for m in measures}
    by_status = dict.fromkeys(STATUS_ORDER, 0)
    per_category: dict[int, int] = {}
    per_agency: dict[int, dict[str, int]] = {}
    for group in groups:
        n = group["sum_count"]
        by_status[group["status"]] = by_status.get(group["status"], 0) + n
        per_category[group["category_id"]] = (
            per_category.get(group["category_id"], 0) + n
        )
        agency = per_agency.setdefault(
            group["agency_id"], {"n": 0, "resolved": 0, "open": 0}
        )
        agency["n"] += n
        agency["resolved"] += n if group["status"] == Status.RESOLVED else 0
        agency["open"] += n if group["status"] in OPEN_STATUSES else 0
    first_day = filters.start
    if first_day is None and totals["count"]:
        filed = ReportSummary.objects.filter(count__gt=0)
        if filters.category:
            filed = filed.filter(category_id=filters.category.pk)
        first_day = filed.order_by("day").values_list("day", flat=True).first()
    categories = {c.pk: c for c in Category.objects.only("pk", "name", "slug")}
    agencies = dict(Agency.objects.values_list("pk", "name"))

    def category_order(item: tuple[int, int]) -> tuple[int, bool, str]:
        found = categories.get(item[0])
        return (-item[1], found is None, found.name if found else "")

    by_category = [
        {
            "category": categories[pk].name if pk in categories else None,
            "slug": categories[pk].slug if pk in categories else None,
            "count": n,
        }
        for pk, n in sorted(per_category.items(), key=category_order)
        if n
    ]

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
                "agency": agencies.get(pk, ""),
                "resolved": row["resolved"],
                "in_progress": row["open"],
                "overdue": overdue_by_agency.get(pk, 0),
            }
            for pk, row in per_agency.items()
            if pk and row["n"]
        ),
        key=lambda row: row["agency"],
    )

    first_month = _month_start(today, 11)
    months = ReportMonthSummary.objects.filter(month__gte=first_month)
    if filters.category:
        months = months.filter(category_id=filters.category.pk)
    monthly = {
        (row["month"].year, row["month"].month): row["n"]
        for row in months.values("month").annotate(n=Sum("count")).order_by("month")
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
    start = first_day
    end = filters.end or (today if first_day else None)
    return {
        "total": totals["count"],
        "by_status": by_status,
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


# The versions of cached whole pages (portal.lib.pagecache): any report status
# change or content edit gives new ones.
PAGE_VERSION_KEYS = (FIGURES_VERSION_KEY, CONTENT_VERSION_KEY)


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
