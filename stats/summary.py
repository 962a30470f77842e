"""Recount, check and repair the statistics summary (stats.models.ReportSummary).

The triggers of migrations 0003_report_summary_triggers and
0004_report_summary_by_commune keep the summary equal to
the reports on every write path. This module is the independent second opinion
the operators' commands use: it recounts every row of the summary from the
reports in Python (``stats_check``) and writes the recount back (``stats_rebuild``).
A recount reads every report: seconds at a million reports, never on a page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from feedback.calendar import working_calendar
from feedback.models import Report, Status
from stats.models import (
    ReportMonthSummary,
    ReportSummary,
    ReportYearSummary,
    WorkingDayIndex,
)
from stats.workdays_index import index_rows, refill

MEASURES = (
    "count", "on_time", "late", "answered", "answer_seconds", "answer_workdays",
    "rated", "satisfied",
)  # fmt: skip
# (filing day or month, status, category id, agency id, commune code); 0 and ""
# stand for "none", as in the summary tables.
Key = tuple[date, str, int, int, str]
DIMENSIONS = ("status", "category_id", "agency_id", "commune_code")


def _seconds(delta: timedelta) -> int:
    """Whole seconds, halves away from zero (as the triggers' round())."""
    micro = delta // timedelta(microseconds=1)
    whole, rest = divmod(abs(micro), 1_000_000)
    return (whole + (rest >= 500_000)) * (1 if micro >= 0 else -1)


def _local(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _late(answered: datetime, deadline: date | datetime) -> bool:
    """After the deadline: its local day when it is a date, the moment if not."""
    if isinstance(deadline, datetime):
        return answered > deadline
    return _local(answered) > deadline


def recount() -> dict[Key, dict[str, int]]:
    """Every summary row worked out from the reports and their ratings."""
    index = dict(WorkingDayIndex.objects.values_list("day", "n"))
    rows: dict[Key, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MEASURES, 0))
    reports = Report.objects.order_by().values_list(
        "created_at", "status", "category_id", "agency_id", "commune_id",
        "deadline", "resolved_at", "rating__id", "rating__satisfied",
    )  # fmt: skip
    for (
        created,
        status,
        category,
        agency,
        commune,
        deadline,
        resolved_at,
        rating,
        happy,
    ) in reports.iterator(chunk_size=10_000):
        row = rows[(_local(created), status, category or 0, agency or 0, commune or "")]
        row["count"] += 1
        if status == Status.RESOLVED:
            late = (
                deadline is not None
                and resolved_at is not None
                and _late(resolved_at, deadline)
            )
            row["late" if late else "on_time"] += 1
            if resolved_at is not None:
                row["answered"] += 1
                row["answer_seconds"] += _seconds(resolved_at - created)
                row["answer_workdays"] += index.get(_local(resolved_at), 0) - index.get(
                    _local(created), 0
                )
        if rating is not None:
            row["rated"] += 1
            row["satisfied"] += bool(happy)
    return dict(rows)


def by_month(
    days: dict[Key, dict[str, int]], year: bool = False
) -> dict[Key, dict[str, int]]:
    """Day rows added up into month rows (the key's date: the month's first day),
    or into year rows (1 January) with ``year``."""
    months: dict[Key, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MEASURES, 0))
    for (day, status, category, agency, commune), values in days.items():
        first = day.replace(month=1, day=1) if year else day.replace(day=1)
        row = months[(first, status, category, agency, commune)]
        for m in MEASURES:
            row[m] += values[m]
    return dict(months)


def stored(model: Any = ReportSummary, field: str = "day") -> dict[Key, dict[str, int]]:
    return {
        (row[field], *(row[d] for d in DIMENSIONS)): {m: row[m] for m in MEASURES}
        for row in model.objects.values(field, *DIMENSIONS, *MEASURES)
    }


@dataclass(frozen=True)
class Difference:
    figure: str  # e.g. "count" (the measure) or "working day index"
    # the summary row, e.g. "2026-11-30 resolved lĩnh vực 3 cơ quan 0 xã 22738"
    where: str
    stored: int
    recounted: int

    def __str__(self) -> str:
        return f"{self.figure} [{self.where}]: {self.stored} ≠ {self.recounted}"


def differences() -> list[Difference]:
    """What differs between the summary and a recount (all-zero rows are equal to
    missing ones); empty when the summary is right."""
    found: list[Difference] = []
    expected = dict(index_rows(working_calendar()))
    have = dict(WorkingDayIndex.objects.values_list("day", "n"))
    if have != expected:
        changed = sorted(set(have.items()) ^ set(expected.items()))
        found.append(
            Difference(
                "working day index",
                f"{changed[0][0]} …" if changed else "",
                len(have),
                len(expected),
            )
        )
    zero = dict.fromkeys(MEASURES, 0)
    days = recount()
    for label, left, right in (
        ("", stored(), days),
        ("tháng ", stored(ReportMonthSummary, "month"), by_month(days)),
        ("năm ", stored(ReportYearSummary, "year"), by_month(days, year=True)),
    ):
        for key in sorted(left.keys() | right.keys()):
            a, b = left.get(key, zero), right.get(key, zero)
            day, status, category, agency, commune = key
            shown = {"": str(day), "tháng ": f"{day:%Y-%m}"}.get(label, f"{day:%Y}")
            where = (
                f"{label}{shown} {status} lĩnh vực {category} cơ quan {agency} "
                f"xã {commune or '-'}"
            )
            found += [
                Difference(m, where, a[m], b[m]) for m in MEASURES if a[m] != b[m]
            ]
    return found


def rebuild() -> int:
    """Refill the working-day index and replace the summary by a recount.

    Blocks report writes while it runs (PostgreSQL: SHARE lock on the reports and
    ratings), so no trigger adds to rows that are being replaced.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "LOCK TABLE feedback_report, feedback_rating IN SHARE MODE"
                )
                cursor.execute(
                    "LOCK TABLE stats_reportsummary, stats_reportmonthsummary, "
                    "stats_reportyearsummary IN EXCLUSIVE MODE"
                )
        refill(WorkingDayIndex, working_calendar())
        rows = recount()
        ReportSummary.objects.all().delete()
        ReportMonthSummary.objects.all().delete()
        ReportYearSummary.objects.all().delete()
        ReportSummary.objects.bulk_create(
            [
                ReportSummary(day=day, **dict(zip(DIMENSIONS, rest, strict=True)),
                              **values)
                for (day, *rest), values in rows.items()
            ],
            batch_size=5_000,
        )  # fmt: skip
        ReportMonthSummary.objects.bulk_create(
            [
                ReportMonthSummary(month=month,
                                   **dict(zip(DIMENSIONS, rest, strict=True)),
                                   **values)
                for (month, *rest), values in by_month(rows).items()
            ],
            batch_size=5_000,
        )  # fmt: skip
        ReportYearSummary.objects.bulk_create(
            [
                ReportYearSummary(year=year,
                                  **dict(zip(DIMENSIONS, rest, strict=True)),
                                  **values)
                for (year, *rest), values in by_month(rows, year=True).items()
            ],
            batch_size=5_000,
        )  # fmt: skip
    return len(rows)


def ensure_index(**kwargs: Any) -> None:
    """post_migrate: a flushed database (tests) gets its working-day index back."""
    table = WorkingDayIndex._meta.db_table
    if table not in connection.introspection.table_names():
        return  # migrated back before the summary existed
    if not WorkingDayIndex.objects.exists():
        refill(WorkingDayIndex, working_calendar())
