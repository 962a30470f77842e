"""Statistics figures against counts computed here, from the rows the test made."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from feedback.models import OPEN_STATUSES, Rating, Report, Status
from stats.forms import StatsFilterForm
from stats.selectors import Filters, compute_figures, figures
from tests.factories import AgencyFactory, CategoryFactory, ReportFactory


def _move(report: Report, *steps: str) -> Report:
    for to in steps:
        note = "Đã khắc phục xong." if to == Status.RESOLVED else ""
        if to == Status.REJECTED:
            note = "Trùng lặp với phản ánh khác."
        report.transition(to, by=None, note=note)
    return report


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    """Reports in every status, two categories, two agencies, on time and late
    answers, an overdue report, reports in earlier months and some ratings."""
    roads = CategoryFactory(name="Giao thông", slug="giao-thong")
    waste = CategoryFactory(name="Môi trường", slug="moi-truong")
    dept_a = AgencyFactory(name="Sở Giao thông vận tải", code="so-gtvt")
    dept_b = AgencyFactory(name="Sở Tài nguyên và Môi trường", code="so-tnmt")
    today = timezone.localdate()

    ReportFactory.create_batch(2, category=roads)  # new
    ReportFactory(category=None)  # new, no category
    _move(ReportFactory(category=waste, agency=dept_b), Status.ACCEPTED)
    _move(
        ReportFactory(category=roads, agency=dept_a),
        Status.ACCEPTED,
        Status.IN_PROGRESS,
    )
    overdue = _move(
        ReportFactory(category=waste, agency=dept_a),
        Status.ACCEPTED,
        Status.IN_PROGRESS,
    )
    Report.objects.filter(pk=overdue.pk).update(
        deadline=timezone.now() - timedelta(days=2)
    )
    resolved = [
        _move(
            ReportFactory(category=cat, agency=agency),
            Status.ACCEPTED,
            Status.IN_PROGRESS,
            Status.RESOLVED,
        )
        for cat, agency in [(roads, dept_a), (roads, dept_a), (waste, dept_b)]
    ]
    # The second answer came at its deadline (still on time); the third came
    # after its deadline, and took longer.
    Report.objects.filter(pk=resolved[1].pk).update(deadline=resolved[1].resolved_at)
    late = resolved[2]
    Report.objects.filter(pk=late.pk).update(
        created_at=late.created_at - timedelta(days=20),
        deadline=timezone.now() - timedelta(days=5),
    )
    _move(ReportFactory(category=waste), Status.REJECTED)
    # Two reports filed in earlier months.
    for months_back, report in zip(
        (2, 5), ReportFactory.create_batch(2, category=waste), strict=True
    ):
        Report.objects.filter(pk=report.pk).update(
            created_at=timezone.now() - timedelta(days=31 * months_back)
        )
    Rating.objects.create(report=resolved[0], satisfied=True)
    Rating.objects.create(report=resolved[1], satisfied=True)
    Rating.objects.create(report=resolved[2], satisfied=False)
    return {"roads": roads, "waste": waste, "today": today}


def _overdue(r: Report) -> bool:
    return (
        r.status in ("new", "accepted", "in_progress")
        and r.deadline is not None
        and r.deadline < timezone.now()
    )


def expected(rows: list[Report], today: date) -> dict[str, Any]:
    """The figures, worked out in Python from the rows themselves."""
    resolved = [r for r in rows if r.status == Status.RESOLVED]
    on_time = [r for r in resolved if not r.deadline or r.resolved_at <= r.deadline]
    late = [r for r in resolved if r.deadline and r.resolved_at > r.deadline]
    durations = [(r.resolved_at - r.created_at).total_seconds() for r in resolved]
    ratings = [r.rating for r in resolved if hasattr(r, "rating")]
    statuses = Counter(r.status for r in rows)
    categories = Counter(r.category.name if r.category else None for r in rows)
    agencies: dict[str, dict[str, int]] = {}
    for r in rows:
        if r.agency is None:
            continue
        entry = agencies.setdefault(
            r.agency.name, {"resolved": 0, "in_progress": 0, "overdue": 0}
        )
        entry["resolved"] += r.status == Status.RESOLVED
        entry["in_progress"] += r.status in OPEN_STATUSES
        entry["overdue"] += _overdue(r)
    return {
        "total": len(rows),
        "by_status": {s.value: statuses.get(s.value, 0) for s in Status},
        "on_time": len(on_time),
        "late": len(late),
        "overdue": sum(_overdue(r) for r in rows),
        "average_days_to_answer": round(sum(durations) / len(durations) / 86400, 1)
        if durations
        else None,
        "by_category": dict(categories),
        "by_agency": agencies,
        "satisfied": sum(r.satisfied for r in ratings),
        "rated": len(ratings),
    }


def check(result: dict[str, Any], rows: list[Report], today: date) -> None:
    want = expected(rows, today)
    assert result["total"] == want["total"]
    assert result["by_status"] == want["by_status"]
    assert result["on_time"] == want["on_time"]
    assert result["late"] == want["late"]
    assert result["overdue"] == want["overdue"]
    assert result["average_days_to_answer"] == want["average_days_to_answer"]
    assert {row["category"]: row["count"] for row in result["by_category"]} == want[
        "by_category"
    ]
    assert {
        row["agency"]: {k: row[k] for k in ("resolved", "in_progress", "overdue")}
        for row in result["by_agency"]
    } == want["by_agency"]
    assert result["satisfaction"]["satisfied"] == want["satisfied"]
    assert result["satisfaction"]["rated"] == want["rated"]


def all_rows() -> list[Report]:
    return list(Report.objects.select_related("category", "agency", "rating"))


def test_every_figure_matches_the_rows(world: dict[str, Any]) -> None:
    rows = all_rows()
    result = compute_figures(Filters(), today=world["today"])
    check(result, rows, world["today"])
    # The world above has each kind of figure at least once, so none is trivially 0.
    assert result["on_time"] == 2
    assert result["late"] == 1
    assert result["overdue"] == 1
    assert result["satisfaction"]["rate"] == 66.7


def test_by_month_covers_twelve_months_with_the_rows_counts(
    world: dict[str, Any],
) -> None:
    result = compute_figures(Filters(), today=world["today"])
    months = Counter(
        f"{timezone.localtime(r.created_at):%Y-%m}" for r in Report.objects.all()
    )
    assert len(result["by_month"]) == 12
    assert result["by_month"][-1]["month"] == f"{world['today']:%Y-%m}"
    for row in result["by_month"]:
        assert row["count"] == months.get(row["month"], 0)
    assert sum(row["count"] for row in result["by_month"]) == sum(
        n for month, n in months.items() if month >= result["by_month"][0]["month"]
    )


def test_category_filter_counts_only_that_category(world: dict[str, Any]) -> None:
    rows = [r for r in all_rows() if r.category == world["waste"]]
    result = compute_figures(Filters(category=world["waste"]), today=world["today"])
    check(result, rows, world["today"])
    assert result["total"] == len(rows) > 0


def test_this_month_leaves_out_older_reports(world: dict[str, Any]) -> None:
    today = world["today"]
    form = StatsFilterForm({"period": "month"})
    assert form.is_valid()
    rows = [
        r
        for r in all_rows()
        if timezone.localtime(r.created_at).date() >= today.replace(day=1)
    ]
    result = compute_figures(form.filters(today), today=today)
    check(result, rows, today)
    assert result["total"] < Report.objects.count()


def test_json_has_the_figures_for_the_filters(
    world: dict[str, Any], client: Client
) -> None:
    data = client.get("/thong-ke.json", {"category": "giao-thong"}).json()
    rows = [r for r in all_rows() if r.category == world["roads"]]
    check(data, rows, world["today"])
    assert data["filters"]["category"] == "giao-thong"
    assert set(data["by_status"]) == {
        "new",
        "accepted",
        "in_progress",
        "resolved",
        "rejected",
    }


@pytest.mark.parametrize(
    "query",
    [
        {"period": "forever"},
        {"category": "khong-co"},
        {"commune": "99999"},
        {"period": "custom", "start": "2026-02-31"},
        {"period": "custom", "start": "2026-05-01", "end": "2026-04-01"},
        {"period": "custom"},
    ],
)
def test_bad_filters_give_a_form_error_never_a_crash(
    world: dict[str, Any], client: Client, query: dict[str, str]
) -> None:
    page = client.get("/thong-ke/", query)
    assert page.status_code == 200
    assert page.context["form"].errors
    assert 'aria-invalid="true"' in page.content.decode()
    # The page still shows every report: the bad filter is ignored.
    assert page.context["figures"]["total"] == Report.objects.count()

    api = client.get("/thong-ke.json", query)
    assert api.status_code == 400
    assert api.json()["errors"]


def test_custom_range_error_is_in_vietnamese(
    world: dict[str, Any], client: Client
) -> None:
    page = client.get(
        "/thong-ke/", {"period": "custom", "start": "2026-05-01", "end": "2026-04-01"}
    )
    assert "Ngày kết thúc phải sau ngày bắt đầu." in page.content.decode()


def test_figures_are_cached_until_a_status_changes(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    before = figures(Filters())
    report = ReportFactory()  # written straight to the table: no signal
    assert figures(Filters())["total"] == before["total"]  # served from the cache

    with django_capture_on_commit_callbacks(execute=True):
        report.transition(Status.ACCEPTED, by=None)
    after = figures(Filters())
    assert after["total"] == before["total"] + 1
    assert after["by_status"]["accepted"] == before["by_status"]["accepted"] + 1


def test_cache_lifetime_comes_from_the_setting(
    world: dict[str, Any], settings: Any
) -> None:
    settings.STATS_CACHE_SECONDS = 0  # no caching at all
    before = figures(Filters())["total"]
    ReportFactory()
    assert figures(Filters())["total"] == before + 1


def test_statistics_page_shows_charts_and_tables(
    world: dict[str, Any], client: Client
) -> None:
    page = client.get("/thong-ke/").content.decode()
    total = Report.objects.count()
    assert "Thống kê kết quả xử lý" in page
    assert "Biểu đồ thống kê kết quả xử lý" in page
    assert page.count("<svg") >= 5
    assert page.count("<table") >= 5
    assert f'<dd id="figure-total">{total}</dd>' in page
    assert "66,7%" in page  # satisfaction in Vietnamese decimal format
    assert "<script>" not in page and "style=" not in page


def test_statistics_page_query_budget_does_not_grow_with_reports(
    world: dict[str, Any], client: Client, django_assert_max_num_queries: Any
) -> None:
    # The sums over the summary, the live overdue count, the category and agency
    # names, the category list (checked, then shown), the persisted visitor total
    # and the footer links (both cached afterwards).
    with django_assert_max_num_queries(12) as few:
        client.get("/thong-ke/")
    ReportFactory.create_batch(20, category=world["roads"])
    cache.clear()
    # The summary is kept by the database: a read never rebuilds or writes.
    with django_assert_max_num_queries(12) as many:
        client.get("/thong-ke/?period=year&category=giao-thong")
    assert len(many.captured_queries) <= len(few.captured_queries) + 1  # filter
    assert not [
        q
        for q in many.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
