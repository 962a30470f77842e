"""The figures equal a recount after random writes through every write path.

The recount below is written here, from the rows, with nothing from stats/: the
figures' definitions as PRODUCT.md and the "Cách tính" note state them.
"""

from __future__ import annotations

import contextlib
import itertools
from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.services import delete_account
from feedback.models import Agency, Category, Rating, Report
from feedback.services import RatingError, anonymise_reports, rate_report
from places.models import AdministrativeUnit
from stats.selectors import Filters, compute_figures
from tests.factories import UserFactory

STATUSES = ["new", "accepted", "in_progress", "resolved", "rejected"]
OPEN = {"new", "accepted", "in_progress"}
KINDS = [
    "save", "bulk_create", "raw_insert", "save_change", "update", "raw_update",
    "delete", "raw_delete", "rate", "rating_update", "rating_delete",
    "admin_accept", "admin_reject", "transition", "anonymise", "delete_account",
    "rate_service", "rating_bulk_create", "raw_rating_insert", "commune_update",
]  # fmt: skip
COMMUNE_FIGURES = ("count", "answered", "on_time", "late", "overdue", "on_time_rate")
codes = itertools.count()


def _local(moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def _deadline(days: int) -> date | datetime:
    """A deadline ``days`` from today, in the type Report.deadline has (a date, or a
    moment at the end of office hours)."""
    day = timezone.localdate() + timedelta(days=days)
    if Report._meta.get_field("deadline").get_internal_type() == "DateTimeField":
        return datetime.combine(day, time(17), tzinfo=ZoneInfo(settings.TIME_ZONE))
    return day


def _late(answered: datetime, deadline: date | datetime) -> bool:
    if isinstance(deadline, datetime):
        return answered > deadline
    return _local(answered) > deadline


def _is_working_day(day: date) -> bool:
    """Vietnam's working calendar, read here from its sources: weekends, the
    holidays package's VN holidays, and the announced exceptions table."""
    from feedback.models import WorkCalendarDay

    exception = WorkCalendarDay.objects.filter(day=day).first()
    if exception is not None:
        return exception.is_working_day
    return day.weekday() < 5 and day not in holidays.country_holidays("VN")


def _working_days(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``."""
    return sum(
        _is_working_day(start + timedelta(days=n))
        for n in range(1, (end - start).days + 1)
    )


def _rate(satisfied: int, rated: int) -> float | None:
    return round(100 * satisfied / rated, 1) if rated else None


def recount(
    category: int | None = None,
    start: date | None = None,
    end: date | None = None,
    commune: str | None = None,
) -> dict[str, Any]:
    today = timezone.localdate()
    columns = ("id", "status", "category_id", "agency_id", "commune_id",
               "created_at", "deadline", "resolved_at")  # fmt: skip
    of_category = [
        r
        for r in Report.objects.values(*columns)
        if (category is None or r["category_id"] == category)
        and (commune is None or r["commune_id"] == commune)
    ]
    rows = [
        r
        for r in of_category
        if (start is None or _local(r["created_at"]) >= start)
        and (end is None or _local(r["created_at"]) <= end)
    ]
    ratings = dict(Rating.objects.values_list("report_id", "satisfied"))
    overdue_ids = set(Report.objects.overdue().values_list("pk", flat=True))
    resolved = [r for r in rows if r["status"] == "resolved"]
    late = [
        r
        for r in resolved
        if r["deadline"] is not None
        and r["resolved_at"] is not None
        and _late(r["resolved_at"], r["deadline"])
    ]
    timed = [r for r in resolved if r["resolved_at"] is not None]
    overdue = [r for r in rows if r["id"] in overdue_ids]
    on_time = len(resolved) - len(late)
    denominator = on_time + len(late) + len(overdue)
    rated = [ratings[r["id"]] for r in rows if r["id"] in ratings]
    names = dict(Category.objects.values_list("pk", "name"))
    agencies = dict(Agency.objects.values_list("pk", "name"))
    by_agency: dict[str, dict[str, int]] = {}
    for r in rows:
        if r["agency_id"] is None:
            continue
        entry = by_agency.setdefault(
            agencies[r["agency_id"]], {"resolved": 0, "in_progress": 0, "overdue": 0}
        )
        entry["resolved"] += r["status"] == "resolved"
        entry["in_progress"] += r["status"] in OPEN
        entry["overdue"] += r["id"] in overdue_ids
    seconds = sum((r["resolved_at"] - r["created_at"]).total_seconds() for r in timed)
    workdays = sum(
        _working_days(_local(r["created_at"]), _local(r["resolved_at"])) for r in timed
    )
    # The monthly chart is always the last 12 months: the period does not apply.
    months = Counter(f"{_local(r['created_at']):%Y-%m}" for r in of_category)
    units = dict(AdministrativeUnit.objects.values_list("code", "name"))
    late_ids = {r["id"] for r in late}
    by_commune: dict[str | None, dict[str, Any]] = {}
    for r in rows:
        entry = by_commune.setdefault(
            units.get(r["commune_id"]),
            {"count": 0, "answered": 0, "on_time": 0, "late": 0, "overdue": 0},
        )
        entry["count"] += 1
        entry["answered"] += r["status"] == "resolved"
        entry["late"] += r["id"] in late_ids
        entry["on_time"] += r["status"] == "resolved" and r["id"] not in late_ids
        entry["overdue"] += r["id"] in overdue_ids
    for entry in by_commune.values():
        whole = entry["on_time"] + entry["late"] + entry["overdue"]
        entry["on_time_rate"] = _rate(entry["on_time"], whole)
    # Satisfaction per agency and category of the rated reports (those only).
    happy: dict[str, dict[Any, list[int]]] = {"agency": {}, "category": {}}
    for r in rows:
        if r["id"] in ratings:
            for kind, name in (
                ("agency", agencies.get(r["agency_id"])),
                ("category", names.get(r["category_id"])),
            ):
                pair = happy[kind].setdefault(name, [0, 0])
                pair[0] += 1
                pair[1] += ratings[r["id"]]
    satisfaction_by = {
        kind: {
            name: {"rated": n, "satisfied": yes, "rate": _rate(yes, n)}
            for name, (n, yes) in groups.items()
        }
        for kind, groups in happy.items()
    }
    return {
        "total": len(rows),
        "by_status": {s: sum(r["status"] == s for r in rows) for s in STATUSES},
        "on_time": on_time,
        "late": len(late),
        "overdue": len(overdue),
        "on_time_rate": round(100 * on_time / denominator, 1) if denominator else None,
        "average_days_to_answer": round(seconds / len(timed) / 86400, 1)
        if timed
        else None,
        "average_working_days_to_answer": round(workdays / len(timed), 1)
        if timed
        else None,
        "satisfaction": {
            "rated": len(rated),
            "satisfied": sum(rated),
            "rate": round(100 * sum(rated) / len(rated), 1) if rated else None,
        },
        "by_category": dict(Counter(names.get(r["category_id"]) for r in rows)),
        "by_agency": by_agency,
        "by_commune": by_commune,
        "satisfaction_by_agency": satisfaction_by["agency"],
        "satisfaction_by_category": satisfaction_by["category"],
        "this_month": months.get(f"{today:%Y-%m}", 0),
    }


def shown(figures: dict[str, Any]) -> dict[str, Any]:
    """The figures in the recount's shape."""
    keys = (
        "total", "by_status", "on_time", "late", "overdue", "on_time_rate",
        "average_days_to_answer", "average_working_days_to_answer", "satisfaction",
    )  # fmt: skip
    return {
        **{key: figures[key] for key in keys},
        "by_category": {
            row["category"]: row["count"] for row in figures["by_category"]
        },
        "by_agency": {
            row["agency"]: {k: row[k] for k in ("resolved", "in_progress", "overdue")}
            for row in figures["by_agency"]
        },
        "by_commune": {
            row["commune"]: {k: row[k] for k in COMMUNE_FIGURES}
            for row in figures["by_commune"]
        },
        "satisfaction_by_agency": {
            row["agency"]: {k: row[k] for k in ("rated", "satisfied", "rate")}
            for row in figures["satisfaction_by_agency"]
        },
        "satisfaction_by_category": {
            row["category"]: {k: row[k] for k in ("rated", "satisfied", "rate")}
            for row in figures["satisfaction_by_category"]
        },
        "this_month": figures["by_month"][-1]["count"],
    }


class World:
    """Lookups shared by the examples, and the interpretation of one operation."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.categories = [
            Category.objects.create(name=f"Lĩnh vực {n}", slug=f"lv-{n}")
            for n in range(2)
        ]
        self.agencies = [
            Agency.objects.create(name=f"Cơ quan {n}", code=f"cq-{n}") for n in range(2)
        ]
        self.communes = [
            AdministrativeUnit.objects.create(
                code=f"9990{n}", name=f"Xã Thử {n}", type="xã",
                short_codename=f"thu_{n}",
                province_code=settings.PORTAL_PROVINCE_CODE,
                province_name="Tỉnh Khánh Hòa",
            )
            for n in range(3)
        ]  # fmt: skip
        self.now = timezone.now()

    def fields(self, a: int, b: int, c: int) -> dict[str, Any]:
        status = STATUSES[a % 5]
        # Minutes back over 40 days: local midnights and month ends get crossed;
        # one report in five up to 800 days older: year ends too.
        created = self.now - timedelta(minutes=97 * (b % 600))
        if b % 5 == 0:
            created -= timedelta(days=c % 800)
        resolved = None
        if status == "resolved" and c % 7:
            resolved = min(created + timedelta(hours=c % 400), self.now)
        return {
            "code": f"PA-{next(codes):04d}-PROP"[:12],
            "full_name": "Lê Văn Cường",
            "id_number": "058190004321",
            "email": "cuong@example.vn",
            "phone": "0987654321",
            "location": "Phan Rang",
            "title": "Ổ gà trên đường",
            "content": "Ổ gà lớn.",
            "status": status,
            "category": self.categories[c % 2] if c % 3 else None,
            "agency": self.agencies[b % 2] if b % 3 else None,
            "commune": self.communes[(a + c) % 3] if (a + b) % 4 else None,
            "created_at": created,
            "consent_at": created,
            "deadline": _deadline(c % 21 - 10) if a % 4 else None,
            "resolved_at": resolved,
        }

    def pick(self, n: int) -> Report | None:
        pks = list(Report.objects.order_by("pk").values_list("pk", flat=True))
        return Report.objects.get(pk=pks[n % len(pks)]) if pks else None

    def apply(self, kind: str, a: int, b: int, c: int) -> None:
        getattr(self, f"do_{kind}")(a, b, c)

    def do_save(self, a: int, b: int, c: int) -> None:
        reporter = UserFactory() if a % 2 else None
        Report(**self.fields(a, b, c), reporter=reporter).save()

    def do_bulk_create(self, a: int, b: int, c: int) -> None:
        Report.objects.bulk_create(
            [Report(**self.fields(a + n, b + 7 * n, c + n)) for n in range(3)]
        )

    def do_raw_insert(self, a: int, b: int, c: int) -> None:
        f = self.fields(a, b, c)
        adapt = connection.ops.adapt_datetimefield_value
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO feedback_report (code, full_name, id_number, email, "
                "phone, location, title, content, category_id, agency_id, "
                "commune_id, status, channel, allow_publish, is_published, answer, "
                "rejection_reason, deadline, created_at, updated_at, resolved_at, "
                "consent_at, search_text) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, "
                "%s, %s, %s, %s, 'web', %s, %s, '', '', %s, %s, %s, %s, %s, '')",
                [
                    f["code"], f["full_name"], f["id_number"], f["email"],
                    f["phone"], f["location"], f["title"], f["content"],
                    f["category"].pk if f["category"] else None,
                    f["agency"].pk if f["agency"] else None,
                    f["commune"].pk if f["commune"] else None,
                    f["status"], False, False, f["deadline"],
                    adapt(f["created_at"]), adapt(self.now),
                    adapt(f["resolved_at"]), adapt(f["consent_at"]),
                ],
            )  # fmt: skip

    def do_save_change(self, a: int, b: int, c: int) -> None:
        report = self.pick(a)
        if report is None:
            return
        new = self.fields(a + 1, b, c)
        for name in ("status", "category", "agency", "commune", "deadline",
                     "resolved_at"):  # fmt: skip
            setattr(report, name, new[name])
        if report.resolved_at is not None and report.resolved_at < report.created_at:
            report.resolved_at = report.created_at
        report.save()

    def do_update(self, a: int, b: int, c: int) -> None:
        new = self.fields(a, b, c)
        Report.objects.filter(pk__in=[p.pk for p in [self.pick(b)] if p]).update(
            status=new["status"],
            deadline=new["deadline"],
            category=new["category"],
        )
        if c % 2:
            Report.objects.filter(status="new").update(agency=new["agency"])

    def do_commune_update(self, a: int, b: int, c: int) -> None:
        """Only the commune changes (an official corrects it): no other column."""
        report = self.pick(a)
        if report is None:
            return
        others = [u for u in [*self.communes, None] if u != report.commune]
        Report.objects.filter(pk=report.pk).update(commune=others[b % len(others)])

    def do_raw_update(self, a: int, b: int, c: int) -> None:
        report = self.pick(b)
        if report is None:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE feedback_report SET status = %s, deadline = %s, "
                "commune_id = %s WHERE id = %s",
                [
                    STATUSES[a % 5],
                    _deadline(-(c % 5)),
                    self.communes[b % 3].pk if c % 3 else None,
                    report.pk,
                ],
            )

    def do_delete(self, a: int, b: int, c: int) -> None:
        report = self.pick(a)
        if report is not None:
            report.delete()  # its rating goes with it

    def do_raw_delete(self, a: int, b: int, c: int) -> None:
        report = self.pick(b)
        if report is None:
            return
        with connection.cursor() as cursor:
            for table in ("feedback_rating", "feedback_statuschange"):
                cursor.execute(f"DELETE FROM {table} WHERE report_id = %s", [report.pk])  # noqa: S608
            cursor.execute("DELETE FROM feedback_report WHERE id = %s", [report.pk])

    def do_rate(self, a: int, b: int, c: int) -> None:
        report = self.pick(c)
        if report is not None and not Rating.objects.filter(report=report).exists():
            Rating.objects.create(report=report, satisfied=bool(a % 2))

    def do_rate_service(self, a: int, b: int, c: int) -> None:
        """The reporter's rating (feedback.services.rate_report): a new one, or
        the rating of a new answer replacing the old one by save()."""
        report = Report.objects.filter(status="resolved").order_by("pk").first()
        if report is None:
            return
        if a % 2:  # answered again after the rating: the next one replaces it
            Rating.objects.filter(report=report).update(
                created_at=self.now - timedelta(days=400)
            )
        with contextlib.suppress(RatingError):  # rated already: nothing written
            rate_report(report=report, satisfied=bool(b % 2), comment="")

    def do_rating_bulk_create(self, a: int, b: int, c: int) -> None:
        unrated = Report.objects.filter(rating__isnull=True).order_by("pk")[:2]
        Rating.objects.bulk_create(
            [
                Rating(report=r, satisfied=bool((a + n) % 2))
                for n, r in enumerate(unrated)
            ]
        )

    def do_raw_rating_insert(self, a: int, b: int, c: int) -> None:
        report = Report.objects.filter(rating__isnull=True).order_by("-pk").first()
        if report is None:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO feedback_rating (report_id, satisfied, comment, reasons, "
                "created_at) VALUES (%s, %s, '', '[]', %s)",
                [
                    report.pk,
                    bool(b % 2),
                    connection.ops.adapt_datetimefield_value(self.now),
                ],
            )

    def do_rating_update(self, a: int, b: int, c: int) -> None:
        Rating.objects.filter(pk__in=Rating.objects.values("pk")[: a % 3 + 1]).update(
            satisfied=bool(b % 2)
        )

    def do_rating_delete(self, a: int, b: int, c: int) -> None:
        rating = Rating.objects.order_by("pk").first()
        if rating is not None:
            rating.delete()

    def _admin(self, action: str, statuses: set[str]) -> None:
        pks = list(
            Report.objects.filter(status__in=statuses).values_list("pk", flat=True)[:3]
        )
        if pks:
            response = self.client.post(
                "/admin/feedback/report/",
                {"action": action, "_selected_action": pks, "index": 0},
            )
            assert response.status_code == 302

    def do_admin_accept(self, a: int, b: int, c: int) -> None:
        self._admin("accept_reports", {"new"})

    def do_admin_reject(self, a: int, b: int, c: int) -> None:
        self._admin("reject_spam", {"new", "accepted"})

    def do_transition(self, a: int, b: int, c: int) -> None:
        from feedback.workflow import MOVES

        report = self.pick(a)
        targets = sorted(
            {m.target for m in MOVES if report and m.source == report.status}
        )
        if report is None or not targets:
            return
        to = targets[b % len(targets)]
        report.answer = report.answer or "Đã sửa xong."
        report.transition(to, by=None, note="Lý do: trùng lặp.")

    def _owner(self) -> Any:
        report = Report.objects.filter(reporter__isnull=False).first()
        return report.reporter if report else None

    def do_anonymise(self, a: int, b: int, c: int) -> None:
        owner = self._owner()
        if owner is not None:
            anonymise_reports(user=owner)

    def do_delete_account(self, a: int, b: int, c: int) -> None:
        owner = self._owner()
        if owner is not None:
            delete_account(owner)


operation = st.tuples(
    st.sampled_from(KINDS),
    st.integers(0, 10_000),
    st.integers(0, 10_000),
    st.integers(0, 10_000),
)


# Shared with the other property tests over the same write paths.
EXAMPLES = hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.mark.django_db
@EXAMPLES
@given(operations=st.lists(operation, min_size=1, max_size=8))
def test_figures_equal_a_recount_after_any_writes(
    admin_client: Client, operations: list[tuple[str, int, int, int]]
) -> None:
    with transaction.atomic():
        world = World(admin_client)
        for kind, a, b, c in operations:
            world.apply(kind, a, b, c)
        today = timezone.localdate()
        assert shown(compute_figures(Filters())) == recount()
        category = world.categories[0]
        assert shown(compute_figures(Filters(category=category))) == recount(
            category=category.pk
        )
        start = today - timedelta(days=10)
        assert shown(compute_figures(Filters(start=start))) == recount(start=start)
        # Across month ends: whole months and the days at both edges.
        start, end = today - timedelta(days=45), today - timedelta(days=3)
        assert shown(compute_figures(Filters(start=start, end=end))) == recount(
            start=start, end=end
        )
        # Whole years, the months and days at both ends; this year.
        start, end = date(today.year - 2, 3, 15), date(today.year, 2, 10)
        assert shown(compute_figures(Filters(start=start, end=end))) == recount(
            start=start, end=end
        )
        start = date(today.year, 1, 1)
        assert shown(compute_figures(Filters(start=start))) == recount(start=start)
        commune = world.communes[0]
        assert shown(compute_figures(Filters(commune=commune))) == recount(
            commune=commune.pk
        )
        start = today - timedelta(days=20)
        assert shown(
            compute_figures(Filters(start=start, category=category, commune=commune))
        ) == recount(start=start, category=category.pk, commune=commune.pk)
        cache.clear()
        data = admin_client.get("/thong-ke.json").json()
        assert shown(data) == recount()
        data = admin_client.get("/thong-ke.json", {"commune": commune.pk}).json()
        assert data["filters"]["commune"] == commune.pk
        assert shown(data) == recount(commune=commune.pk)
        transaction.set_rollback(True)
