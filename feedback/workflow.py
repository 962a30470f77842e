"""The workflow in one table, and the services that move reports through it.

``MOVES`` says every allowed status change: from where to where, which roles may
make it, what it needs (an answer, a reason, an agency), its button label and its
side effects (deadline start, timestamps, emails). ``change_status`` is the one
way a status changes; the permission checks, the admin's buttons and bulk actions
and the Open311 status mapping read the same table. Adding a move is one row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from feedback import notifications
from feedback.models import (
    Agency,
    Attachment,
    Category,
    Report,
    ReportEvent,
    StaleTransition,
    Status,
    StatusChange,
    TransitionError,
)
from feedback.permissions import (
    INTAKE,
    OFFICIAL,
    REPORTER,
    can_publish,
    can_view_report,
    roles_of,
)
from feedback.services import delete_files, store_attachment
from feedback.signals import report_status_changed
from portal.lib.uploads import CheckedFile

SYSTEM = "system"  # by=None: data scripts, seeding, tests; no role check


class Need(StrEnum):
    ANSWER = "answer"  # the official answer (stored on the report)
    REASON = "reason"  # the note, stored as the rejection reason
    AGENCY = "agency"  # the agency the report is routed to
    NOTE = "note"  # a note is required (the reporter says why)


class Effect(StrEnum):
    START_PROCESSING = "start_processing"  # accepted_at, processing deadline
    ROUTE = "route"  # agency := the chosen agency
    RESOLVE = "resolve"  # answer, resolved_at
    REJECT = "reject"  # rejection_reason, unpublished
    REOPEN = "reopen"  # resolved_at cleared, unpublished
    REVIEW_WINDOW = "review_window"  # only within REVIEW_WINDOW_DAYS of the answer
    RESTART_PROCESSING = "restart_processing"  # a fresh processing deadline from now
    WITHDRAW = "withdraw"  # withdrawn_at: the reporter closed it, not an official
    AUTO_ROUTE = "auto_route"  # then route by the rules if the category asks for it


@dataclass(frozen=True)
class Email:
    template: str  # templates/emails/<template>-subject.txt ...
    to: str  # "reporter" or "agency"


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    roles: frozenset[str]
    label: Promise
    requires: frozenset[Need] = frozenset()
    effects: tuple[Effect | Email, ...] = ()
    note_label: Promise | None = None  # the note field's label, when it has one

    @property
    def emails(self) -> list[Email]:
        return [e for e in self.effects if isinstance(e, Email)]


def _roles(*names: str) -> frozenset[str]:
    return frozenset(names)


MOVES: tuple[Move, ...] = (
    Move(
        Status.NEW,
        Status.ACCEPTED,
        _roles(INTAKE),
        gettext_lazy("Tiếp nhận"),
        effects=(
            Effect.START_PROCESSING,
            Email("report-accepted", "reporter"),
            Effect.AUTO_ROUTE,
        ),
    ),
    Move(
        Status.NEW,
        Status.REJECTED,
        _roles(INTAKE),
        gettext_lazy("Không tiếp nhận"),
        requires=frozenset({Need.REASON}),
        effects=(Effect.REJECT, Email("report-rejected", "reporter")),
    ),
    Move(
        Status.ACCEPTED,
        Status.IN_PROGRESS,
        _roles(INTAKE),
        gettext_lazy("Chuyển xử lý"),
        requires=frozenset({Need.AGENCY}),
        effects=(Effect.ROUTE, Email("report-routed", "agency")),
    ),
    Move(
        Status.ACCEPTED,
        Status.REJECTED,
        _roles(INTAKE),
        gettext_lazy("Không tiếp nhận"),
        requires=frozenset({Need.REASON}),
        effects=(Effect.REJECT, Email("report-rejected", "reporter")),
    ),
    Move(
        Status.IN_PROGRESS,
        Status.RESOLVED,
        _roles(OFFICIAL),
        gettext_lazy("Trả lời, hoàn tất xử lý"),
        requires=frozenset({Need.ANSWER}),
        effects=(Effect.RESOLVE, Email("report-resolved", "reporter")),
    ),
    Move(
        Status.IN_PROGRESS,
        Status.ACCEPTED,
        _roles(OFFICIAL),
        gettext_lazy("Trả lại bộ phận tiếp nhận"),
        note_label=gettext_lazy("Ghi chú cho bộ phận tiếp nhận"),
    ),
    Move(
        Status.RESOLVED,
        Status.IN_PROGRESS,
        _roles(INTAKE, OFFICIAL),
        gettext_lazy("Mở lại để xử lý tiếp"),
        effects=(Effect.REOPEN, Effect.RESTART_PROCESSING),
    ),
    Move(
        Status.RESOLVED,
        Status.IN_PROGRESS,
        _roles(REPORTER),
        gettext_lazy("Yêu cầu xem xét lại"),
        requires=frozenset({Need.NOTE}),
        effects=(Effect.REVIEW_WINDOW, Effect.REOPEN, Effect.RESTART_PROCESSING),
        note_label=gettext_lazy("Lý do Ông/Bà chưa hài lòng"),
    ),
    # The reporter withdraws a report within CORRECTION_MINUTES of filing (the
    # rules around it: feedback/conversation.py); no rejection email goes out.
    Move(
        Status.NEW,
        Status.REJECTED,
        _roles(REPORTER),
        gettext_lazy("Rút phản ánh"),
        effects=(Effect.REJECT, Effect.WITHDRAW),
    ),
    Move(
        Status.ACCEPTED,
        Status.REJECTED,
        _roles(REPORTER),
        gettext_lazy("Rút phản ánh"),
        effects=(Effect.REJECT, Effect.WITHDRAW),
    ),
)


def moves_from(status: str, roles: frozenset[str]) -> list[Move]:
    """The rows these roles may use from ``status`` (SYSTEM: every row), one per
    target, in the table's order."""
    found: dict[str, Move] = {}
    for move in MOVES:
        if move.source != status or move.target in found:
            continue
        if SYSTEM in roles or move.roles & roles:
            found[move.target] = move
    return list(found.values())


