"""Who may see what of a report: one place, so per-agency rules can extend it."""

from __future__ import annotations

from typing import Any

from feedback.models import Report


def is_reporter(user: Any, report: Report) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and report.reporter_id is not None
        and report.reporter_id == user.pk
    )


def can_view_personal_data(user: Any, report: Report) -> bool:
    """The reporter's own account, superusers and holders of feedback.view_report.

    Also guards the citizen's attachments, which may show faces and homes.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if is_reporter(user, report):
        return True
    return bool(user.is_superuser or user.has_perm("feedback.view_report"))
