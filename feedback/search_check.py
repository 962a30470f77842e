"""Check and repair what the public search reads, against the reports themselves.

On PostgreSQL the search reads feedback_report_search (SearchEntry), which the
triggers of migration 0022 keep equal to the public reports on every write
path; a restore that skipped triggers, or an operator who disabled them, can
still leave it behind. On SQLite it reads Report.search_text, which save()
writes: an update() or raw SQL that changes a title leaves it stale. The
operators' commands: ``search_check`` (drift()) and ``search_rebuild``
(repair()). Both read every report: seconds at a million, never on a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import translation
from django.utils.formats import number_format

from feedback.models import Report, SearchEntry, search_key

TABLE = SearchEntry._meta.db_table
FIELDS = ("vector", "status", "category_id", "commune_id")
SOURCE = ("search_vector", "status", "category_id", "commune_id")


@dataclass(frozen=True)
class Drift:
    missing: int = 0  # public reports the search does not hold
    stale: int = 0  # held with an old text or old filters
    extra: int = 0  # held though no longer public

    def __bool__(self) -> bool:
        return bool(self.missing or self.stale or self.extra)

    def __str__(self) -> str:
        with translation.override("vi"):
            missing, stale, extra = (
                number_format(n, force_grouping=True)
                for n in (self.missing, self.stale, self.extra)
            )
        return f"thiếu {missing}, cũ {stale}, thừa {extra}"


# The SQL below is made of constants and the ORM's own SQL, values as parameters.


def _public() -> tuple[str, tuple[Any, ...]]:
    """The public reports' rows as the search table holds them, as SQL."""
    ids, params = Report.objects.public().values("pk").query.sql_with_params()
    columns = ", ".join(f"r.{column}" for column in ("id", *SOURCE))
    return (
        f"SELECT {columns} FROM feedback_report r WHERE r.id IN ({ids})",  # noqa: S608
        tuple(params),
    )


def _differs(s: str, p: str) -> str:
    mine = ", ".join(f"{s}.{field}" for field in FIELDS)
    theirs = ", ".join(f"{p}.{column}" for column in SOURCE)
    return f"({mine}) IS DISTINCT FROM ({theirs})"


def _pg_drift(cursor: Any) -> Drift:
    public, params = _public()
    counts = []
    for sql in (
        f"SELECT count(*) FROM ({public}) p LEFT JOIN {TABLE} s ON s.id = p.id "  # noqa: S608
        "WHERE s.id IS NULL",
        f"SELECT count(*) FROM ({public}) p JOIN {TABLE} s ON s.id = p.id "  # noqa: S608
        f"WHERE {_differs('s', 'p')}",
        f"SELECT count(*) FROM {TABLE} s WHERE NOT EXISTS "  # noqa: S608
        f"(SELECT 1 FROM ({public}) p WHERE p.id = s.id)",
    ):
        cursor.execute(sql, params)
        counts.append(cursor.fetchone()[0])
    return Drift(*counts)


def _sqlite_stale() -> list[Report]:
    rows = Report.objects.values_list("pk", "title", "content", "search_text")
    return [
        Report(pk=pk, search_text=expected)
        for pk, title, content, text in rows.iterator()
        if text != (expected := search_key(f"{title}\n{content}"))
    ]


def drift() -> Drift:
    """How far what the search reads is from the reports; falsy when equal."""
    if connection.vendor != "postgresql":
        return Drift(stale=len(_sqlite_stale()))
    with connection.cursor() as cursor:
        return _pg_drift(cursor)


def repair() -> Drift:
    """Bring what the search reads back to the reports; returns what differed.

    Blocks report writes while it runs (SHARE lock), so no trigger writes a row
    that is being repaired. Rows already right are not written again.
    """
    if connection.vendor != "postgresql":
        stale = _sqlite_stale()
        Report.objects.bulk_update(stale, ["search_text"], batch_size=500)
        return Drift(stale=len(stale))
    public, params = _public()
    fields = ", ".join(("id", *FIELDS))
    update = ", ".join(f"{field} = EXCLUDED.{field}" for field in FIELDS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE feedback_report IN SHARE MODE")
        found = _pg_drift(cursor)
        cursor.execute(
            f"DELETE FROM {TABLE} s WHERE NOT EXISTS "  # noqa: S608
            f"(SELECT 1 FROM ({public}) p WHERE p.id = s.id)",
            params,
        )
        cursor.execute(
            f"INSERT INTO {TABLE} ({fields}) SELECT p.* FROM ({public}) p "  # noqa: S608
            f"LEFT JOIN {TABLE} s ON s.id = p.id WHERE s.id IS NULL "
            f"OR {_differs('s', 'p')} ORDER BY p.id "
            f"ON CONFLICT (id) DO UPDATE SET {update}",
            params,
        )
    return found
