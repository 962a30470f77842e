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
from places.models import AdministrativeUnit
from portal.lib import pagecache
from stats.models import (
    ReportMonthSummary,
    ReportSummary,
    ReportYearSummary,
    WebsiteLink,
)

FIGURES_VERSION_KEY = "stats:figures:version"
# Bumped when announcements, guides or footer links change (cached whole pages).
CONTENT_VERSION_KEY = "stats:content:version"
LINKS_KEY = "stats:footer-links"
STATUS_ORDER = [s.value for s in Status]


@dataclass(frozen=True)
class Filters:
    """What the figures are computed over: reports filed in [start, end] (local
    dates, inclusive; None = unbounded), in one category and in one commune (None
    = all)."""

    start: date | None = None
    end: date | None = None
    category: Category | None = None
    commune: AdministrativeUnit | None = None

    def cache_part(self) -> str:
        category = self.category.pk if self.category else ""
        commune = self.commune.pk if self.commune else ""
        return f"{self.start}:{self.end}:{category}:{commune}"

    def summary_q(self) -> Q:
        """The summary rows of the category and commune (the period aside)."""
        q = Q()
        if self.category:
            q &= Q(category_id=self.category.pk)
        if self.commune:
            q &= Q(commune_code=self.commune.pk)
        return q


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
    if filters.commune:
        reports = reports.filter(commune=filters.commune)
    return reports


def _month_start(day: date, months_back: int) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _month_ceil(day: date) -> date:
    return day if day.day == 1 else _next_month(day)


def _year_ceil(day: date) -> date:
    return day if (day.month, day.day) == (1, 1) else date(day.year + 1, 1, 1)


# Coarsest first: (table, its period column, the first period start on or after
# a day, the period start on or before a day).
LEVELS: list[tuple[Any, str, Any, Any]] = [
    (ReportYearSummary, "year", _year_ceil, lambda day: day.replace(month=1, day=1)),
    (ReportMonthSummary, "month", _month_ceil, lambda day: day.replace(day=1)),
    (ReportSummary, "day", lambda day: day, lambda day: day),
]


def _span(field: str, first: date | None, until: date | None) -> Q | None:
    """Rows whose ``field`` is in [first, until) (None: unbounded); None if empty."""
    if first is not None and until is not None and first >= until:
        return None
    return Q(
        **({f"{field}__gte": first} if first else {}),
        **({f"{field}__lt": until} if until else {}),
    )


def _summary_parts(filters: Filters) -> list[Any]:
    """The summary rows covering ``filters``: whole years from ReportYearSummary,
    the whole months before and after them from ReportMonthSummary, the days left
    at both ends from ReportSummary. All time adds up a few years of rows, any
    period at most ~22 months and ~60 days besides its years."""
    start, end = filters.start, filters.end
    after = end and end + timedelta(days=1)  # the periods are [first, until)
    parts = []
    covered: tuple[date | None, date | None] | None = None  # by a coarser level
    for model, field, ceil, floor in LEVELS:
        low = ceil(start) if start else None
        high = floor(after) if after else None
        if low and high and low >= high:
            continue  # no whole period of this length: the finer levels cover it
        if covered is None:
            spans = [_span(field, low, high)]
        else:  # what the coarser levels left at both ends
            spans = [
                _span(field, low, covered[0]) if start else None,
                _span(field, covered[1], high) if after else None,
            ]
        found = [q for q in spans if q is not None]
        if found:
            where = found[0] if len(found) == 1 else found[0] | found[1]
            parts.append(model.objects.filter(filters.summary_q(), where))
        covered = (low, high)
    return parts


def _sum(field: str, **filter_: Any) -> Coalesce:
    total = Sum(field, filter=Q(**filter_)) if filter_ else Sum(field)
    return Coalesce(total, 0)


def _average(total: int, count: int, unit: float = 1) -> float | None:
    return round(total / count / unit, 1) if count else None


MEASURES = ("count", "on_time", "late", "answered", "answer_seconds",
            "answer_workdays", "rated", "satisfied")  # fmt: skip


def _satisfaction_row(rated: int, satisfied: int) -> dict[str, Any]:
    return {"rated": rated, "satisfied": satisfied, "rate": _percent(satisfied, rated)}


