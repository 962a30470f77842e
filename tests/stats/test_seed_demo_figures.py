"""Right after seed_demo on an empty database, /thong-ke.json equals the table."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from feedback.models import Report

STATUSES = ("new", "accepted", "in_progress", "resolved", "rejected")


def _table_counts() -> tuple[int, Counter[str], int]:
    """Counted with plain SQL on feedback_report, not through the app's code."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT status, COUNT(*) FROM feedback_report GROUP BY status")
        by_status = Counter(dict(cursor.fetchall()))
        cursor.execute("SELECT COUNT(*) FROM feedback_rating")
        rated = cursor.fetchone()[0]
    return sum(by_status.values()), by_status, rated


@pytest.mark.django_db
def test_seed_demo_on_an_empty_database_gives_the_table_counts(client: Client) -> None:
    call_command("seed_demo", stdout=StringIO())
    total, by_status, rated = _table_counts()
    assert total >= 300

    data = client.get("/thong-ke.json").json()
    assert data["total"] == total
    assert data["by_status"] == {s: by_status.get(s, 0) for s in STATUSES}
    assert data["satisfaction"]["rated"] == rated
    assert data["on_time"] + data["late"] == by_status["resolved"]
    # Overdue is the workflow's definition (Report.objects.overdue()), now.
    overdue = Report.objects.overdue().count()
    assert data["overdue"] == overdue
    denominator = data["on_time"] + data["late"] + data["overdue"]
    assert data["on_time_rate"] == round(100 * data["on_time"] / denominator, 1)

    # Per commune ("" for none), and satisfaction per agency and per category.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(commune_id, ''), COUNT(*), "
            "SUM(CASE WHEN status = 'resolved' THEN 1 ELSE 0 END) "
            "FROM feedback_report GROUP BY 1"
        )
        communes = {code: (n, answered) for code, n, answered in cursor.fetchall()}
        rated_by = {}
        for column, table in (("agency_id", "feedback_agency"),
                              ("category_id", "feedback_category")):  # fmt: skip
            cursor.execute(
                f"SELECT t.name, COUNT(*), SUM(CASE WHEN g.satisfied THEN 1 ELSE 0 "  # noqa: S608
                f"END) FROM feedback_rating g JOIN feedback_report r ON "
                f"r.id = g.report_id JOIN {table} t ON t.id = r.{column} GROUP BY 1"
            )
            rated_by[column] = {name: (n, yes) for name, n, yes in cursor.fetchall()}
    assert len(communes) > 3  # the demo spreads its reports over several communes
    assert {
        row["code"] or "": (row["count"], row["answered"]) for row in data["by_commune"]
    } == communes
    overdue_by_commune = Counter(
        code or ""
        for code in Report.objects.overdue().values_list("commune", flat=True)
    )
    assert {
        row["code"] or "": row["overdue"]
        for row in data["by_commune"]
        if row["overdue"]
    } == dict(overdue_by_commune)
    assert sum(row["on_time"] for row in data["by_commune"]) == data["on_time"]
    for key, column in (("agency", "agency_id"), ("category", "category_id")):
        shown = {
            row[key]: (row["rated"], row["satisfied"])
            for row in data[f"satisfaction_by_{key}"]
        }
        assert shown == rated_by[column]
        assert sum(n for n, _yes in shown.values()) == rated
