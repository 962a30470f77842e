"""Officials' services: moving reports through the workflow, routing, publishing.

Kept apart from feedback/services.py (the citizen side's services) so both can be
built at once. Every status change still goes through ``Report.transition``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.models import (
    Agency,
    Attachment,
    Category,
    Report,
    ReportEvent,
    Status,
    StatusChange,
    TransitionError,
)
from feedback.permissions import allowed_moves, can_publish, can_view_report
from feedback.services import delete_files, store_attachment
from feedback.signals import report_answer_published
from portal.lib.uploads import CheckedFile


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
    """Apply one workflow move for an official; raise TransitionError if refused.

    Routing (accepted -> in_progress) needs ``agency``; resolving needs ``answer``;
    rejecting needs ``note`` (the reason). ``expected`` is the status the official
    saw: if the report moved since, StaleTransition is raised.
    """
    if to not in allowed_moves(by, report):
        if to in report.allowed_transitions():
            raise TransitionError(
                _("Bạn không có quyền chuyển phản ánh sang “%(to)s”.")
                % {"to": Status(to).label}
            )
        raise TransitionError(
            _("Không thể chuyển phản ánh từ “%(from)s” sang “%(to)s”.")
            % {
                "from": Status(report.status).label,
                "to": Status(to).label if to in Status.values else to,
            }
        )
    routing = report.status == Status.ACCEPTED and to == Status.IN_PROGRESS
    if routing:
        if agency is None:
            raise TransitionError(_("Cần chọn cơ quan xử lý để chuyển phản ánh."))
        if not agency.is_active:
            raise TransitionError(_("Cơ quan này đã ngừng hoạt động."))
        previous = report.agency
        report.agency = agency
    if to == Status.RESOLVED:
        report.answer = answer.replace("\r\n", "\n").strip()
    change = report.transition(to, by=by, note=note, expected=expected)
    if routing and agency is not None and previous != agency:
        ReportEvent.objects.create(
            report=report,
            kind=ReportEvent.Kind.ASSIGNED,
            actor=by,
            detail=agency.name,
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
        transaction.on_commit(
            lambda: report_answer_published.send(sender=Report, report=report)
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
