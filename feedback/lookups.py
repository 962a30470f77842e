"""The one limit on looking reports up by tracking code, wherever a code is accepted.

/tra-cuu/, /phan-anh/<code>/ (and its rating form) and Open311's
``requests/<id>`` and ``requests?service_request_id=a,b,...`` all go through
``look_up``, so guessing codes costs the same everywhere:

- every code asked for that finds no report is a miss; ``CODE_MISS_LIMIT`` misses
  per address in ``CODE_MISS_WINDOW`` seconds, then 429. A batch of N codes counts
  as N look-ups: it is refused up front if its unknown codes could take the
  address over the limit, and at most ``CODE_LOOKUP_BATCH_MAX`` codes are taken in
  one request.
- a code that finds a report is not a miss.
- Many citizens share one address behind a carrier NAT, so an address over the
  limit still opens the reports it has a right to know: codes filed or already
  opened in the same browser session, and a signed-in reporter's own reports.
  Any other code gets 429, found or not, so the limit cannot be probed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from feedback.models import Report
from portal.lib import ratelimit
from portal.lib.codes import normalize_code

MISS_SCOPE = "code-miss"
# Codes this browser session may open even when its address is over the limit.
SESSION_KNOWN = "feedback.known_codes"
SESSION_FILED = "feedback.submitted_codes"
KNOWN_KEEP = 50

R = TypeVar("R", bound=Report)


class LookupRefused(Exception):
    """A look-up refused before any report was read; ``status`` for the answer."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TooManyGuesses(LookupRefused):
    """The address is over the miss limit for these codes (answer 429)."""

    status = 429

    def __init__(self) -> None:
        super().__init__(
            _(
                "Quá nhiều mã tra cứu không đúng từ địa chỉ này. "
                "Vui lòng thử lại sau ít phút."
            )
        )


class BatchTooLarge(LookupRefused):
    """More codes in one request than CODE_LOOKUP_BATCH_MAX (answer 400)."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            _("Mỗi lần tra cứu tối đa %(limit)s mã phản ánh.") % {"limit": limit}
        )
        self.limit = limit


def _rate() -> tuple[int, int]:
    return (settings.CODE_MISS_LIMIT, settings.CODE_MISS_WINDOW)


def _session_codes(request: HttpRequest) -> set[str]:
    session = getattr(request, "session", None)
    if session is None:
        return set()
    return {*session.get(SESSION_KNOWN, []), *session.get(SESSION_FILED, [])}


def _entitled(request: HttpRequest, codes: set[str]) -> set[str]:
    """The codes among ``codes`` this session or signed-in reporter may open."""
    known = _session_codes(request) & codes
    user = getattr(request, "user", None)
    rest = codes - known
    if rest and user is not None and user.is_authenticated:
        known |= set(
            Report.objects.filter(code__in=rest, reporter_id=user.pk).values_list(
                "code", flat=True
            )
        )
    return known


def remember(request: HttpRequest, code: str, *, create: bool = True) -> None:
    """Let this session reopen ``code`` later even from a busy shared address.

    ``create=False``: only in a session the visitor already has (a reader of a
    cached public page is not given a session for it)."""
    session = getattr(request, "session", None)
    if session is None or (not create and session.session_key is None):
        return
    codes = session.get(SESSION_KNOWN, [])
    if code not in codes:  # unchanged sessions are not written again
        session[SESSION_KNOWN] = [*codes, code][-KNOWN_KEEP:]


def limit_key(request: HttpRequest) -> tuple[str, int]:
    """The cache key counting this address's misses, and the most it may hold
    (0: no limit), for a caller that reads it along with other keys."""
    count, period = _rate()
    if count <= 0 or period <= 0:
        return "", 0
    return ratelimit.key(MISS_SCOPE, ratelimit.client_ip(request), period), count


def canonical_codes(raw: Sequence[str]) -> list[str]:
    """The distinct well-formed codes of ``raw``, in order; malformed ones dropped."""
    seen: dict[str, None] = {}
    for value in raw:
        code = normalize_code(value)
        if code is not None:
            seen.setdefault(code, None)
    return list(seen)


def look_up(
    request: HttpRequest,
    raw_codes: Sequence[str],
    *,
    fetch: Callable[[list[str]], Sequence[R]],
) -> list[R]:
    """The reports ``fetch`` finds for ``raw_codes``, with the misses counted.

    Raises BatchTooLarge for too many codes and TooManyGuesses when the address
    is (or, with this batch, would be) over the miss limit. Malformed codes count
    as misses too: they are guesses all the same.
    """
    limit = settings.CODE_LOOKUP_BATCH_MAX
    if len(raw_codes) > limit:
        raise BatchTooLarge(limit)
    codes = canonical_codes(raw_codes)
    malformed = len([v for v in raw_codes if normalize_code(v) is None])
    ip = ratelimit.client_ip(request)
    asked = len(codes) + malformed
    if asked and ratelimit.exceeded(MISS_SCOPE, ip, rate=_rate(), more=asked):
        # Only the codes this session or reporter is entitled to are still open.
        unknown = set(codes) - _entitled(request, set(codes))
        if unknown or malformed:
            raise TooManyGuesses
    found = list(fetch(codes)) if codes else []
    misses = len(set(codes) - {report.code for report in found}) + malformed
    if misses:
        ratelimit.hit(MISS_SCOPE, ip, rate=_rate(), amount=misses)
    return found


def look_up_one(
    request: HttpRequest,
    raw_code: str,
    *,
    fetch: Callable[[list[str]], Sequence[R]] | None = None,
) -> R | None:
    """``look_up`` for one code: the report, or None when there is none."""
    fetcher: Any = fetch or _by_codes
    found = look_up(request, [raw_code], fetch=fetcher)
    return found[0] if found else None


def _by_codes(codes: list[str]) -> list[Report]:
    return list(
        Report.objects.select_related("category", "agency", "rating").filter(
            code__in=codes
        )
    )
