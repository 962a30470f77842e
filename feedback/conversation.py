"""The reporter's side of the conversation on a report, and who is told of it.

Review requests after a "Chưa hài lòng" rating (they reopen the report through
``Report.transition``), the reporter's updates, corrections, withdrawal and
requests to hide personal data. Each write is a keyword-only function in one
transaction; emails go through the outbox after the commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.models import (
    Rating,
    Report,
    ReviewRequest,
    Status,
    TransitionError,
)
from feedback.notifications import admin_url, public_url
from feedback.permissions import REPORTER_MOVES
from portal.lib.emails import send_after_commit
from portal.lib.workdays import add_working_days

# A reporter may have a report reopened this many times; then a new report or
# the intake desk's phone line is the way.
MAX_REVIEWS = 2


class ConversationError(Exception):
    """A reporter's request that a rule refuses; ``message`` is for people."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = str(message)


def _account(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


# -- who is told --------------------------------------------------------------------


def intake_officers() -> QuerySet[Any]:
    """Active accounts holding the intake permission (by group or directly)."""
    perm = Q(groups__permissions__codename="triage_report") | Q(
        user_permissions__codename="triage_report"
    )
    return (
        get_user_model()
        .objects.filter(perm, is_active=True)
        .exclude(email="")
        .distinct()
    )


def agency_officials(agency_id: int | None) -> QuerySet[Any]:
    if agency_id is None:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(official__agency_id=agency_id, is_active=True)
        .exclude(email="")
    )


def _officials_to_tell(report: Report, *, agency: bool, intake: bool) -> list[str]:
    """Email addresses of the officials to notify, each once."""
    addresses: list[str] = []
    if agency:
        if report.agency is not None and report.agency.email:
            addresses.append(report.agency.email)
        addresses += [u.email for u in agency_officials(report.agency_id)]
    if intake:
        addresses += [u.email for u in intake_officers()]
    unique: dict[str, str] = {}
    for address in addresses:
        unique.setdefault(address.lower(), address)
    return list(unique.values())


def notify_officials(
    template: str,
    report: Report,
    *,
    agency: bool,
    intake: bool,
    context: dict[str, Any] | None = None,
) -> None:
    """One email per official, after the commit; never the reporter's personal
    data (officials open the report in admin, where access is logged)."""
    ctx = {
        "report": report,
        "admin_url": admin_url(report),
        **(context or {}),
    }
    for address in _officials_to_tell(report, agency=agency, intake=intake):
        send_after_commit(template, address, ctx)


# -- review after "Chưa hài lòng" ------------------------------------------------------


def review_window_end(report: Report) -> datetime | None:
    """Until when the reporter may ask for a review: REVIEW_WINDOW_DAYS after the
    answer, or after the questionnaire email if that came later."""
    if report.status != Status.RESOLVED or report.resolved_at is None:
        return None
    start = report.resolved_at
    if report.questionnaire_sent_at and report.questionnaire_sent_at > start:
        start = report.questionnaire_sent_at
    return start + timedelta(days=settings.REVIEW_WINDOW_DAYS)


def can_request_review(report: Report, now: datetime | None = None) -> bool:
    end = review_window_end(report)
    return end is not None and (now or timezone.now()) <= end


def new_deadline(report: Report) -> Any:
    """A fresh processing deadline for a reopened report, from today."""
    return add_working_days(timezone.localdate(), report.processing_days())


@transaction.atomic
def request_review(
    *,
    report: Report,
    by: Any,
    reasons: Sequence[str] = (),
    comment: str = "",
    via_questionnaire: bool = False,
) -> ReviewRequest:
    """Reopen a resolved report at the reporter's request (resolved ->
    in_progress), with a new deadline.

    The first request goes to the agency's officials (and the intake officers
    are told); a later one goes to the intake officers only, who decide whether
    the agency was the right one. Refused after the review window or after
    MAX_REVIEWS requests.
    """
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.status != Status.RESOLVED:
        raise ConversationError(
            _("Chỉ yêu cầu xem xét lại được phản ánh đã có kết quả trả lời.")
        )
    if (locked.status, Status.IN_PROGRESS) not in REPORTER_MOVES:
        raise ConversationError(_("Không thể mở lại phản ánh này."))
    if not can_request_review(locked):
        raise ConversationError(
            _(
                "Đã quá %(days)s ngày kể từ khi có kết quả trả lời nên không thể "
                "yêu cầu xem xét lại. Ông/Bà có thể gửi phản ánh mới."
            )
            % {"days": settings.REVIEW_WINDOW_DAYS}
        )
    done = ReviewRequest.objects.filter(report=locked).count()
    if done >= MAX_REVIEWS:
        raise ConversationError(
            _(
                "Phản ánh đã được xem xét lại %(n)s lần. Ông/Bà vui lòng gửi phản "
                "ánh mới hoặc liên hệ bộ phận tiếp nhận."
            )
            % {"n": done}
        )
    number = done + 1
    routed_to = (
        ReviewRequest.RoutedTo.AGENCY if number == 1 else ReviewRequest.RoutedTo.INTAKE
    )
    review = ReviewRequest.objects.create(
        report=locked,
        number=number,
        routed_to=routed_to,
        reasons=list(reasons),
        comment=comment,
        via_questionnaire=via_questionnaire,
        by=_account(by),
    )
    try:
        report.transition(
            Status.IN_PROGRESS,
            by=_account(by),
            note=_("Người gửi yêu cầu xem xét lại (lần %(n)s).") % {"n": number},
            expected=Status.RESOLVED,
        )
    except TransitionError as error:
        raise ConversationError(error.message) from None
    report.deadline = new_deadline(report)
    report.save(update_fields=["deadline", "updated_at"])
    notify_officials(
        "review-requested",
        report,
        agency=number == 1,
        intake=True,
        context={"review": review, "reasons": reason_labels(review.reasons)},
    )
    return review


def reason_labels(codes: Iterable[str]) -> list[str]:
    labels = dict(Rating.Reason.choices)
    return [str(labels[code]) for code in codes if code in labels]


@transaction.atomic
def mark_review_handled(*, review: ReviewRequest, by: Any) -> None:
    """An intake officer has looked at a review routed to intake."""
    ReviewRequest.objects.filter(pk=review.pk, handled_at__isnull=True).update(
        handled_at=timezone.now()
    )


def public_link(report: Report) -> str:
    return public_url(report)
