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
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.models import (
    OPEN_STATUSES,
    Attachment,
    Rating,
    Report,
    ReporterUpdate,
    ReportEvent,
    ReviewRequest,
    Status,
    TransitionError,
)
from feedback.notifications import admin_url
from feedback.permissions import REPORTER, can_publish
from feedback.services import delete_files, store_attachment
from feedback.workflow import change_status
from portal.lib import uploads
from portal.lib.emails import send_after_commit

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
        change_status(
            report=report,
            to=Status.IN_PROGRESS,
            by=_account(by),
            note=_("Người gửi yêu cầu xem xét lại (lần %(n)s).") % {"n": number},
            expected=Status.RESOLVED,
            role=REPORTER,
            proven_reporter=True,
        )
    except TransitionError as error:
        raise ConversationError(error.message) from None
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


# -- the reporter's updates, corrections, withdrawal, hide requests ------------------

REDACTED = "[…]"


def _tell_desk(template: str, report: Report, context: dict[str, Any]) -> None:
    """The agency when the report is routed to one, else the intake officers."""
    routed = report.status == Status.IN_PROGRESS and report.agency_id is not None
    notify_officials(
        template, report, agency=routed, intake=not routed, context=context
    )


def _check_photos(
    files: Sequence[UploadedFile], checked: Sequence[uploads.CheckedFile]
) -> list[uploads.CheckedFile]:
    limit = settings.REPORTER_UPDATE_MAX_FILES
    names = [*(f.name or "" for f in files), *(item.name for item in checked)]
    if len(names) > limit:
        raise uploads.UploadRejected(
            names[limit],
            _("mỗi lần bổ sung gửi tối đa %(count)s ảnh.") % {"count": limit},
        )
    checked = [*uploads.check_files(list(files)), *checked]
    uploads.check_total(checked)
    for item in checked:
        if not item.ftype.is_image:
            raise uploads.UploadRejected(
                item.name, _("chỉ nhận ảnh (JPEG, PNG, WebP, HEIC).")
            )
    return checked


def add_reporter_update(
    *,
    report: Report,
    text: str,
    files: Sequence[UploadedFile] = (),
    checked: Sequence[uploads.CheckedFile] = (),
    by: Any,
    channel: str = "web",
) -> ReporterUpdate:
    """The reporter adds text and up to REPORTER_UPDATE_MAX_FILES photos to an
    open report; the agency (or intake, before routing) is told.

    ``files`` are raw uploads, checked here; ``checked`` photos already checked
    (and cleaned) elsewhere, such as those Open311 fetched.

    The caller has established that ``by`` acts for the reporter. Raises
    ConversationError (closed report, nothing to add) or uploads.UploadRejected
    (a photo breaks a rule); nothing is kept in either case.
    """
    text = text.strip()
    if not text and not files and not checked:
        raise ConversationError(_("Vui lòng nhập nội dung bổ sung hoặc chọn ảnh."))
    checked = _check_photos(files, checked)
    written: list[str] = []
    try:
        with transaction.atomic():
            locked = Report.objects.select_for_update().get(pk=report.pk)
            if locked.status not in OPEN_STATUSES:
                raise ConversationError(
                    _(
                        "Phản ánh đã kết thúc xử lý nên không thể bổ sung thông tin. "
                        "Ông/Bà có thể gửi phản ánh mới."
                    )
                )
            update = ReporterUpdate.objects.create(
                report=locked,
                kind=ReporterUpdate.Kind.UPDATE,
                text=text,
                by=_account(by),
                channel=channel,
            )
            for item in checked:
                store_attachment(
                    report=locked,
                    item=item,
                    kind=Attachment.Kind.UPDATE,
                    written=written,
                    update=update,
                )
            _tell_desk(
                "reporter-update",
                locked,
                {"update": update, "photos": len(checked)},
            )
    except BaseException:
        delete_files(written)
        raise
    return update


def correction_open(report: Report, now: datetime | None = None) -> bool:
    """Within CORRECTION_MINUTES of filing, before an agency works on it."""
    limit = report.created_at + timedelta(minutes=settings.CORRECTION_MINUTES)
    return (
        report.status in (Status.NEW, Status.ACCEPTED)
        and (now or timezone.now()) <= limit
    )


def _refuse_if_late(report: Report) -> None:
    if not correction_open(report):
        raise ConversationError(
            _(
                "Chỉ sửa hoặc rút được phản ánh trong %(minutes)s phút sau khi gửi "
                "và trước khi chuyển xử lý. Ông/Bà có thể gửi thông tin bổ sung."
            )
            % {"minutes": settings.CORRECTION_MINUTES}
        )


