"""The public report page in the shared page cache (portal.lib.pagecache).

A report page is rendered once and served to every anonymous visitor who sees
it the same way, for REPORT_PAGE_CACHE_SECONDS at most. Before a stored page is
served, PostgreSQL is asked for a fingerprint of everything the page shows (at
most REPORT_PAGE_RECHECK_SECONDS ago, default 1, so a page read by hundreds of
visitors a second costs one query a second): the report's row and the rows of
its status changes, files, rating, the reporter's updates, officials' recorded
edits, the names of its category and agency, the number of followers, and
whether the deadline has passed. Any write changes it — through ``save()``, a
bulk ``update()``, an admin bulk action or raw SQL alike — so a served page is
never more than REPORT_PAGE_RECHECK_SECONDS older than the data.

On SQLite (`make run`) there is no fingerprint and the page is always rendered.
"""

from __future__ import annotations

from functools import cache as memoize
from typing import Any

from django.conf import settings
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
from portal.lib import pagecache


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


def checked_key(code: str) -> str:
    """Where the fingerprint last read for ``code`` is kept for a moment."""
    return f"feedback:pages:checked:{code}"


def recent_fingerprint(code: str, kept: str | None) -> str | None:
    """The fingerprint of ``code``'s page as read from the database at most
    REPORT_PAGE_RECHECK_SECONDS ago: ``kept`` (the value under ``checked_key``,
    read by the caller with the page) while it lasts, else read now and kept.
    0 reads it on every request. Saving the report or anything on its page
    forgets the kept one at once."""
    seconds = settings.REPORT_PAGE_RECHECK_SECONDS
    if kept is not None and seconds > 0:
        return kept
    current = fingerprint(code)
    if current is not None and seconds > 0:
        cache.set(checked_key(code), current, seconds)
    return current


def may_differ_for(request: HttpRequest, code: str) -> bool:
    """Whether this anonymous visitor might see ``code`` otherwise than the
    public does: they filed it in this browser or proved they did."""
    session = getattr(request, "session", None)
    if session is None or session.session_key is None:
        return False
    return code in session.get(SESSION_CODES, []) or code in session.get(
        SESSION_PROVEN, []
    )


def _forget_checked(code: str) -> None:
    transaction.on_commit(lambda: cache.delete(checked_key(code)))


def _report_saved(sender: Any, instance: Report, **kwargs: Any) -> None:
    if instance.code:
        _forget_checked(instance.code)


def _related_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    report_id = getattr(instance, "report_id", None)
    if report_id is None:
        return
    field = type(instance)._meta.get_field("report")
    if field.is_cached(instance):
        code = instance.report.code
    else:
        code = (
            Report.objects.filter(pk=report_id).values_list("code", flat=True).first()
        )
    if code:
        _forget_checked(code)


for _signal in (post_save, post_delete):
    _signal.connect(
        _report_saved, sender=Report, dispatch_uid=f"pages_Report_{id(_signal)}"
    )
    for _model in (
        Attachment,
        Rating,
        ReportEvent,
        StatusChange,
        ReporterUpdate,
        Follow,
    ):
        _signal.connect(
            _related_saved,
            sender=_model,
            dispatch_uid=f"pages_{_model.__name__}_{id(_signal)}",
        )


# The public list and search results -----------------------------------------
# They show many reports, so no fingerprint: a version bumped whenever a report
# (or a category or commune name) is saved or deleted, and PAGE_CACHE_SECONDS
# for writes that bypass save().
LIST_VERSION_KEY = "feedback:pages:list"


def _list_changed(sender: Any, **kwargs: Any) -> None:
    transaction.on_commit(lambda: pagecache.bump(LIST_VERSION_KEY))


for _signal in (post_save, post_delete):
    for _named in (Report, Category, AdministrativeUnit):
        _signal.connect(
            _list_changed,
            sender=_named,
            dispatch_uid=f"public_list_{_named.__name__}_{id(_signal)}",
        )


# The list's filter form ------------------------------------------------------
# Its category and commune menus are a hundred options that change when an
# official renames or adds one: rendered once per version and choice of filters
# (templates/feedback/list.html), not on every search.
FILTERS_VERSION_KEY = "feedback:pages:filters"
FILTERS_SECONDS = 600  # bounds a rename that bypassed save()


def _filters_changed(sender: Any, **kwargs: Any) -> None:
    transaction.on_commit(lambda: pagecache.bump(FILTERS_VERSION_KEY))


for _signal in (post_save, post_delete):
    for _named in (Category, AdministrativeUnit):
        _signal.connect(
            _filters_changed,
            sender=_named,
            dispatch_uid=f"public_filters_{_named.__name__}_{id(_signal)}",
        )


def filters_version() -> int:
    return int(cache.get(FILTERS_VERSION_KEY) or 1)
