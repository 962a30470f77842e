"""The report page rendered once for every anonymous visitor (feedback.public_pages).

Whatever writes to the report or to what its page shows — save(), update(), raw
SQL — the next visitor sees it: the cached copy is checked against a fingerprint
read from the database on every request.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from feedback.models import Attachment, Category, Report, Status
from tests.factories import ReportFactory
from tests.feedback.files import jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def check_every_request(settings: Any) -> None:
    """Read the fingerprint on every request here; the window has its own test."""
    settings.REPORT_PAGE_RECHECK_SECONDS = 0


BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36"


# Report pages are shared only on PostgreSQL, which can fingerprint them; on
# SQLite (`make run`) every request renders, and the facts hold all the same.
SHARED = connection.vendor == "postgresql"


def expect(response: Any, state: str) -> None:
    assert response.get("X-Page-Cache") == (state if SHARED else None)


def visit(url: str, client: Client | None = None, status: int = 200) -> Any:
    response = (client or Client()).get(url, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == status
    return response


def add_photo(report: Report) -> Attachment:
    """A citizen's photo, not public until an official says so."""
    return Attachment.objects.create(
        report=report,
        file=jpeg(),
        original_name="anh.jpg",
        content_type="image/jpeg",
        size=10,
    )


def url_of(report: Report) -> str:
    return f"/phan-anh/{report.code}/"


def tokens(response: Any) -> set[str]:
    return set(
        re.findall(
            r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()
        )
    )


def test_second_visitor_gets_the_stored_page_with_one_query() -> None:
    report = ReportFactory(published=True, answer="Đã vá xong ổ gà.")
    first = visit(url_of(report))
    expect(first, "miss")
    with CaptureQueriesContext(connection) as queries:
        second = visit(url_of(report))
    expect(second, "hit")
    if SHARED:
        assert len(queries) == 1  # the fingerprint, nothing else
    assert "Đã vá xong ổ gà." in second.content.decode()
    # A public report page may be kept by the browser, as before.
    assert "no-store" not in second.get("Cache-Control", "")


def test_each_visitor_gets_their_own_working_csrf_token() -> None:
    report = ReportFactory(status=Status.IN_PROGRESS)
    visit(url_of(report))
    follower = Client(enforce_csrf_checks=True)
    page = visit(url_of(report), follower)
    expect(page, "hit")
    mine = tokens(page)
    assert len(mine) == 1  # the same token in every form of the page
    other = tokens(visit(url_of(report)))
    assert mine != other
    assert "pagecache" not in page.content.decode()
    posted = follower.post(
        f"/phan-anh/{report.code}/theo-doi/",
        {"email": "ban@example.vn", "csrfmiddlewaretoken": mine.pop()},
        HTTP_USER_AGENT=BROWSER,
    )
    assert posted.status_code in (200, 302)  # not 403: the token was good


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda r: Report.objects.filter(pk=r.pk).update(title="Tiêu đề đã sửa"),
            id="report-update",
        ),
        pytest.param(
            lambda r: Category.objects.filter(pk=r.category_id).update(
                name="Tiêu đề đã sửa"
            ),
            id="category-renamed",
        ),
        pytest.param(
            lambda r: connection.cursor().execute(
                "UPDATE feedback_report SET title = %s WHERE id = %s",
                ["Tiêu đề đã sửa", r.pk],
            ),
            id="raw-sql",
        ),
    ],
)
def test_writes_that_bypass_save_show_on_the_next_visit(change: Any) -> None:
    report = ReportFactory(status=Status.IN_PROGRESS)
    visit(url_of(report))
    expect(visit(url_of(report)), "hit")
    change(report)
    fresh = visit(url_of(report))
    expect(fresh, "miss")
    assert "Tiêu đề đã sửa" in fresh.content.decode()


def test_a_photo_made_public_by_update_shows_on_the_next_visit() -> None:
    report = ReportFactory(status=Status.IN_PROGRESS)
    attachment = add_photo(report)
    visit(url_of(report))
    before = visit(url_of(report))
    expect(before, "hit")
    assert "Ảnh hiện trường" not in before.content.decode()
    Attachment.objects.filter(pk=attachment.pk).update(is_public=True)
    after = visit(url_of(report))
    expect(after, "miss")
    assert "Ảnh hiện trường" in after.content.decode()


