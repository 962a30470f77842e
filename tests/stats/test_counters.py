"""Visitor counters: visits, online, persistence, bots, and sharing through Redis."""

from __future__ import annotations

import io
from typing import Any

import pytest
import redis
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client

from portal.lib.rediscache import RedisCache
from stats import counters
from stats.counters import VisitorCounter
from stats.middleware import VISITOR_COOKIE
from stats.models import VisitCounter
from tests import tools

START = 1_795_000_000.0  # a fixed instant, so minute boundaries are predictable
REDIS_TEST_URL = tools.REDIS_URL
BROWSER = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131 Mobile"


class FakeClock:
    """The counters' time source, moved by hand."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += minutes * 60


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def counter(clock: FakeClock) -> VisitorCounter:
    return VisitorCounter(cache=caches["default"], clock=clock)


def visitor(n: int) -> str:
    return f"visitor-{n:02d}-abcdefghijkl"


@pytest.mark.django_db
def test_a_visit_is_counted_once_per_session_per_30_minutes(
    counter: VisitorCounter, clock: FakeClock
) -> None:
    assert counter.hit(visitor(1)) is True
    for _ in range(3):  # keeps coming back within 30 minutes: the same visit
        clock.advance(20)
        assert counter.hit(visitor(1)) is False
    assert counter.counts().total == 1

    clock.advance(31)  # silent for more than 30 minutes: a new visit
    assert counter.hit(visitor(1)) is True
    assert counter.counts().total == 2


@pytest.mark.django_db
def test_each_browser_is_its_own_visit(counter: VisitorCounter) -> None:
    for n in range(4):
        counter.hit(visitor(n))
        counter.hit(visitor(n))
    assert counter.counts().total == 4


@pytest.mark.django_db
def test_online_counts_distinct_visitors_of_the_last_five_minutes(
    counter: VisitorCounter, clock: FakeClock
) -> None:
    counter.hit(visitor(1))
    counter.hit(visitor(2))
    assert counter.counts().online == 2

    clock.advance(3)
    counter.hit(visitor(1))  # seen again: still one person, not two
    counter.hit(visitor(1))
    assert counter.counts().online == 2

    clock.advance(3)  # visitor 2 was last seen 6 minutes ago
    assert counter.counts().online == 1

    clock.advance(5)  # visitor 1 was last seen 5 minutes ago
    assert counter.counts().online == 0
    assert counter.counts().total == 2


@pytest.mark.django_db
def test_ordinary_requests_do_not_write_to_the_database(
    counter: VisitorCounter,
    clock: FakeClock,
    django_assert_num_queries: Any,
) -> None:
    counter.hit(visitor(1))  # the first request of the minute flushes once
    assert VisitCounter.objects.get().total == 1
    with django_assert_num_queries(0):
        for n in range(2, 12):
            counter.hit(visitor(n))
    assert VisitCounter.objects.get().total == 1
    assert counter.counts().total == 11

    clock.advance(1)  # the request that crosses the minute persists the rest
    counter.hit(visitor(50))
    assert VisitCounter.objects.get().total == 12


@pytest.mark.django_db
def test_totals_survive_a_restart(
    counter: VisitorCounter, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    VisitCounter.objects.create(name="visits", total=183_000)
    for n in range(5):
        counter.hit(visitor(n))
    # flush_counters works on the default counter.
    monkeypatch.setattr(counters, "default_counter", counter)
    out = io.StringIO()
    call_command("flush_counters", stdout=out)
    assert "tổng: 183005" in out.getvalue()
    assert VisitCounter.objects.get().total == 183_005

    caches["default"].clear()  # the restart: a brand-new, empty cache
    fresh = VisitorCounter(cache=caches["default"], clock=clock)
    assert fresh.counts().total == 183_005
    fresh.hit(visitor(99))
    assert fresh.counts().total == 183_006


@pytest.fixture
def redis_caches() -> Any:
    """Two independent cache clients on the real Redis, like two servers."""
    raw = redis.Redis.from_url(REDIS_TEST_URL)
    raw.flushdb()
    first = RedisCache(REDIS_TEST_URL, {"KEY_PREFIX": "portal-test"})
    second = RedisCache(REDIS_TEST_URL, {"KEY_PREFIX": "portal-test"})
    assert first._cache is not second._cache  # separate clients and connections
    yield first, second
    raw.flushdb()


@pytest.mark.redis
@pytest.mark.django_db
def test_two_app_servers_sharing_redis_see_one_count(
    redis_caches: Any, clock: FakeClock
) -> None:
    server_a = VisitorCounter(cache=redis_caches[0], clock=clock)
    server_b = VisitorCounter(cache=redis_caches[1], clock=clock)

    # One browser whose requests land on both servers is one visit, one online.
    server_a.hit(visitor(1))
    server_b.hit(visitor(1))
    clock.advance(2)
    server_b.hit(visitor(1))
    # Another browser on server B only.
    server_b.hit(visitor(2))

    assert server_a.counts().total == 2
    assert server_b.counts().total == 2
    assert server_a.counts().online == 2

    clock.advance(1)
    server_a.hit(visitor(3))  # crosses a minute: server A persists
    assert VisitCounter.objects.get().total == 3
    assert server_b.counts().total == 3


@pytest.mark.django_db
def test_middleware_counts_people_not_bots_static_or_admin(
    client: Client, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        counters,
        "default_counter",
        VisitorCounter(cache=caches["default"], clock=clock),
    )
    response = client.get("/", HTTP_USER_AGENT=BROWSER)
    cookie = response.cookies["pa_visitor"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert len(cookie.value) >= 16
    client.get("/thong-bao/", HTTP_USER_AGENT=BROWSER)  # same browser, same visit

    bot = Client()
    bot.get("/", HTTP_USER_AGENT="Mozilla/5.0 (compatible; Googlebot/2.1)")
    bot.get("/", HTTP_USER_AGENT="curl/8.5.0")
    Client().get("/static/css/portal.css", HTTP_USER_AGENT=BROWSER)
    Client().get("/admin/login/", HTTP_USER_AGENT=BROWSER)
    assert counters.default_counter.counts().total == 1

    Client().get("/huong-dan/", HTTP_USER_AGENT=BROWSER)  # a second person
    page = client.get("/", HTTP_USER_AGENT=BROWSER).content.decode()
    assert "Thống kê: <strong" in page
    assert counters.default_counter.counts().total == 2
    assert counters.default_counter.counts().online == 2


@pytest.mark.django_db
def test_footer_shows_counts_in_vietnamese_format(client: Client) -> None:
    VisitCounter.objects.create(name="visits", total=183_765)
    page = client.get("/huong-dan/", HTTP_USER_AGENT=BROWSER).content.decode()
    assert '<strong id="visits-total">183.766</strong>' in page
    assert '<strong id="visits-online">1</strong>' in page


@pytest.mark.django_db
def test_footer_counters_cost_no_query_once_cached(
    client: Client, django_assert_num_queries: Any
) -> None:
    client.get("/huong-dan/", HTTP_USER_AGENT=BROWSER)
    with django_assert_num_queries(1):  # the guide list itself; footer from cache
        client.get("/huong-dan/", HTTP_USER_AGENT=BROWSER)


@pytest.mark.redis
@pytest.mark.django_db
def test_the_pipelined_redis_path_counts_like_the_generic_one(
    redis_caches: Any,
) -> None:
    """Redis takes the hits in one round trip; any other cache key by key. Both
    must give the same visits and online counts for the same requests."""
    import random

    from django.core.cache.backends.locmem import LocMemCache

    rng = random.Random(7)
    clock = FakeClock()
    on_redis = VisitorCounter(cache=redis_caches[0], clock=clock)
    generic = VisitorCounter(cache=LocMemCache("counters-compare", {}), clock=clock)
    known: set[str] = set()
    visits = 0
    for _ in range(300):
        who = visitor(rng.randrange(12))
        fresh = who not in known
        known.add(who)
        new_visit = on_redis.hit(who, new_cookie=fresh)
        assert new_visit == generic.hit(who)
        visits += new_visit
        clock.advance(rng.choice([0, 0, 0.2, 1, 3, 40]))
        assert on_redis.counts().online == generic.counts().online
    assert 12 < visits < 300  # returning and new visits both happened


@pytest.mark.redis
@pytest.mark.django_db
def test_every_page_counts_its_visitor_in_one_round_trip_on_redis(
    settings: Any, redis_caches: Any
) -> None:
    """The default counter (no cache given, as the middleware uses it) finds the
    Redis cache behind Django's proxy and takes the pipelined path: no read of
    the visitor's key for a new cookie, no EXISTS check before each INCRBY
    (the key-by-key path, Django's ``incr``, makes both)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.lib.rediscache.RedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": "portal-test",
        }
    }
    assert isinstance(counters.VisitorCounter().cache, RedisCache)
    raw = redis.Redis.from_url(REDIS_TEST_URL)
    Client().get("/huong-dan/", HTTP_USER_AGENT=BROWSER)  # warm: guides cached
    raw.config_resetstat()
    response = Client().get("/huong-dan/", HTTP_USER_AGENT=BROWSER)
    assert VISITOR_COOKIE in response.cookies  # a new visitor
    calls = {
        name.removeprefix("cmdstat_"): stat["calls"]
        for name, stat in raw.info("commandstats").items()
    }
    assert calls.get("incrby", 0) >= 2  # the online bucket and pending visits
    assert calls.get("exists", 0) == 0  # the key-by-key path checks each incr
