"""stats_check finds a drifted summary and names the figures; stats_rebuild repairs."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from feedback.models import Rating, Report, Status
from stats.selectors import Filters, compute_figures
from tests.factories import CategoryFactory, ReportFactory


@pytest.fixture
def reports(db: None) -> list[Report]:
    roads = CategoryFactory(name="Giao thông", slug="giao-thong")
    made = ReportFactory.create_batch(3, category=roads)
    made[0].transition(Status.ACCEPTED, by=None)
    made[0].transition(Status.IN_PROGRESS, by=None)
    made[0].transition(Status.RESOLVED, by=None, note="Đã vá ổ gà.")
    Rating.objects.create(report=made[0], satisfied=True)
    return made


def _check() -> str:
    out = StringIO()
    call_command("stats_check", stdout=out, stderr=out)
    return out.getvalue()


def test_check_passes_when_the_summary_equals_the_reports(
    reports: list[Report],
) -> None:
    assert "khớp với dữ liệu" in _check()


@pytest.mark.parametrize(
    ("sql", "figures"),
    [
        ("UPDATE stats_reportsummary SET count = count + 1", {"count"}),
        (
            "UPDATE stats_reportsummary SET on_time = on_time + 2, rated = 0 "
            "WHERE status = 'resolved'",
            {"on_time", "rated"},
        ),
        ("DELETE FROM stats_reportsummary WHERE status = 'new'", {"count"}),
        ("UPDATE stats_reportmonthsummary SET commune_code = '22366'", {"count"}),
        ("UPDATE stats_reportyearsummary SET satisfied = 0", {"satisfied"}),
        ("UPDATE stats_workingdayindex SET n = n + 1", {"working day index"}),
    ],
)
def test_planted_drift_is_named_then_repaired(
    reports: list[Report], sql: str, figures: set[str]
) -> None:
    before = compute_figures(Filters())
    with connection.cursor() as cursor:
        cursor.execute(sql)
    err = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("stats_check", stdout=StringIO(), stderr=err)
    message = str(failure.value)
    assert "lệch" in message and "stats_rebuild" in message
    for figure in figures:
        assert figure in message
        assert figure in err.getvalue()

    out = StringIO()
    call_command("stats_rebuild", stdout=out)
    assert "Đã tính lại" in out.getvalue()
    assert "khớp với dữ liệu" in _check()
    assert compute_figures(Filters()) == before


def test_check_exits_non_zero_from_the_command_line(reports: list[Report]) -> None:
    # call_command raises; manage.py turns CommandError into exit status 1.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE stats_reportsummary SET late = late + 1")
    with pytest.raises(CommandError, match="late"):
        call_command("stats_check", stdout=StringIO(), stderr=StringIO())


def test_figures_moved_to_another_commune_name_both_rows(
    reports: list[Report],
) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE stats_reportsummary SET commune_code = '22366'")
    err = StringIO()
    with pytest.raises(CommandError, match="count"):
        call_command("stats_check", stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    category = reports[0].category_id
    # The two new reports have no commune ("-"): their row is missing there and
    # stands under commune 22366 instead.
    assert any(
        f"new lĩnh vực {category} cơ quan 0 xã 22366]: 2 ≠ 0" in line for line in lines
    ), lines
    assert any(
        f"new lĩnh vực {category} cơ quan 0 xã -]: 0 ≠ 2" in line for line in lines
    ), lines
