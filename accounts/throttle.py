"""Throttles on failed logins, beside django-axes' lockout.

axes locks an account *from one client address* after AXES_FAILURE_LIMIT
failures (so a guesser cannot lock the owner out from elsewhere). Two more
counters, in the shared cache, catch guessing spread over several addresses or
several accounts:

- per account, across addresses: after ``LOGIN_CAPTCHA_AFTER`` failures in
  ``LOGIN_THROTTLE_WINDOW`` seconds the login form asks for a captcha for that
  account (not a lockout: the owner still gets in with the captcha);
- per address, across accounts: failures on ``LOGIN_ADDRESS_ACCOUNTS`` different
  accounts make that address answer the captcha too, and more than
  ``LOGIN_ADDRESS_FAILURES`` failures in the window are refused with 429.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from accounts.backends import axes_username
from portal.lib import ratelimit

ACCOUNT_SCOPE = "login-fail-account"
ADDRESS_SCOPE = "login-fail-address"
ADDRESS_ACCOUNTS_SCOPE = "login-fail-address-accounts"


def _window() -> int:
    return int(settings.LOGIN_THROTTLE_WINDOW)


def _rate(count: int) -> tuple[int, int]:
    return (count, _window())


def record_failure(request: HttpRequest | None, credentials: dict[str, Any]) -> None:
    if request is None:
        return
    account = axes_username(request, credentials)
    ip = ratelimit.client_ip(request)
    ratelimit.hit(ACCOUNT_SCOPE, account, rate=_rate(settings.LOGIN_CAPTCHA_AFTER))
    ratelimit.hit(ADDRESS_SCOPE, ip, rate=_rate(settings.LOGIN_ADDRESS_FAILURES))
    # Distinct accounts per address: count an account once per window.
    window = int(time.time() // _window())
    pair = hashlib.sha256(f"{ip}\0{account}".encode()).hexdigest()[:32]
    if cache.add(f"login-pair:{pair}:{window}", 1, timeout=_window() + 1):
        ratelimit.hit(
            ADDRESS_ACCOUNTS_SCOPE, ip, rate=_rate(settings.LOGIN_ADDRESS_ACCOUNTS)
        )


def captcha_required(request: HttpRequest, username: str) -> bool:
    """Whether a login for ``username`` from this address must pass the captcha."""
    ip = ratelimit.client_ip(request)
    if ratelimit.exceeded(
        ADDRESS_ACCOUNTS_SCOPE, ip, rate=_rate(settings.LOGIN_ADDRESS_ACCOUNTS)
    ):
        return True
    if not username:
        return False
    account = axes_username(request, {"username": username})
    return ratelimit.exceeded(
        ACCOUNT_SCOPE, account, rate=_rate(settings.LOGIN_CAPTCHA_AFTER)
    )


def address_blocked(request: HttpRequest) -> bool:
    return ratelimit.exceeded(
        ADDRESS_SCOPE,
        ratelimit.client_ip(request),
        rate=_rate(settings.LOGIN_ADDRESS_FAILURES),
    )
