"""The public report page in the shared page cache (portal.lib.pagecache).

A report page is rendered once and served to every anonymous visitor who sees
it the same way, for REPORT_PAGE_CACHE_SECONDS at most. Each request first asks
PostgreSQL for a fingerprint of everything the page shows: the report's row and
the rows of its status changes, files, rating, the reporter's updates, officials'
recorded edits, the names of its category and agency, the number of followers,
and whether the deadline has passed. Any write changes it — through ``save()``,
a bulk ``update()``, an admin bulk action or raw SQL alike — so a cached page is
never older than the data. One indexed query instead of six and no rendering.

On SQLite (`make run`) there is no fingerprint and the page is always rendered.
"""

from __future__ import annotations

from functools import cache as memoize
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest

from feedback.conversation_models import Follow, ReporterUpdate
from feedback.models import (
    Agency,
    Attachment,
    Category,
    Rating,
    Report,
    ReportEvent,
    StatusChange,
)
from feedback.reporter_access import SESSION_CODES, SESSION_PROVEN
from places.models import AdministrativeUnit


def _table(model: type) -> str:
    return connection.ops.quote_name(model._meta.db_table)  # type: ignore[attr-defined]


@memoize
def _fingerprint_sql() -> str:
    # Only table names from the models' metadata are formatted in; the code is
    # a parameter.
    def rows(model: type, alias: str) -> str:
        return (
            f"(SELECT string_agg({alias}::text, ',' ORDER BY {alias}.id) "  # noqa: S608
            f"FROM {_table(model)} {alias} WHERE {alias}.report_id = r.id)"
        )

    return (
        "SELECT md5(concat_ws('|', r::text, "  # noqa: S608
        f"{rows(StatusChange, 'c')}, {rows(Attachment, 'a')}, "
        f"{rows(ReporterUpdate, 'u')}, {rows(Rating, 'g')}, "
        f"(SELECT max(e.id) FROM {_table(ReportEvent)} e WHERE e.report_id = r.id), "
        f"(SELECT count(*) FROM {_table(Follow)} f WHERE f.report_id = r.id "
        "AND f.confirmed_at IS NOT NULL AND f.unsubscribed_at IS NULL), "
        f"(SELECT k.name FROM {_table(Category)} k WHERE k.id = r.category_id), "
        f"(SELECT y.name FROM {_table(Agency)} y WHERE y.id = r.agency_id), "
        "r.deadline <= now()"
        f")) FROM {_table(Report)} r WHERE r.code = %s"
    )


def fingerprint(code: str) -> str | None:
    """The current fingerprint of report ``code``'s public page; None when there
    is no such report or the database cannot tell (SQLite)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql(), [code])
        row = cursor.fetchone()
    return str(row[0]) if row else None


def may_differ_for(request: HttpRequest, code: str) -> bool:
    """Whether this anonymous visitor might see ``code`` otherwise than the
    public does: they filed it in this browser or proved they did."""
    session = getattr(request, "session", None)
    if session is None or session.session_key is None:
        return False
    return code in session.get(SESSION_CODES, []) or code in session.get(
        SESSION_PROVEN, []
    )


# The public list and search results -----------------------------------------
# They show many reports, so no fingerprint: a version bumped whenever a report
# (or a category or commune name) is saved or deleted, and PAGE_CACHE_SECONDS
# for writes that bypass save().
LIST_VERSION_KEY = "feedback:pages:list"


def _bump_list() -> None:
    if not cache.add(LIST_VERSION_KEY, 2, timeout=None):
        try:
            cache.incr(LIST_VERSION_KEY)
        except ValueError:  # expired between add and incr
            cache.set(LIST_VERSION_KEY, 2, timeout=None)


def _list_changed(sender: Any, **kwargs: Any) -> None:
    transaction.on_commit(_bump_list)


for _signal in (post_save, post_delete):
    for _model in (Report, Category, AdministrativeUnit):
        _signal.connect(
            _list_changed,
            sender=_model,
            dispatch_uid=f"public_list_{_model.__name__}_{id(_signal)}",
        )
