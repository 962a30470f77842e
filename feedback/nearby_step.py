"""The report form's nearby step, for browsers without JavaScript.

With JavaScript, static/js/place.js lists the public reports near the pin while
the citizen fills the form. Without it, a valid submission with a point and such
reports nearby is shown a step first: the reports, each with "Theo dõi phản ánh
này", and "Vẫn gửi phản ánh mới", which files the same submission (its uploads
wait in feedback/held.py).

The submission passed the captcha and counted towards the rate limit already;
a one-time token, bound to the browser session, says so. It files at most one
report: the first request that claims it files, a second one at the same time
(a double click) waits for that one and is sent to the same report.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import QueryDict

from feedback.nearby import Nearby, public_nearby

# How long a double submit waits for the first request to file the report.
WAIT_SECONDS = 10.0
POLL_SECONDS = 0.1
BUSY, FAILED = "busy", "failed"


@dataclass(frozen=True)
class Claim:
    """What a submission's token allows it."""

    verified: bool = False  # the captcha and rate limit were passed: file it
    filed_code: str = ""  # an earlier request with this token filed this report


def _token_key(session_key: str, token: str) -> str:
    return f"report-step:{session_key}:{token}"


def _claim_key(session_key: str, token: str) -> str:
    return f"report-step-claim:{session_key}:{token}"


def issue(session_key: str) -> str:
    """A token for a submission that passed the captcha and the rate limit."""
    token = secrets.token_urlsafe(16)
    cache.set(_token_key(session_key, token), "1", settings.HELD_UPLOAD_SECONDS)
    return token


def claim(session_key: str, token: str) -> Claim:
    """Take the token for this request, or learn what became of it."""
    if not token or cache.get(_token_key(session_key, token)) is None:
        return Claim()
    key = _claim_key(session_key, token)
    # add is atomic (Redis SET NX): one request wins, however many arrive.
    if cache.add(key, BUSY, settings.HELD_UPLOAD_SECONDS):
        return Claim(verified=True)
    deadline = time.monotonic() + WAIT_SECONDS
    state = cache.get(key)
    while state == BUSY and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        state = cache.get(key)
    if state in (None, BUSY, FAILED):
        return Claim()
    return Claim(filed_code=str(state))


def finish(session_key: str, token: str, code: str) -> None:
    """Record what the claiming request did: the report's code, or "" when the
    form had errors (the token is spent either way)."""
    cache.set(
        _claim_key(session_key, token), code or FAILED, settings.HELD_UPLOAD_SECONDS
    )


def not_seen(post: QueryDict, cleaned: Mapping[str, Any]) -> list[Nearby]:
    """Public reports near the submitted point, same category, unless the page's
    script (static/js/place.js) listed them for this very point already: it
    sends the point it checked as ``nearby_checked``."""
    lat, long = cleaned.get("latitude"), cleaned.get("longitude")
    if lat is None or long is None:
        return []
    names = ("latitude", "longitude", "category")
    point = "|".join(post.get(name, "") for name in names)
    if post.get("nearby_checked") == point:
        return []
    category = cleaned.get("category")
    return public_nearby(
        lat=float(lat),
        long=float(long),
        category_id=category.pk if category else None,
        limit=10,
    )


# Not carried to "Vẫn gửi phản ánh mới": the captcha (passed), the CSRF token
# (the step page has its own), the step's own fields; drop_held is done already.
NOT_CARRIED = frozenset(
    {
        "csrfmiddlewaretoken",
        "captcha_0",
        "captcha_1",
        "drop_held",
        "nearby_step",
        "nearby_checked",
    }
)


def carried(post: QueryDict) -> list[tuple[str, str]]:
    """The submission's fields, as the step page's hidden inputs send them again."""
    return [
        (name, value)
        for name, values in post.lists()
        if name not in NOT_CARRIED
        for value in values
    ]
