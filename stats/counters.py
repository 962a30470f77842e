"""Visitor counters kept in Django's cache, persisted to the database once a minute.

A *visit* is a browser (identified by a random cookie) that has not been seen for
30 minutes. *Online* is the number of distinct browsers seen in the last 5 minutes.

Nothing here writes to the database on an ordinary request. New visits are added
to a ``pending`` number in the cache; the first request of each minute moves the
pending number into the single ``VisitCounter`` row with an atomic ``F()`` update
(``manage.py flush_counters`` does the same on demand). The total shown is always
``database total + pending``, so a restart loses at most the last minute's counts
of a local-memory cache (none with Redis) and never resets the total.

Online is exact without a set type in the cache: each browser is counted in the
one minute bucket of its latest request, and moves to the current bucket (decrement
the old, increment the new) at most once a minute.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import DEFAULT_CACHE_ALIAS, BaseCache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.db.models import F

from stats.models import VisitCounter

VISIT_GAP = 30 * 60
ONLINE_WINDOW_MINUTES = 5
COUNTER_NAME = "visits"
_PREFIX = "stats:counter:"
_VISITOR_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def valid_visitor_id(value: str | None) -> bool:
    return bool(value and _VISITOR_ID.match(value))


@dataclass(frozen=True)
class Counts:
    total: int
    online: int


class VisitorCounter:
    def __init__(
        self,
        cache: BaseCache | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._cache = cache
        self.clock = clock

    @property
    def cache(self) -> BaseCache:
        """The cache given, or this thread's default cache itself: not
        ``django.core.cache.cache``, a proxy to it that ``isinstance`` does not
        see through, which would never take the Redis path of ``hit``."""
        return self._cache if self._cache is not None else caches[DEFAULT_CACHE_ALIAS]

    # Keys ---------------------------------------------------------------
    @staticmethod
    def _seen_key(visitor_id: str) -> str:
        return f"{_PREFIX}seen:{visitor_id}"

    @staticmethod
    def _bucket_key(minute: int) -> str:
        return f"{_PREFIX}online:{minute}"

    _PENDING = f"{_PREFIX}pending"
    _DB_TOTAL = f"{_PREFIX}db-total"

    def _flush_lock_key(self, minute: int) -> str:
        return f"{_PREFIX}flushed:{minute}"

    # Writes -------------------------------------------------------------
    def _incr(self, key: str, delta: int, timeout: int | None) -> None:
        # incr refuses a missing key on every backend: create it first (add is
        # atomic, so two servers cannot both create it).
        self.cache.add(key, 0, timeout=timeout)
        try:
            self.cache.incr(key, delta)
        except ValueError:  # expired between add and incr
            self.cache.add(key, delta, timeout=timeout)

    def hit(self, visitor_id: str, *, new_cookie: bool = False) -> bool:
        """Record a request from ``visitor_id``; True when it starts a new visit.

        ``new_cookie``: the id was just made, so it cannot have been seen before.
        """
        if isinstance(self.cache, RedisCache):
            return self._hit_redis(visitor_id, new_cookie=new_cookie)
        now = self.clock()
        minute = int(now // 60)
        key = self._seen_key(visitor_id)
        last = self.cache.get(key)
        new_visit = last is None or now - float(last) >= VISIT_GAP
        last_minute = None if last is None else int(float(last) // 60)
        if new_visit or last_minute != minute:
            # Timeout a little longer than the gap so a clock a few seconds off
            # between servers does not split one visit in two.
            self.cache.set(key, now, timeout=VISIT_GAP + 60)
            bucket_timeout = (ONLINE_WINDOW_MINUTES + 2) * 60
            if last_minute is not None and minute - last_minute < ONLINE_WINDOW_MINUTES:
                self._incr(self._bucket_key(last_minute), -1, bucket_timeout)
            self._incr(self._bucket_key(minute), 1, bucket_timeout)
        if new_visit:
            self._incr(self._PENDING, 1, None)
        self.maybe_flush(minute)
        return new_visit

    def _hit_redis(self, visitor_id: str, *, new_cookie: bool) -> bool:
        """``hit`` in one round trip to Redis (two for a returning browser): the
        same keys and values as the generic path, its writes pipelined."""
        backend = self.cache
        client = backend._cache.get_client(write=True)  # type: ignore[attr-defined]

        def key(name: str) -> str:
            return str(backend.make_and_validate_key(name))

        now = self.clock()
        minute = int(now // 60)
        seen = key(self._seen_key(visitor_id))
        last = None if new_cookie else backend.get(self._seen_key(visitor_id))
        new_visit = last is None or now - float(last) >= VISIT_GAP
        last_minute = None if last is None else int(float(last) // 60)
        pipe = client.pipeline(transaction=False)
        if new_visit or last_minute != minute:
            serializer = backend._cache._serializer  # type: ignore[attr-defined]
            pipe.set(seen, serializer.dumps(now), ex=VISIT_GAP + 60)
            bucket_timeout = (ONLINE_WINDOW_MINUTES + 2) * 60
            if last_minute is not None and minute - last_minute < ONLINE_WINDOW_MINUTES:
                old = key(self._bucket_key(last_minute))
                pipe.incrby(old, -1)
                pipe.expire(old, bucket_timeout)
            bucket = key(self._bucket_key(minute))
            pipe.incrby(bucket, 1)
            pipe.expire(bucket, bucket_timeout)
        if new_visit:
            pipe.incrby(key(self._PENDING), 1)
        pipe.set(key(self._flush_lock_key(minute)), 1, nx=True, ex=120)
        results = pipe.execute()
        if results and results[-1]:  # this request took the minute's flush
            self.flush()
        return new_visit

    def maybe_flush(self, minute: int | None = None) -> None:
        """Persist once a minute: only the request that first crosses it flushes."""
        if minute is None:
            minute = int(self.clock() // 60)
        if self.cache.add(self._flush_lock_key(minute), 1, timeout=120):
            self.flush()

    def flush(self) -> int:
        """Move the pending visits into the database row; returns how many moved.

        Safe against concurrent flushers: each one adds to the row exactly what it
        takes off ``pending``, so ``row + pending`` stays the true total.
        """
        pending = int(self.cache.get(self._PENDING) or 0)
        if pending == 0:
            return 0
        with transaction.atomic():
            updated = VisitCounter.objects.filter(name=COUNTER_NAME).update(
                total=F("total") + pending
            )
            if not updated:
                VisitCounter.objects.create(name=COUNTER_NAME, total=max(pending, 0))
        # When the total is not cached, the next reader loads it from the row.
        with contextlib.suppress(ValueError):
            self.cache.incr(self._DB_TOTAL, pending)
        self.cache.decr(self._PENDING, pending)
        return pending

    # Reads --------------------------------------------------------------
    def counts(self) -> Counts:
        """Total visits and visitors online: one cache round trip, and one query
        only when the persisted total is not cached yet (after a restart)."""
        minute = int(self.clock() // 60)
        buckets = [self._bucket_key(minute - i) for i in range(ONLINE_WINDOW_MINUTES)]
        values = self.cache.get_many([self._DB_TOTAL, self._PENDING, *buckets])
        db_total = values.get(self._DB_TOTAL)
        if db_total is None:
            db_total = (
                VisitCounter.objects.filter(name=COUNTER_NAME)
                .values_list("total", flat=True)
                .first()
            ) or 0
            # Short-lived, so a rare race with a concurrent flush heals itself.
            self.cache.add(self._DB_TOTAL, db_total, timeout=600)
        pending = int(values.get(self._PENDING) or 0)
        online = sum(max(int(values.get(key) or 0), 0) for key in buckets)
        return Counts(total=max(int(db_total) + pending, 0), online=online)


default_counter = VisitorCounter()
