"""The Redis cache backend keeps one client per connection pool, and is Django's
cache in every other respect (on the real Redis)."""

from __future__ import annotations

import os
from typing import Any

import pytest
import redis

from portal.lib.rediscache import RedisCache
from tests import tools

pytestmark = pytest.mark.redis


@pytest.fixture
def cache() -> Any:
    raw = redis.Redis.from_url(tools.REDIS_URL)
    raw.flushdb()
    yield RedisCache(tools.REDIS_URL, {"KEY_PREFIX": "portal-test"})
    raw.flushdb()


def test_every_call_shares_one_client_and_its_pool(cache: Any) -> None:
    first = cache._cache.get_client(write=True)
    assert cache._cache.get_client() is first
    assert cache._cache.get_client("any key", write=True) is first
    assert first.connection_pool is cache._cache._get_connection_pool(True)
    cache.set("a", 1)
    cache.get_many(["a", "b"])
    assert cache._cache.get_client() is first
    assert first.connection_pool._created_connections == 1  # one connection reused


def test_the_client_keeps_its_connection_between_commands(cache: Any) -> None:
    client = cache._cache.get_client()
    cache.set("a", 1)
    held = client.connection
    assert held is not None and held.is_connected
    cache.get_many(["a", "b"])
    cache.incr("a")
    assert client.connection is held
    # Nothing borrowed from the pool for a plain command: it is all held.
    assert client.connection_pool._in_use_connections == {held}
    assert client.connection_pool._created_connections == 1


def test_a_forked_process_makes_its_own_client_and_connection(cache: Any) -> None:
    cache.set("before", 1)
    parent = cache._cache.get_client()
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # the child: report what it uses, then leave at once
        try:
            mine = cache._cache.get_client()
            cache.set("child", 2)
            answer = b"%d %d %d" % (
                mine is not parent,
                mine.connection is not parent.connection,
                cache.get("before") == 1,
            )
        except BaseException:  # any failure is the answer
            answer = b"error"
        os.write(writing, answer)
        os._exit(0)
    os.close(writing)
    _pid, status = os.waitpid(child, 0)
    answer = os.read(reading, 100)
    os.close(reading)
    assert os.waitstatus_to_exitcode(status) == 0
    assert answer == b"1 1 1"
    # The parent's client and connection are untouched by the child's.
    assert cache._cache.get_client() is parent
    assert cache.get("child") == 2


def test_it_is_django_s_cache_otherwise(cache: Any) -> None:
    cache.set("title", "Đèn đường hỏng", timeout=60)
    assert cache.get("title") == "Đèn đường hỏng"
    assert cache.add("title", "other") is False
    assert cache.add("n", 1) is True
    assert cache.incr("n") == 2
    cache.set_many({"x": b"\x00bytes", "y": (1, "hai")})
    assert cache.get_many(["x", "y", "z"]) == {"x": b"\x00bytes", "y": (1, "hai")}
    assert cache.delete("x") is True and cache.get("x") is None
    # Keys carry the prefix and version as with Django's own backend.
    assert redis.Redis.from_url(tools.REDIS_URL).exists(":1:title") == 0
    assert redis.Redis.from_url(tools.REDIS_URL).exists("portal-test:1:title") == 1


def test_a_second_cache_has_its_own_client(cache: Any) -> None:
    other = RedisCache(tools.REDIS_URL, {"KEY_PREFIX": "portal-test"})
    assert other._cache.get_client() is not cache._cache.get_client()
    other.set("shared", 5)
    assert cache.get("shared") == 5
