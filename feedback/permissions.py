"""Who may do what with a report: the one place officials' access is decided.

Reads go through ``Report.objects.visible_to(user)`` (the per-agency rule); the
helpers here answer the per-object questions the admin and views ask.
"""

from __future__ import annotations

from typing import Any

from feedback.models import Official, Report

INTAKE_GROUP = "Cán bộ tiếp nhận"
OFFICIAL_GROUP = "Cán bộ xử lý"
EDITOR_GROUP = "Biên tập viên"

# The roles of the workflow table (feedback/workflow.py): who may make a move.
INTAKE = "intake"  # intake officers triage and route every report
OFFICIAL = "official"  # an agency official works the reports routed to it
REPORTER = "reporter"  # the citizen who filed the report, with an account


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


def roles_of(user: Any, report: Report) -> frozenset[str]:
    """The workflow roles ``user`` holds for ``report`` (none: no move)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    roles: set[str] = set()
    if report.reporter_id is not None and report.reporter_id == user.pk:
        roles.add(REPORTER)
    if user.is_superuser:
        return frozenset(roles | {INTAKE, OFFICIAL})
    if is_intake(user):
        roles.add(INTAKE)
    agency_id = official_agency_id(user)
    if agency_id is not None and report.agency_id == agency_id:
        roles.add(OFFICIAL)
    return frozenset(roles)


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
