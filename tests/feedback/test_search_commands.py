"""`search_check` finds where the public search has drifted from the reports and
`search_rebuild` repairs it, on PostgreSQL (the search table) and SQLite
(search_text)."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from feedback.models import Report, Status
from tests.factories import ReportFactory

URL = "/phan-anh/"


def _titles(client: Client, query: str) -> list[str]:
    page = client.get(URL, {"q": query}).context["page"]
    return [report.title for report in page.object_list]


def _check() -> str:
    out = StringIO()
    call_command("search_check", stdout=out, stderr=StringIO())
    return out.getvalue()


def _row_versions() -> dict[int, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, ctid FROM feedback_report_search")
        return dict(cursor.fetchall())


@pytest.mark.django_db
def test_search_check_names_the_drift_and_search_rebuild_repairs_it(
    client: Client, settings: Any
) -> None:
    settings.PAGE_CACHE_SECONDS = 0
    text = "Cần xử lý sớm."
    kept = ReportFactory(published=True, title="Cây xanh ngã đổ", content=text)
    edited = ReportFactory(published=True, title="Đèn đường hỏng", content=text)
    hidden = ReportFactory(published=True, title="Rác thải ven biển", content=text)
    accepted = ReportFactory(status=Status.NEW, title="Nắp cống bị mất", content=text)
    assert "khớp" in _check()
    postgresql = connection.vendor == "postgresql"
    if postgresql:  # as if a restore or an operator had left the triggers off
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending events
            for event in ("inserted", "updated", "deleted"):
                cursor.execute(
                    f"ALTER TABLE feedback_report DISABLE TRIGGER report_search_{event}"
                )
    Report.objects.filter(pk=edited.pk).update(title="Ổ gà sâu")
    if postgresql:
        Report.objects.filter(pk=hidden.pk).update(is_hidden=True)
        Report.objects.filter(pk=accepted.pk).update(
            status=Status.ACCEPTED, allow_publish=True
        )
        expected = "thiếu 1, cũ 1, thừa 1"
        before = _row_versions()
    else:  # SQLite searches the reports themselves: only the text can lag
        expected = "thiếu 0, cũ 1, thừa 0"
    assert _titles(client, "o ga") == []
    with pytest.raises(CommandError, match=expected) as failed:
        _check()
    assert "manage.py search_rebuild" in str(failed.value)

    out = StringIO()
    call_command("search_rebuild", stdout=out)
    assert f"Đã sửa ({expected})" in out.getvalue()
    assert "khớp" in _check()
    assert _titles(client, "o ga") == ["Ổ gà sâu"]
    assert _titles(client, "den duong") == []
    if postgresql:
        assert _titles(client, "nap cong") == ["Nắp cống bị mất"]
        assert _titles(client, "rac thai") == []
        after = _row_versions()
        assert after[kept.pk] == before[kept.pk]  # right already: not written
        assert after[edited.pk] != before[edited.pk]
        assert hidden.pk not in after