def allowed_moves(user: Any, report: Report) -> list[Move]:
    """The officials' moves this user may make on this report (the buttons)."""
    roles = roles_of(user, report) - {REPORTER}
    return moves_from(report.status, roles)


def _label(status: str) -> str:
    return str(Status(status).label) if status in Status.values else status


def _find_move(current: str, to: str, roles: frozenset[str]) -> Move:
    for move in moves_from(current, roles):
        if move.target == to:
            return move
    if any(m.source == current and m.target == to for m in MOVES):
        raise TransitionError(
            _("Bạn không có quyền chuyển phản ánh sang “%(to)s”.") % {"to": _label(to)}
        )
    raise TransitionError(
        _("Không thể chuyển phản ánh từ “%(from)s” sang “%(to)s”.")
        % {"from": _label(current), "to": _label(to)}
    )


def _in_review_window(report: Report, now: Any) -> bool:
    from feedback.conversation import can_request_review

    return can_request_review(report, now)


def change_status(
    *,
    report: Report,
    to: str,
    by: Any,
    note: str = "",
    expected: str | None = None,
    role: str | None = None,
    proven_reporter: bool = False,
    agency: Agency | None = None,
    answer: str = "",
) -> StatusChange:
    """Move ``report`` to ``to`` by the table; raise TransitionError if refused.

    Locks the row and works on the fresh copy, so a colleague's concurrent edit
    (category, agency, answer) is never overwritten: only the fields the move
    changes are saved. ``expected`` is the status the person saw; if the report
    moved since, StaleTransition. ``role`` narrows the move to one of the user's
    roles (the reporter's review request passes "reporter"); ``by=None`` is the
    system (scripts, seeding), which may make any row's move. ``report`` is
    updated in place to the new state.
    """
    note = note.strip()
    with transaction.atomic():
        fresh = (
            Report.objects.select_for_update(of=("self",))
            .select_related("category", "agency")
            .get(pk=report.pk)
        )
        if expected is not None and fresh.status != expected:
            raise StaleTransition(
                _(
                    "Phản ánh đã được người khác chuyển sang “%(status)s”. "
                    "Vui lòng tải lại trang để xem trước khi thao tác."
                )
                % {"status": _label(fresh.status)}
            )
        system = getattr(by, "pk", None) is None and not proven_reporter
        if proven_reporter:
            # The conversation service checked the proof (account, filing session,
            # or code and email): the reporter's rows only, even without an account.
            roles = frozenset({REPORTER})
        else:
            roles = frozenset({SYSTEM}) if system else roles_of(by, fresh)
        if role is not None and not system:
            roles &= {role}
        move = _find_move(fresh.status, to, roles)
        now = timezone.now()
        if Effect.REVIEW_WINDOW in move.effects and not _in_review_window(fresh, now):
            raise TransitionError(
                _(
                    "Chỉ có thể yêu cầu xem xét lại trong %(days)d ngày sau khi "
                    "có kết quả trả lời."
                )
                % {"days": settings.REVIEW_WINDOW_DAYS}
            )
        changed = _apply(
            move, fresh, note=note, agency=agency, answer=answer, now=now, system=system
        )
        previous_agency = report.agency_id
        fresh.status = to
        fresh.save(update_fields=[*changed, "status", "updated_at"])
        change = StatusChange.objects.create(
            report=fresh,
            from_status=move.source,
            to_status=to,
            actor=None if system else by,
            note=note,
            created_at=now,
        )
        if Effect.ROUTE in move.effects and fresh.agency_id != previous_agency:
            ReportEvent.objects.create(
                report=fresh,
                kind=ReportEvent.Kind.ASSIGNED,
                actor=None if system else by,
                detail=fresh.agency.name if fresh.agency else "",
            )
        # Sent once this transaction commits (or queued with it: EMAIL_QUEUE=1).
        for email in move.emails:
            notifications.send(email.template, email.to, fresh, change)
        from feedback.follows import tell_status_changed

        tell_status_changed(fresh, change)
        if Effect.AUTO_ROUTE in move.effects:
            from feedback.routing import auto_route

            # After the acceptance commits, as its own recorded move.
            transaction.on_commit(lambda: auto_route(report=fresh, by=by))
        # stats listens; feedback does not import it.
        transaction.on_commit(
            lambda: report_status_changed.send(
                sender=Report, report=fresh, change=change
            )
        )
    for name in (*changed, "status", "updated_at"):
        setattr(report, name, getattr(fresh, name))
    if "agency_id" in changed:
        report.agency = fresh.agency
    return change


