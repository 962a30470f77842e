"""Who may do what with a report: the one place officials' access is decided.

Reads go through ``Report.objects.visible_to(user)`` (the per-agency rule); the
helpers here answer the per-object questions the admin and views ask.
"""

from __future__ import annotations

from typing import Any

from feedback.models import Official, Report, Status

INTAKE_GROUP = "Cán bộ tiếp nhận"
OFFICIAL_GROUP = "Cán bộ xử lý"
EDITOR_GROUP = "Biên tập viên"

# Which moves each kind of official makes. Intake triages and routes; an agency
# official works, answers, returns (in_progress -> accepted) and reopens.
INTAKE_MOVES: frozenset[tuple[str, str]] = frozenset(
    {
        (Status.NEW, Status.ACCEPTED),
        (Status.NEW, Status.REJECTED),
        (Status.ACCEPTED, Status.IN_PROGRESS),
        (Status.ACCEPTED, Status.REJECTED),
        (Status.RESOLVED, Status.IN_PROGRESS),
    }
)
OFFICIAL_MOVES: frozenset[tuple[str, str]] = frozenset(
    {
        (Status.IN_PROGRESS, Status.RESOLVED),
        (Status.IN_PROGRESS, Status.ACCEPTED),
        (Status.RESOLVED, Status.IN_PROGRESS),
    }
)

# The moves a reporter makes (rules in feedback/conversation.py): asking for a
# review of the answer reopens the report (within the review window);
# withdrawing it within the correction window closes it as not taken up.
REPORTER_MOVES: frozenset[tuple[str, str]] = frozenset(
    {
        (Status.RESOLVED, Status.IN_PROGRESS),
        (Status.NEW, Status.REJECTED),
        (Status.ACCEPTED, Status.REJECTED),
    }
)


def is_intake(user: Any) -> bool:
    return bool(user.is_active and user.has_perm("feedback.triage_report"))


def official_agency_id(user: Any) -> int | None:
    """The agency an official works for (cached on the user object per request)."""
    if not user.is_active or not user.has_perm("feedback.process_report"):
        return None
    if not hasattr(user, "_official_agency_id"):
        official = Official.objects.filter(user=user).only("agency_id").first()
        user._official_agency_id = official.agency_id if official else None
    agency_id: int | None = user._official_agency_id
    return agency_id


def can_view_report(user: Any, report: Report) -> bool:
    """Same rule as ``Report.objects.visible_to`` for one loaded report."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser or is_intake(user):
        return True
    agency_id = official_agency_id(user)
    return agency_id is not None and report.agency_id == agency_id


def can_view_personal_data(user: Any, report: Report) -> bool:
    """Full name, ID number, phone and email: the reporter, or an official who
    may open the report and whose role carries the personal-data permission."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if report.reporter_id is not None and report.reporter_id == user.pk:
        return True
    return user.has_perm("feedback.view_personal_data") and can_view_report(
        user, report
    )


def allowed_moves(user: Any, report: Report) -> list[str]:
    """Statuses this user may move this report to, in workflow order."""
    if not can_view_report(user, report):
        return []
    current = report.status
    moves: set[str] = set()
    if user.is_superuser:
        moves = set(report.allowed_transitions())
    else:
        if is_intake(user):
            moves |= {to for (frm, to) in INTAKE_MOVES if frm == current}
        if official_agency_id(user) is not None:
            moves |= {to for (frm, to) in OFFICIAL_MOVES if frm == current}
        moves &= set(report.allowed_transitions())
    return [value for value in Status.values if value in moves]


def can_publish(user: Any, report: Report) -> bool:
    """Publishing the answer: intake, or the official of the report's agency."""
    if not can_view_report(user, report):
        return False
    return bool(user.is_superuser or is_intake(user) or official_agency_id(user))


def can_export(user: Any) -> bool:
    return bool(
        user.is_active
        and (user.is_superuser or user.has_perm("feedback.export_report"))
    )


def can_set_photo_public(user: Any, report: Report) -> bool:
    """Making a citizen's photo public: an official who may open the report and
    whose role may change attachments (intake, the report's agency)."""
    return can_view_report(user, report) and bool(
        user.is_superuser or user.has_perm("feedback.change_attachment")
    )
