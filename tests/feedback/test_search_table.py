"""The search table holds exactly the public reports, after any write path.

feedback_report_search (SearchEntry) is kept by triggers on feedback_report
(PostgreSQL; SQLite searches Report.search_text). The recount below reads the
reports directly, with the public condition written out here.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from feedback.models import Report
from tests.factories import ReportFactory
from tests.stats.test_summary_property import EXAMPLES, KINDS, World


def on_postgresql() -> bool:
    """Whether there is a search table; SQLite has none (migration 0022 creates
    nothing there) and searches search_text, checked by test_search_commands."""
    if connection.vendor == "postgresql":
        return True
    assert "feedback_report_search" not in connection.introspection.table_names()
    return False


TITLES = ["Ổ gà trên đường", "Đèn đường hỏng", "Rác thải ven biển", "Cây xanh ngã"]


def entries() -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, vector::text, status, category_id, commune_id "
            "FROM feedback_report_search ORDER BY id"
        )
        return list(cursor.fetchall())


def recount() -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, search_vector::text, status, category_id, commune_id "
            "FROM feedback_report WHERE status IN ('accepted', 'in_progress', "
            "'resolved') AND allow_publish AND NOT is_hidden ORDER BY id"
        )
        return list(cursor.fetchall())


class SearchWorld(World):
    """The statistics' write paths, plus those that change what is searched:
    the text, hiding and the reporter's consent."""

    def fields(self, a: int, b: int, c: int) -> dict[str, Any]:
        title = TITLES[a % len(TITLES)]
        return {**super().fields(a, b, c), "title": title, "allow_publish": b % 4 > 0}

    def do_text_update(self, a: int, b: int, c: int) -> None:
        Report.objects.filter(pk__in=[p.pk for p in [self.pick(a)] if p]).update(
            title=TITLES[b % len(TITLES)], content=f"Nội dung số {c}."
        )

    def do_hide(self, a: int, b: int, c: int) -> None:
        Report.objects.filter(pk__in=[p.pk for p in [self.pick(a)] if p]).update(
            is_hidden=bool(b % 2)
        )

    def do_consent(self, a: int, b: int, c: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE feedback_report SET allow_publish = NOT allow_publish "
                "WHERE id %% 3 = %s",
                [a % 3],
            )

    def do_unrelated_update(self, a: int, b: int, c: int) -> None:
        Report.objects.update(answer=f"Trả lời {a}")


EXTRA = ["text_update", "hide", "consent", "unrelated_update"]
number = st.integers(0, 10_000)
operation = st.tuples(st.sampled_from([*KINDS, *EXTRA]), number, number, number)


@pytest.mark.django_db
@EXAMPLES
@given(operations=st.lists(operation, min_size=1, max_size=8))
def test_the_search_table_equals_the_public_reports_after_any_writes(
    admin_client: Client, operations: list[tuple[str, int, int, int]]
) -> None:
    if not on_postgresql():
        return
    with transaction.atomic():
        world = SearchWorld(admin_client)
        for kind, a, b, c in operations:
            world.apply(kind, a, b, c)
            assert entries() == recount(), (kind, a, b, c)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_an_update_of_nothing_searched_writes_no_search_row() -> None:
    if not on_postgresql():
        return
    report = ReportFactory(published=True, title="Ổ gà trên đường")

    def version() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT ctid FROM feedback_report_search WHERE id = %s", [report.pk]
            )
            return cursor.fetchone()

    before = version()
    assert before is not None
    Report.objects.filter(pk=report.pk).update(answer="Đã vá.", agency=None)
    assert version() == before  # not rewritten: no new row version, no index work
    Report.objects.filter(pk=report.pk).update(content="Ổ gà lớn hơn.")
    assert version() != before


@pytest.mark.django_db
def test_a_bulk_load_and_truncate_keep_the_search_table() -> None:
    # seed_bulk copies under session_replication_role = replica, with the
    # search table's index dropped and built again.
    if not on_postgresql():
        return
    call_command("seed_bulk", "--reports", "400", stdout=StringIO(), stderr=StringIO())
    assert len(entries()) > 100
    assert entries() == recount()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_indexes WHERE indexname = 'report_public_search' "
            "AND tablename = 'feedback_report_search'"
        )
        assert cursor.fetchone() is not None
        cursor.execute("TRUNCATE feedback_report CASCADE")
    assert entries() == []


@pytest.mark.django_db
def test_the_public_list_finds_what_the_search_table_holds(
    client: Client, settings: Any
) -> None:
    settings.PAGE_CACHE_SECONDS = 0  # raw SQL bumps no cached list
    if not on_postgresql():
        return
    # Written by SQL alone: made public, then hidden, through raw updates.
    report = ReportFactory(status="new", title="Nắp cống bị mất")
    assert client.get("/phan-anh/", {"q": "nap cong"}).context["page"].object_list == []
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE feedback_report SET status = 'accepted', allow_publish = true "
            "WHERE id = %s",
            [report.pk],
        )
    page = client.get("/phan-anh/", {"q": "nap cong"}).context["page"]
    assert [r.pk for r in page.object_list] == [report.pk]
    Report.objects.filter(pk=report.pk).update(is_hidden=True)
    assert client.get("/phan-anh/", {"q": "nap cong"}).context["page"].object_list == []