def _apply(
    move: Move,
    report: Report,
    *,
    note: str,
    agency: Agency | None,
    answer: str,
    now: Any,
    system: bool,
) -> list[str]:
    """Check what the move needs and apply its effects to ``report``; return the
    names of the fields it changed. The system (scripts, seeding, test set-ups)
    may move a report to in_progress without an agency; people may not."""
    changed: list[str] = []
    if Need.REASON in move.requires and not note:
        raise TransitionError(_("Cần nêu lý do không tiếp nhận."))
    if Need.NOTE in move.requires and not note:
        raise TransitionError(_("Cần nêu lý do để gửi yêu cầu."))
    if Need.AGENCY in move.requires:
        if agency is None and report.agency_id is None and not system:
            raise TransitionError(_("Cần chọn cơ quan xử lý để chuyển phản ánh."))
        if agency is not None and not agency.is_active:
            raise TransitionError(_("Cơ quan này đã ngừng hoạt động."))
    for effect in move.effects:
        if effect == Effect.START_PROCESSING:
            if report.accepted_at is None:
                report.accepted_at = now
            report.deadline = report.processing_deadline(report.accepted_at)
            changed += ["accepted_at", "deadline"]
        elif effect == Effect.ROUTE and agency is not None:
            report.agency = agency
            changed.append("agency_id")
        elif effect == Effect.RESOLVE:
            text = answer.replace("\r\n", "\n").strip() or report.answer.strip()
            text = text or note
            if not text:
                raise TransitionError(_("Cần nhập nội dung trả lời để hoàn tất."))
            report.answer = text
            report.resolved_at = now
            changed += ["answer", "resolved_at"]
        elif effect == Effect.REJECT:
            report.rejection_reason = note
            report.is_published = False
            changed += ["rejection_reason", "is_published"]
        elif effect == Effect.REOPEN:
            report.resolved_at = None
            report.is_published = False
            changed += ["resolved_at", "is_published"]
        elif effect == Effect.RESTART_PROCESSING:
            report.deadline = report.processing_deadline(now)
            changed.append("deadline")
        elif effect == Effect.WITHDRAW:
            report.withdrawn_at = now
            changed.append("withdrawn_at")
    return changed


@transaction.atomic
def move_report(
    *,
    report: Report,
    to: str,
    by: Any,
    expected: str | None,
    note: str = "",
    agency: Agency | None = None,
    answer: str = "",
    answer_files: list[CheckedFile] | None = None,
) -> StatusChange:
    """An official's move from the admin, with the answer's files; see
    ``change_status`` for the rules and refusals."""
    change = change_status(
        report=report,
        to=to,
        by=by,
        note=note,
        expected=expected,
        agency=agency,
        answer=answer,
    )
    written: list[str] = []
    try:
        for checked in answer_files or []:
            add_answer_file(report=report, checked=checked, by=by, written=written)
    except BaseException:
        delete_files(written)
        raise
    return change