def compute_figures(filters: Filters, today: date | None = None) -> dict[str, Any]:
    """Every figure of /thong-ke/ for ``filters``; reads only, never writes.

    Everything but "overdue" adds up ReportSummary, the trigger-maintained
    summary (its month rows and a period's edge days, not the reports). Overdue
    depends on the clock, so it is counted live on the open reports through
    Report.objects.overdue() and its partial index. The definitions, which the
    page states under "Cách tính":

    - on_time / late: resolved reports answered on or before their deadline day
      (or with no deadline) / after it; on_time + late = by_status["resolved"];
    - overdue: open reports (new, accepted, in progress) past their deadline now;
    - on_time_rate = on_time / (on_time + late + overdue), %, None when that is 0,
      province-wide and per commune;
    - average answer time over resolved reports with an answer time, in calendar
      days and in working days (between the filing day and the answer day);
    - satisfaction over the rated reports, with their count, in all and per
      agency and category (the report's current agency and category).
    """
    today = today or timezone.localdate()
    # One pass over the summary rows of the filter, grouped by every dimension;
    # everything else is added up here from those groups.
    groups = [
        group
        for part in _summary_parts(filters)
        for group in part.values("status", "category_id", "agency_id", "commune_code")
        .annotate(**{f"sum_{m}": _sum(m) for m in MEASURES})
        .order_by()
    ]
    totals: dict[str, Any] = {m: sum(g[f"sum_{m}"] for g in groups) for m in MEASURES}
    by_status = dict.fromkeys(STATUS_ORDER, 0)
    per_category: dict[int, dict[str, int]] = {}
    per_agency: dict[int, dict[str, int]] = {}
    per_commune: dict[str, dict[str, int]] = {}
    for group in groups:
        n = group["sum_count"]
        by_status[group["status"]] = by_status.get(group["status"], 0) + n
        rated, satisfied = group["sum_rated"], group["sum_satisfied"]
        category = per_category.setdefault(
            group["category_id"], {"n": 0, "rated": 0, "satisfied": 0}
        )
        category["n"] += n
        category["rated"] += rated
        category["satisfied"] += satisfied
        agency = per_agency.setdefault(
            group["agency_id"],
            {"n": 0, "resolved": 0, "open": 0, "rated": 0, "satisfied": 0},
        )
        agency["n"] += n
        agency["resolved"] += n if group["status"] == Status.RESOLVED else 0
        agency["open"] += n if group["status"] in OPEN_STATUSES else 0
        agency["rated"] += rated
        agency["satisfied"] += satisfied
        commune = per_commune.setdefault(
            group["commune_code"], {"n": 0, "on_time": 0, "late": 0}
        )
        commune["n"] += n
        commune["on_time"] += group["sum_on_time"]
        commune["late"] += group["sum_late"]
    first_day = filters.start
    if first_day is None and totals["count"]:
        filed = ReportSummary.objects.filter(filters.summary_q(), count__gt=0)
        first_day = filed.order_by("day").values_list("day", flat=True).first()
    categories = {c.pk: c for c in Category.objects.only("pk", "name", "slug")}
    agencies = dict(Agency.objects.values_list("pk", "name"))
    communes = dict(
        AdministrativeUnit.objects.filter(
            code__in=[code for code in per_commune if code]
        ).values_list("code", "name")
    )

    def category_name(pk: int) -> str | None:
        return categories[pk].name if pk in categories else None

    def category_order(item: tuple[int, dict[str, int]]) -> tuple[int, bool, str]:
        name = category_name(item[0])
        return (-item[1]["n"], name is None, name or "")

    by_category = [
        {
            "category": category_name(pk),
            "slug": categories[pk].slug if pk in categories else None,
            "count": row["n"],
        }
        for pk, row in sorted(per_category.items(), key=category_order)
        if row["n"]
    ]

    # Open reports past their deadline, per agency (0: not routed yet) and
    # commune ("": none), read from the covering partial index.
    overdue_rows = list(
        _reports(filters)
        .overdue()
        .order_by()
        .values("agency_id", "commune_id")
        .annotate(n=Count("*"))
        .values_list("agency_id", "commune_id", "n")
    )
    overdue_by_agency: dict[int, int] = {}
    overdue_by_commune: dict[str, int] = {}
    for agency_id, commune_id, n in overdue_rows:
        key = agency_id or 0
        overdue_by_agency[key] = overdue_by_agency.get(key, 0) + n
        code = commune_id or ""
        overdue_by_commune[code] = overdue_by_commune.get(code, 0) + n
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
        key=lambda row: str(row["agency"]),
    )

    def commune_order(row: dict[str, Any]) -> tuple[bool, int, str]:
        # Reports without a commune last, whatever their number.
        return (row["code"] is None, -row["count"], row["commune"] or "")

    by_commune = sorted(
        (
            {
                "commune": communes.get(code, code) if code else None,
                "code": code or None,
                "count": row["n"],
                "answered": row["on_time"] + row["late"],
                "on_time": row["on_time"],
                "late": row["late"],
                "overdue": overdue_by_commune.get(code, 0),
                "on_time_rate": _percent(
                    row["on_time"],
                    row["on_time"] + row["late"] + overdue_by_commune.get(code, 0),
                ),
            }
            for code, row in per_commune.items()
            if row["n"]
        ),
        key=commune_order,
    )

    # Over the rated reports only; a group with no rating is not listed.
    satisfaction_by_agency = sorted(
        (
            {"agency": agencies.get(pk, "") if pk else None,
             **_satisfaction_row(row["rated"], row["satisfied"])}
            for pk, row in per_agency.items()
            if row["rated"]
        ),
        key=lambda row: (row["agency"] is None, row["agency"] or ""),
    )  # fmt: skip
    satisfaction_by_category = sorted(
        (
            {"category": category_name(pk),
             "slug": categories[pk].slug if pk in categories else None,
             **_satisfaction_row(row["rated"], row["satisfied"])}
            for pk, row in per_category.items()
            if row["rated"]
        ),
        key=lambda row: (row["category"] is None, row["category"] or ""),
    )  # fmt: skip

    first_month = _month_start(today, 11)
    months = ReportMonthSummary.objects.filter(
        filters.summary_q(), month__gte=first_month
    )
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
        "by_commune": by_commune,
        "by_month": by_month,
        "satisfaction": _satisfaction_row(totals["rated"], totals["satisfied"]),
        "satisfaction_by_agency": satisfaction_by_agency,
        "satisfaction_by_category": satisfaction_by_category,
        "period": {
            "start": start.isoformat() if start else None,
            "end": end.isoformat() if end else None,
        },
    }


def figures_version() -> int:
    return int(cache.get_or_set(FIGURES_VERSION_KEY, 1, timeout=None) or 1)


def bump_figures_version() -> None:
    """Called when any report changes status: every cached figure becomes stale."""
    pagecache.bump(FIGURES_VERSION_KEY)


def bump_content_version() -> None:
    """Called when announcements, guides or links change: cached pages are stale."""
    pagecache.bump(CONTENT_VERSION_KEY)


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
