"""Who counts as the reporter of a report on the public pages.

The account that filed it; the browser session that filed it (an anonymous
filer, on the success page and after); or whoever proved to hold the code and
the email used when filing, in this session. The same proof serves rating,
review, updates, corrections and seeing one's own photos.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from feedback.models import Report
from portal.lib import ratelimit

# Codes this browser session filed: only they may open their success page.
SESSION_CODES = "feedback.submitted_codes"
# Codes whose email this session proved.
SESSION_PROVEN = "feedback.proven_codes"
EMAIL_ATTEMPTS = (10, 3600)  # wrong-email guesses per IP and hour
KEEP_CODES = 20


class TooManyAttempts(Exception):
    pass


def is_reporter(user: Any, report: Report) -> bool:
    """The account that filed the report (not merely someone holding the code)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and report.reporter_id is not None
        and report.reporter_id == user.pk
    )


def _remember(request: HttpRequest, key: str, code: str) -> None:
    codes = [c for c in request.session.get(key, []) if c != code]
    request.session[key] = [*codes, code][-KEEP_CODES:]


def remember_filed(request: HttpRequest, report: Report) -> None:
    _remember(request, SESSION_CODES, report.code)


def filed_in_session(request: HttpRequest, report: Report) -> bool:
    return report.code in request.session.get(SESSION_CODES, [])


def holds_proof(request: HttpRequest, report: Report) -> bool:
    """This request acts for the reporter (account, filing session, or proof)."""
    if is_reporter(request.user, report):
        return True
    if report.anonymised_at is not None:
        return False
    return filed_in_session(request, report) or report.code in request.session.get(
        SESSION_PROVEN, []
    )


def prove_with_email(request: HttpRequest, report: Report, email: str) -> bool:
    """Check the email used when filing; remember the proof in the session.

    Raises TooManyAttempts once this IP has guessed wrong too often.
    """
    if (
        report.email
        and report.anonymised_at is None
        and email.strip().lower() == report.email.lower()
    ):
        _remember(request, SESSION_PROVEN, report.code)
        return True
    if not ratelimit.hit(
        "rating-email", ratelimit.client_ip(request), rate=EMAIL_ATTEMPTS
    ):
        raise TooManyAttempts
    return False
