"""The officials' side of the conversation: photos made public, internal notes,
reviews handled by intake, reply templates, and the report's one timeline."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.conversation import ConversationError, reason_labels
from feedback.models import (
    Attachment,
    InternalNote,
    ReplyTemplate,
    Report,
    ReporterUpdate,
    ReportEvent,
    ReviewRequest,
    StatusChange,
)
from feedback.permissions import (
    can_publish,
    can_set_photo_public,
    can_view_personal_data,
    is_intake,
)
from feedback.selectors import rating_of

NOTE_MAX = 4000


class NotAllowed(Exception):
    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = str(message)


@transaction.atomic
def set_photo_public(
    *, attachment: Attachment, public: bool, by: Any, alt_text: str = ""
) -> None:
    """Show a citizen's photo on the public page (after an official checked it
    for faces, number plates, documents), or take it back off. Recorded."""
    report = attachment.report
    if not can_set_photo_public(by, report):
        raise NotAllowed(_("Bạn không có quyền công khai ảnh của phản ánh này."))
    if attachment.kind == Attachment.Kind.ANSWER:
        raise ConversationError(_("Tệp trả lời được công khai cùng nội dung trả lời."))
    if not attachment.is_image:
        raise ConversationError(_("Chỉ công khai được ảnh."))
    locked = Attachment.objects.select_for_update().get(pk=attachment.pk)
    alt_text = " ".join(alt_text.split())[:200]
    if public and not (alt_text or locked.alt_text):
        raise ConversationError(
            _(
                "Vui lòng mô tả ngắn nội dung ảnh (cho người khiếm thị) "
                "trước khi công khai."
            )
        )
    if locked.is_public == public and not alt_text:
        return
    locked.is_public = public
    if alt_text:
        locked.alt_text = alt_text
    locked.save(update_fields=["is_public", "alt_text"])
    attachment.is_public, attachment.alt_text = locked.is_public, locked.alt_text
    ReportEvent.objects.create(
        report=report,
        kind=ReportEvent.Kind.PHOTO_PUBLIC
        if public
        else ReportEvent.Kind.PHOTO_PRIVATE,
        actor=by,
        detail=f"#{attachment.pk}",
    )


def can_write_note(user: Any, report: Report) -> bool:
    """Intake officers and the officials of the report's agency."""
    return can_publish(user, report)


@transaction.atomic
def add_internal_note(*, report: Report, text: str, by: Any) -> InternalNote:
    if not can_write_note(by, report):
        raise NotAllowed(_("Bạn không có quyền ghi chú trên phản ánh này."))
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise ConversationError(_("Vui lòng nhập nội dung ghi chú."))
    if len(text) > NOTE_MAX:
        raise ConversationError(_("Ghi chú tối đa %(n)s ký tự.") % {"n": NOTE_MAX})
    return InternalNote.objects.create(report=report, author=by, text=text)


@transaction.atomic
def mark_review_handled(*, review: ReviewRequest, by: Any) -> None:
    """An intake officer has looked at a review request routed to intake."""
    if not (by.is_superuser or is_intake(by)):
        raise NotAllowed(_("Chỉ bộ phận tiếp nhận xác nhận được việc này."))
    ReviewRequest.objects.filter(pk=review.pk, handled_at__isnull=True).update(
        handled_at=timezone.now()
    )


