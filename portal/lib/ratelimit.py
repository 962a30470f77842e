"""A fixed-window rate limiter on Django's cache, shared by every app server.

``cache.add`` then ``cache.incr`` is atomic on Redis and on the local-memory cache,
so concurrent requests cannot both slip under the limit.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def hit(scope: str, ident: str, *, rate: tuple[int, int], amount: int = 1) -> bool:
    """Count ``amount`` actions of ``ident`` in ``scope``; False once over ``rate``.

    ``rate`` is (count, seconds) as parsed by portal.lib.env.envrate; a count or
    period of 0 turns the limit off.
    """
    count, period = rate
    if count <= 0 or period <= 0:
        return True
    counter = key(scope, ident, period)
    cache.add(counter, 0, timeout=period + 1)
    try:
        used = cache.incr(counter, amount)
    except ValueError:  # expired between add and incr
        cache.add(counter, amount, timeout=period + 1)
        used = amount
    return used <= count


def exceeded(scope: str, ident: str, *, rate: tuple[int, int], more: int = 0) -> bool:
    """Whether ``ident`` already used up ``rate`` in this window (counts nothing),
    or would with ``more`` actions on top."""
    count, period = rate
    if count <= 0 or period <= 0:
        return False
    used = int(cache.get(key(scope, ident, period)) or 0)
    return used >= count if more <= 0 else used + more > count


def key(scope: str, ident: str, period: int) -> str:
    window = int(time.time() // period)
    # Hashed: cache keys may end up in logs, and an IP address is personal data.
    digest = hashlib.sha256(f"{scope}:{ident}".encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}:{window}"


def client_ip(request: HttpRequest) -> str:
    """The client's address: the one answer for rate limits, lockouts and logs.

    Each of the ``TRUSTED_PROXY_COUNT`` proxies in front of the app appends the
    address it saw to X-Forwarded-For, so the client is the entry that many places
    from the right; anything further left was written by the client and is ignored.
    A missing or malformed entry falls back to the connection's address. django-axes
    calls this too (``AXES_CLIENT_IP_CALLABLE``), so both always agree.
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            candidate = hops[-proxies]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                return remote
    return remote
