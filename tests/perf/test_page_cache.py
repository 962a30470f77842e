"""The short-lived full-page cache of `/` and `/thong-ke/` for anonymous visitors."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from feedback.models import Status
from portal.lib.pagecache import KEY_PREFIX, cache_anonymous_page
from stats import counters
from stats.models import Announcement
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36"
PAGES = ["/", "/thong-ke/"]


def stored_pages() -> list[str]:
    # The tests' cache is local memory; its keys are "<prefix>:<version>:<key>".
    return [k for k in cache._cache if KEY_PREFIX in k]  # type: ignore[attr-defined]


def get(client: Client, url: str) -> Any:
    response = client.get(url, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("url", PAGES)
def test_second_anonymous_visit_is_served_from_the_cache_without_sql(
    client: Client, url: str, django_assert_num_queries: Any
) -> None:
    first = get(client, url)
    assert first["X-Page-Cache"] == "miss"
    # A different visitor, no cookies at all: the whole middleware chain runs
    # (visitor counter, CSP, locale) but not one SQL query.
    with django_assert_num_queries(0):
        second = get(Client(), url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "Content-Security-Policy" in second
    assert "script-src 'self'" in second["Content-Security-Policy"]
    assert second["Content-Language"] == "vi"
    assert "no-store" in second["Cache-Control"]
    assert "private" in second["Cache-Control"]


@pytest.mark.parametrize("url", PAGES)
def test_cached_anonymous_page_holds_no_csrf_token(client: Client, url: str) -> None:
    get(client, url)
    response = get(Client(), url)
    assert response["X-Page-Cache"] == "hit"
    page = response.content.decode()
    assert "csrfmiddlewaretoken" not in page
    assert settings.CSRF_COOKIE_NAME not in response.cookies
    # The language switch is now plain links.
    assert 'href="/ngon-ngu/en/?next=' in page
    assert 'hreflang="vi" aria-current="true"' in page


def test_logged_in_users_never_get_or_store_a_cached_page(
    client: Client, citizen: Any
) -> None:
    get(Client(), "/")  # an anonymous visitor fills the cache
    client.force_login(citizen)
    for _ in range(2):
        response = get(client, "/")
        assert "X-Page-Cache" not in response
        assert citizen.get_full_name() in response.content.decode()
    cache.clear()
    get(client, "/")  # logged in, cache empty: nothing may be stored
    assert not stored_pages()
    anonymous = get(Client(), "/")
    assert anonymous["X-Page-Cache"] == "miss"
    assert citizen.get_full_name() not in anonymous.content.decode()


def _with_message(text: str) -> Client:
    storage = CookieStorage(HttpRequest())
    client = Client()
    client.cookies[storage.cookie_name] = storage._encode(
        [Message(constants.SUCCESS, text)]
    )
    return client


def test_a_page_with_a_pending_message_is_neither_served_nor_stored() -> None:
    text = "Đã gửi phản ánh thành công."
    first = get(_with_message(text), "/")  # cache empty: renders, must not store
    assert text in first.content.decode()
    assert "X-Page-Cache" not in first
    fresh = get(Client(), "/")
    assert fresh["X-Page-Cache"] == "miss"
    assert text not in fresh.content.decode()
    # The cache now holds a page, yet the visitor with a message sees it.
    again = get(_with_message(text), "/")
    assert "X-Page-Cache" not in again
    assert text in again.content.decode()
    assert get(Client(), "/")["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("url", PAGES)
def test_languages_do_not_mix(url: str) -> None:
    get(Client(), url)
    assert get(Client(), url)["X-Page-Cache"] == "hit"
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = get(english, url)
    assert response["X-Page-Cache"] == "miss"
    assert '<html lang="en">' in response.content.decode()
    assert get(english, url)["X-Page-Cache"] == "hit"
    vietnamese = get(Client(), url)
    assert vietnamese["X-Page-Cache"] == "hit"
    assert '<html lang="vi">' in vietnamese.content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_a_status_change_drops_the_cached_pages(
    url: str, django_capture_on_commit_callbacks: Any
) -> None:
    report = ReportFactory()
    get(Client(), url)
    assert get(Client(), url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        report.transition(Status.ACCEPTED, by=None)
    assert get(Client(), url)["X-Page-Cache"] == "miss"


def test_an_announcement_edit_drops_the_cached_home_page() -> None:
    item = Announcement.objects.create(
        title="Lịch tiếp dân tháng Mười", body="Nội dung.", is_published=True
    )
    assert "Lịch tiếp dân tháng Mười" in get(Client(), "/").content.decode()
    assert get(Client(), "/")["X-Page-Cache"] == "hit"
    item.title = "Lịch tiếp dân tháng Mười Một"
    item.save()
    response = get(Client(), "/")
    assert response["X-Page-Cache"] == "miss"
    assert "Lịch tiếp dân tháng Mười Một" in response.content.decode()
    item.delete()
    assert "Lịch tiếp dân" not in get(Client(), "/").content.decode()


def test_zero_seconds_disables_the_cache(settings: Any) -> None:
    settings.PAGE_CACHE_SECONDS = 0
    get(Client(), "/")
    with CaptureQueriesContext(connection) as queries:
        response = get(Client(), "/")
    assert "X-Page-Cache" not in response
    assert len(queries) > 0  # rendered again
    assert not stored_pages()


def test_visitor_counter_counts_cached_hits() -> None:
    first = get(Client(), "/")
    assert "pa_visitor" in first.cookies
    assert counters.default_counter.counts().total == 1
    second = get(Client(), "/")  # another person, served from the cache
    assert second["X-Page-Cache"] == "hit"
    assert "pa_visitor" in second.cookies
    assert counters.default_counter.counts().total == 2
    assert counters.default_counter.counts().online == 2


def test_a_page_that_asks_for_a_csrf_token_is_never_stored() -> None:
    @cache_anonymous_page(["test:version"])
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(f"<input value='{get_token(request)}'>")

    request = RequestFactory().get("/form/")
    request.user = AnonymousUser()
    view(request)
    assert not stored_pages()


def test_language_link_sets_the_cookie_and_goes_back(client: Client) -> None:
    response = client.get("/ngon-ngu/en/?next=/thong-ke/%3Fcategory%3Dx")
    assert response.status_code == 302
    assert response["Location"] == "/thong-ke/?category=x"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get("/thong-ke/").content.decode()
    assert client.get("/ngon-ngu/fr/?next=/").status_code == 404
    assert client.get("/ngon-ngu/vi/")["Location"] == "/"


def test_a_page_past_its_time_is_served_while_one_request_renders_it_anew() -> None:
    import time

    renders: list[int] = []

    @cache_anonymous_page(["test:version"])
    def view(request: HttpRequest) -> HttpResponse:
        renders.append(1)
        return HttpResponse(f"render {len(renders)}")

    def ask() -> HttpResponse:
        request = RequestFactory().get("/slow/")
        request.user = AnonymousUser()
        return view(request)

    assert ask().content == b"render 1"
    assert ask().content == b"render 1"  # fresh: served
    (key,) = [k.split(":", 2)[2] for k in stored_pages()]
    content, content_type, version, _fresh_until = cache.get(key)
    cache.set(key, (content, content_type, version, time.time() - 1), 60)
    cache.set(f"{key}:rendering", 1, 30)  # another request is rendering it
    stale = ask()
    assert stale.content == b"render 1" and stale["X-Page-Cache"] == "hit"
    cache.delete(f"{key}:rendering")  # nobody is: this request renders
    fresh = ask()
    assert fresh.content == b"render 2" and fresh["X-Page-Cache"] == "miss"
    assert ask().content == b"render 2"
    # A new version is never answered with the old page, rendering or not.
    cache.set(f"{key}:rendering", 1, 30)
    cache.set("test:version", 2, None)
    assert ask().content == b"render 3"