# -- reply templates -------------------------------------------------------------------

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def _date(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return str(value.strftime("%d/%m/%Y"))


def fill_template(text: str, report: Report) -> str:
    """Replace the placeholders a template may use; unknown ones stay as typed."""
    values = {
        "ma_phan_anh": report.code,
        "tieu_de": report.title,
        "ngay_gui": _date(report.created_at),
        "ngay_tiep_nhan": _date(report.accepted_at),
        "han_xu_ly": _date(report.deadline),
        "ngay_hom_nay": _date(timezone.localdate()),
    }
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def templates_for(report: Report) -> dict[str, list[dict[str, str]]]:
    """Active templates for this report's category and agency (or for all),
    filled in: ``answer_templates`` and ``rejection_templates`` (one query)."""
    rows = ReplyTemplate.objects.filter(
        Q(category__isnull=True) | Q(category_id=report.category_id),
        Q(agency__isnull=True) | Q(agency_id=report.agency_id),
        is_active=True,
    ).order_by("name")
    result: dict[str, list[dict[str, str]]] = {
        "answer_templates": [],
        "rejection_templates": [],
    }
    for t in rows:
        key = (
            "answer_templates"
            if t.use == ReplyTemplate.Use.ANSWER
            else "rejection_templates"
        )
        result[key].append(
            {"pk": str(t.pk), "name": t.name, "text": fill_template(t.text, report)}
        )
    return result


# -- the one timeline ------------------------------------------------------------------


@dataclass
class Entry:
    at: datetime
    kind: str  # status, event, update, rating, review, note, personal
    what: str
    actor: Any = None
    note: str = ""
    extra: str = ""  # officials only: a correction's original text
    internal: bool = False
    obj: Any = None


def timeline(report: Report) -> list[Entry]:
    """Everything that happened on the report, oldest first: one query per kind."""
    entries: list[Entry] = []
    for change in StatusChange.objects.filter(report=report).select_related("actor"):
        entries.append(
            Entry(
                change.created_at,
                "status",
                _("%(from)s → %(to)s")
                % {
                    "from": change.get_from_status_display() or _("Gửi phản ánh"),
                    "to": change.get_to_status_display(),
                },
                change.actor,
                change.note,
            )
        )
    for event in ReportEvent.objects.filter(report=report).select_related("actor"):
        personal = event.kind == ReportEvent.Kind.PERSONAL_VIEWED
        entries.append(
            Entry(
                event.created_at,
                "personal" if personal else "event",
                event.get_kind_display(),
                event.actor,
                event.detail,
                obj=event,
            )
        )
    for update in ReporterUpdate.objects.filter(report=report).select_related(
        "handled_by"
    ):
        extra = ""
        if update.kind == ReporterUpdate.Kind.CORRECTION:
            extra = _("Trước khi sửa — tiêu đề: %(title)s\nNội dung: %(content)s") % {
                "title": update.previous_title,
                "content": update.previous_content,
            }
        note = update.text
        if update.kind == ReporterUpdate.Kind.HIDE_REQUEST and update.handled_at:
            note = _("Đã ẩn lúc %(at)s") % {
                "at": timezone.localtime(update.handled_at).strftime("%d/%m/%Y %H:%M")
            }
        entries.append(
            Entry(
                update.created_at,
                "update",
                _("Người gửi: %(what)s") % {"what": update.get_kind_display()},
                None,
                note,
                extra,
                obj=update,
            )
        )
    rating = rating_of(report)
    if rating is not None:
        verdict = _("Hài lòng") if rating.satisfied else _("Chưa hài lòng")
        reasons = "; ".join(reason_labels(rating.reasons))
        entries.append(
            Entry(
                rating.created_at,
                "rating",
                _("Người gửi đánh giá: %(verdict)s") % {"verdict": verdict},
                None,
                "\n".join(part for part in (reasons, rating.comment) if part),
            )
        )
    for review in ReviewRequest.objects.filter(report=report):
        entries.append(
            Entry(
                review.created_at,
                "review",
                _("Yêu cầu xem xét lại lần %(n)s — chuyển đến %(to)s")
                % {"n": review.number, "to": review.get_routed_to_display()},
                None,
                "\n".join(
                    part
                    for part in (
                        "; ".join(reason_labels(review.reasons)),
                        review.comment,
                    )
                    if part
                ),
                obj=review,
            )
        )
    notes = InternalNote.objects.filter(report=report).select_related("author")
    for internal in notes:
        entries.append(
            Entry(
                internal.created_at,
                "note",
                _("Ghi chú nội bộ"),
                internal.author,
                internal.text,
                internal=True,
            )
        )
    entries.sort(key=lambda entry: entry.at)
    return entries


def desk_context(*, report: Report, user: Any) -> dict[str, Any]:
    """What the report's admin page adds for the conversation."""
    entries = timeline(report)
    files = list(report.attachments.all())
    personal = can_view_personal_data(user, report)
    if not personal:
        # The corrected original may hold the reporter's personal data.
        for entry in entries:
            entry.extra = ""
    pending_hides = [
        e.obj
        for e in entries
        if e.kind == "update"
        and e.obj.kind == ReporterUpdate.Kind.HIDE_REQUEST
        and e.obj.handled_at is None
    ]
    open_reviews = [
        e.obj
        for e in entries
        if e.kind == "review"
        and e.obj.routed_to == ReviewRequest.RoutedTo.INTAKE
        and e.obj.handled_at is None
    ]
    return {
        "timeline": [e for e in entries if e.kind != "personal"],
        "personal_views": [e.obj for e in entries if e.kind == "personal"],
        "citizen_files": [a for a in files if a.kind == Attachment.Kind.CITIZEN],
        "update_files": [a for a in files if a.kind == Attachment.Kind.UPDATE],
        "answer_files": [a for a in files if a.kind == Attachment.Kind.ANSWER],
        "pending_hides": pending_hides if can_publish(user, report) else [],
        "open_reviews": open_reviews if (user.is_superuser or is_intake(user)) else [],
        "can_note": can_write_note(user, report),
        "can_set_photo_public": can_set_photo_public(user, report),
        **templates_for(report),
    }
