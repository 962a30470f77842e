"""Rejecting a report as a duplicate of an earlier one.

The rejection goes through the workflow like any other (feedback/workflow.py);
this adds what a duplicate means: the report remembers its original, the
reporter's email names the original and offers to follow it, and the original's
followers hear that another citizen reported the same thing (nothing about who).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from feedback.follows import tell_duplicate_filed
from feedback.models import Report, Status, StatusChange, TransitionError
from feedback.nearby import duplicate_reason
from feedback.workflow import move_report


@transaction.atomic
def reject_as_duplicate(
    *,
    report: Report,
    original: Report,
    by: Any,
    expected: str | None,
    note: str = "",
) -> StatusChange:
    """Reject ``report`` as a duplicate of ``original``; raise TransitionError if
    the move or the original is refused (then nothing is saved or sent)."""
    if original.pk == report.pk:
        raise TransitionError(_("Không thể đánh dấu phản ánh trùng với chính nó."))
    if not original.may_be_original:
        raise TransitionError(
            _(
                "Phản ánh %(code)s đã không được tiếp nhận nên không thể là phản "
                "ánh gốc; hãy chọn phản ánh đang được xử lý."
            )
            % {"code": original.code}
        )
    # Saved before the move, so that the rejection email (rendered with the
    # move, or queued in its transaction) can name the original.
    Report.objects.filter(pk=report.pk).update(duplicate_of=original)
    reason = f"{duplicate_reason(original)} {note.strip()}".strip()
    change = move_report(
        report=report, to=Status.REJECTED, by=by, expected=expected, note=reason
    )
    report.duplicate_of = original
    tell_duplicate_filed(original)
    return change