def add_answer_file(
    *, report: Report, checked: CheckedFile, by: Any, written: list[str]
) -> Attachment:
    """Attach an official's answer file: the same checks and cleaning as citizens'."""
    attachment = store_attachment(
        report=report, item=checked, kind=Attachment.Kind.ANSWER, written=written
    )
    ReportEvent.objects.create(
        report=report,
        kind=ReportEvent.Kind.ANSWER_FILE,
        actor=by,
        detail=checked.name,
    )
    return attachment


@transaction.atomic
def set_published(*, report: Report, publish: bool, by: Any) -> None:
    """Show or hide the answer on the public pages (consented, resolved only)."""
    if not can_publish(by, report):
        raise TransitionError(_("Bạn không có quyền công khai phản ánh này."))
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if publish:
        if locked.status != Status.RESOLVED:
            raise TransitionError(_("Chỉ công khai được phản ánh đã xử lý."))
        if not locked.allow_publish:
            raise TransitionError(
                _("Người gửi không đồng ý công khai nên không thể công khai.")
            )
    if locked.is_published == publish:
        report.is_published = publish
        return
    locked.is_published = publish
    locked.save(update_fields=["is_published", "updated_at"])
    report.is_published = publish
    ReportEvent.objects.create(
        report=report,
        kind=ReportEvent.Kind.PUBLISHED if publish else ReportEvent.Kind.UNPUBLISHED,
        actor=by,
    )
    if publish:
        from feedback.follows import tell_answer_published

        tell_answer_published(report)


@transaction.atomic
def set_urgent(*, report: Report, urgent: bool, by: Any) -> None:
    """Mark a report urgent (khẩn) or not; an accepted report's processing
    deadline is recomputed from its acceptance."""
    fresh = (
        Report.objects.select_for_update(of=("self",))
        .select_related("category")
        .get(pk=report.pk)
    )
    if fresh.is_urgent == urgent:
        return
    fresh.is_urgent = urgent
    fields = ["is_urgent", "updated_at"]
    if fresh.status in (Status.ACCEPTED, Status.IN_PROGRESS) and fresh.accepted_at:
        fresh.deadline = fresh.processing_deadline(fresh.accepted_at)
        fields.append("deadline")
    fresh.save(update_fields=fields)
    report.is_urgent, report.deadline = fresh.is_urgent, fresh.deadline
    ReportEvent.objects.create(
        report=fresh,
        kind=ReportEvent.Kind.URGENT if urgent else ReportEvent.Kind.NOT_URGENT,
        actor=by,
    )


def record_category_change(
    *, report: Report, old: Category | None, new: Category | None, by: Any
) -> None:
    ReportEvent.objects.create(
        report=report,
        kind=ReportEvent.Kind.CATEGORY,
        actor=by,
        detail=f"{old or '—'} → {new or '—'}",
    )


def record_export(*, report_ids: list[int], by: Any, fmt: str) -> None:
    """Log an export on every report it contained (personal data may be in it)."""
    ReportEvent.objects.bulk_create(
        [
            ReportEvent(
                report_id=pk,
                kind=ReportEvent.Kind.EXPORTED,
                actor=by,
                detail=fmt.upper(),
            )
            for pk in report_ids
        ],
        batch_size=500,
    )


@dataclass
class BulkResult:
    changed: list[Report] = field(default_factory=list)
    skipped: list[tuple[Report, str]] = field(default_factory=list)


def bulk_move(
    *,
    reports: list[Report],
    to: str,
    by: Any,
    note: str = "",
    agency: Agency | None = None,
) -> BulkResult:
    """Apply the same move to many reports, each in its own transaction."""
    result = BulkResult()
    for report in reports:
        if not can_view_report(by, report):
            result.skipped.append((report, _("không có quyền")))
            continue
        try:
            move_report(
                report=report,
                to=to,
                by=by,
                expected=report.status,
                note=note,
                agency=agency,
            )
        except TransitionError as error:
            result.skipped.append((report, error.message))
        else:
            result.changed.append(report)
    return result


def record_personal_data_view(*, report: Report, by: Any) -> None:
    """Log that an official saw the reporter's personal data (once a day each)."""
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    seen_today = ReportEvent.objects.filter(
        report=report,
        actor=by,
        kind=ReportEvent.Kind.PERSONAL_VIEWED,
        created_at__gte=start,
    ).exists()
    if not seen_today:
        ReportEvent.objects.create(
            report=report, kind=ReportEvent.Kind.PERSONAL_VIEWED, actor=by
        )
