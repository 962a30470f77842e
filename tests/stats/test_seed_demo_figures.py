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
