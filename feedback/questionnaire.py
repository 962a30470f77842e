"""“Sự việc đã được giải quyết chưa?”: one email per unrated answer.

QUESTIONNAIRE_AFTER_DAYS after the answer, a reporter who has not rated gets one
email with two signed links (yes / not yet) and an opt-out link. "Not yet" opens
the review flow (feedback/conversation.py), whose window then runs from the
email. ``Report.questionnaire_sent_at`` is set by a conditional UPDATE before the
email is queued, so two runs at once still send one.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from feedback.models import Report, Status
from portal.lib.emails import one_click_unsubscribe, send_after_commit

SALT = "feedback.questionnaire"
MAX_AGE = 60 * 24 * 3600  # the links work for 60 days
YES, NOT_YET, STOP = "yes", "not-yet", "stop"
ANSWERS = (YES, NOT_YET, STOP)


def make_token(report: Report, answer: str) -> str:
    return signing.dumps([report.pk, report.code, answer], salt=SALT)


def read_token(token: str) -> tuple[Report, str] | None:
    try:
        pk, code, answer = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    report = (
        Report.objects.select_related("category", "agency", "rating")
        .filter(pk=pk, code=code)
        .first()
    )
    if report is None or answer not in ANSWERS:
        return None
    return report, answer


def link(report: Report, answer: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "feedback:questionnaire", args=[make_token(report, answer)]
    )


def due(now: datetime) -> Any:
    """Answered long enough ago, not rated, never asked, not opted out."""
    cutoff = now - timedelta(days=settings.QUESTIONNAIRE_AFTER_DAYS)
    return (
        Report.objects.filter(
            status=Status.RESOLVED,
            resolved_at__lte=cutoff,
            rating__isnull=True,
            questionnaire_sent_at__isnull=True,
            questionnaire_opt_out=False,
            anonymised_at__isnull=True,
        )
        .exclude(email="")
        .order_by("resolved_at", "pk")
    )


def send_questionnaires(now: datetime | None = None) -> int:
    """Email every due reporter once; returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    for report in due(now).iterator():
        with transaction.atomic():
            claimed = Report.objects.filter(
                pk=report.pk, questionnaire_sent_at__isnull=True
            ).update(questionnaire_sent_at=now)
            if not claimed:
                continue  # another run got it first
            stop_url = link(report, STOP)
            send_after_commit(
                "questionnaire",
                report.email,
                {
                    "report": report,
                    "yes_url": link(report, YES),
                    "not_yet_url": link(report, NOT_YET),
                    "stop_url": stop_url,
                },
                language=report.reporter_language,
                headers=one_click_unsubscribe(stop_url),
            )
            sent += 1
    return sent


@transaction.atomic
def opt_out(*, report: Report) -> int:
    """No more questionnaires for this reporter's reports (by their email)."""
    if not report.email:
        return 0
    return Report.objects.filter(email__iexact=report.email).update(
        questionnaire_opt_out=True
    )