@transaction.atomic
def correct_report(
    *, report: Report, title: str, content: str, by: Any
) -> ReporterUpdate:
    """Replace the title and content; the original stays for officials."""
    locked = Report.objects.select_for_update().get(pk=report.pk)
    _refuse_if_late(locked)
    correction = ReporterUpdate.objects.create(
        report=locked,
        kind=ReporterUpdate.Kind.CORRECTION,
        by=_account(by),
        previous_title=locked.title,
        previous_content=locked.content,
    )
    report.title, report.content = title, content
    report.save(update_fields=["title", "content", "updated_at"])
    return correction


@transaction.atomic
def withdraw_report(*, report: Report, by: Any, reason: str = "") -> ReporterUpdate:
    """The reporter withdraws the report: closed as not taken up, recorded."""
    locked = Report.objects.select_for_update().get(pk=report.pk)
    _refuse_if_late(locked)
    if locked.status not in (Status.NEW, Status.ACCEPTED):
        raise ConversationError(_("Không thể rút phản ánh ở trạng thái này."))
    withdrawal = ReporterUpdate.objects.create(
        report=locked,
        kind=ReporterUpdate.Kind.WITHDRAWAL,
        text=reason.strip(),
        by=_account(by),
    )
    try:
        change_status(
            report=report,
            to=Status.REJECTED,
            by=_account(by),
            note=_("Người gửi đã rút phản ánh."),
            expected=locked.status,
            role=REPORTER,
            proven_reporter=True,
        )
    except TransitionError as error:
        raise ConversationError(error.message) from None
    return withdrawal


def _own_texts(report: Report) -> list[str]:
    texts = [report.title, report.content]
    texts += list(
        report.reporter_updates.filter(kind=ReporterUpdate.Kind.UPDATE).values_list(
            "text", flat=True
        )
    )
    return texts


@transaction.atomic
def request_hiding(*, report: Report, text: str, by: Any) -> ReporterUpdate:
    """The reporter asks that a piece of their own text be hidden (it holds
    personal data); an official redacts it (see ``redact``)."""
    piece = " ".join(text.split())
    if len(piece) < 3:
        raise ConversationError(_("Vui lòng chép đúng đoạn cần ẩn (ít nhất 3 ký tự)."))
    if not any(piece in " ".join(own.split()) for own in _own_texts(report)):
        raise ConversationError(
            _("Không tìm thấy đoạn này trong nội dung Ông/Bà đã gửi.")
        )
    hide = ReporterUpdate.objects.create(
        report=report,
        kind=ReporterUpdate.Kind.HIDE_REQUEST,
        text=piece,
        by=_account(by),
    )
    notify_officials("hide-requested", report, agency=True, intake=True)
    return hide


def _redact(value: str, piece: str) -> str:
    if piece in value:
        return value.replace(piece, REDACTED)
    # The request was matched with whitespace folded: redact that form too.
    folded = " ".join(value.split())
    return folded.replace(piece, REDACTED) if piece in folded else value


@transaction.atomic
def redact(*, hide_request: ReporterUpdate, by: Any) -> int:
    """Hide the requested piece everywhere the reporter wrote it (title,
    content, updates, the kept original of a correction). Returns the number of
    texts changed; the request keeps who handled it, not the hidden text."""
    if hide_request.kind != ReporterUpdate.Kind.HIDE_REQUEST:
        raise ConversationError(_("Đây không phải đề nghị ẩn dữ liệu cá nhân."))
    report = Report.objects.select_for_update().get(pk=hide_request.report_id)
    if not can_publish(by, report):
        raise ConversationError(_("Bạn không có quyền ẩn nội dung của phản ánh này."))
    locked = ReporterUpdate.objects.select_for_update().get(pk=hide_request.pk)
    if locked.handled_at is not None:
        raise ConversationError(_("Đề nghị này đã được xử lý."))
    piece = locked.text
    changed = 0
    title, content = _redact(report.title, piece), _redact(report.content, piece)
    if (title, content) != (report.title, report.content):
        report.title, report.content = title, content
        report.save(update_fields=["title", "content", "updated_at"])
        changed += 1
    for item in report.reporter_updates.exclude(pk=locked.pk):
        fields = {
            "text": _redact(item.text, piece),
            "previous_title": _redact(item.previous_title, piece),
            "previous_content": _redact(item.previous_content, piece),
        }
        if any(getattr(item, name) != value for name, value in fields.items()):
            ReporterUpdate.objects.filter(pk=item.pk).update(**fields)
            changed += 1
    locked.text = ""
    locked.handled_at = timezone.now()
    locked.handled_by = by
    locked.save(update_fields=["text", "handled_at", "handled_by"])
    ReportEvent.objects.create(
        report=report,
        kind=ReportEvent.Kind.REDACTED,
        actor=by,
        detail=_("Theo đề nghị của người gửi"),
    )
    return changed