def test_the_reporter_in_the_filing_session_never_gets_the_shared_page(
    client: Client,
) -> None:
    report = ReportFactory(status=Status.IN_PROGRESS)
    visit(url_of(report))
    session = client.session
    session["feedback.submitted_codes"] = [report.code]
    session.save()
    own = visit(url_of(report), client)
    assert "X-Page-Cache" not in own
    assert "no-store" in own["Cache-Control"]
    assert report.full_name in own.content.decode() or "Dành cho người gửi" in (
        own.content.decode()
    )


def test_signed_in_visitors_never_get_the_shared_page(
    client: Client, citizen: Any
) -> None:
    report = ReportFactory(status=Status.IN_PROGRESS)
    visit(url_of(report))
    client.force_login(citizen)
    assert "X-Page-Cache" not in visit(url_of(report), client)


def test_an_address_over_the_miss_limit_is_not_served_from_the_cache(
    settings: Any,
) -> None:
    settings.CODE_MISS_LIMIT = 2
    report = ReportFactory(status=Status.IN_PROGRESS)
    visit(url_of(report))
    guesser = Client()
    for code in ("PA-QQQZ-XXXX", "PA-QQRZ-XXXX"):
        visit(f"/phan-anh/{code}/", guesser, status=404)
    visit(url_of(report), guesser, status=429)
    # Another address still gets the stored page.
    away = Client(REMOTE_ADDR="10.9.9.9").get(url_of(report), HTTP_USER_AGENT=BROWSER)
    expect(away, "hit")


def test_within_the_recheck_window_the_page_costs_no_query(settings: Any) -> None:
    """A page read by many visitors a second is checked against the database once
    a second: a write that bypasses save() shows at most that much later."""
    import time

    settings.REPORT_PAGE_RECHECK_SECONDS = 1
    report = ReportFactory(status=Status.IN_PROGRESS)
    visit(url_of(report))  # renders and stores
    with CaptureQueriesContext(connection) as queries:
        expect(visit(url_of(report)), "hit")
    if SHARED:
        assert len(queries) == 0
    Report.objects.filter(pk=report.pk).update(title="Tiêu đề đã sửa")
    stale = "Tiêu đề đã sửa" not in visit(url_of(report)).content.decode()
    assert stale == SHARED  # SQLite renders every time
    time.sleep(1.1)
    fresh = visit(url_of(report))
    expect(fresh, "miss")
    assert "Tiêu đề đã sửa" in fresh.content.decode()


def test_a_saved_change_shows_at_once_even_within_the_window(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.REPORT_PAGE_RECHECK_SECONDS = 60
    report = ReportFactory(status=Status.IN_PROGRESS)
    visit(url_of(report))
    expect(visit(url_of(report)), "hit")
    with django_capture_on_commit_callbacks(execute=True):
        report.title = "Tiêu đề đã sửa"
        report.save()
    assert "Tiêu đề đã sửa" in visit(url_of(report)).content.decode()
    attachment = add_photo(report)
    visit(url_of(report))
    with django_capture_on_commit_callbacks(execute=True):
        attachment.is_public = True
        attachment.save()
    assert "Ảnh hiện trường" in visit(url_of(report)).content.decode()


def test_the_public_list_drops_its_cached_pages_when_a_report_is_saved(
    django_capture_on_commit_callbacks: Any,
) -> None:
    report = ReportFactory(status=Status.IN_PROGRESS, title="Ổ gà đường Thống Nhất")
    visit("/phan-anh/")
    assert visit("/phan-anh/")["X-Page-Cache"] == "hit"
    report.title = "Ổ gà đã được báo lại"
    with django_capture_on_commit_callbacks(execute=True):
        report.save()
    fresh = visit("/phan-anh/")
    assert fresh["X-Page-Cache"] == "miss"
    assert "Ổ gà đã được báo lại" in fresh.content.decode()
