"""Emails about reports: to the reporter on each decision, to the agency on routing.

Which move sends which email is declared in the workflow table; the workflow
service calls ``send`` after the transaction that made the move commits, so
nothing is sent for a change that rolled back.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from feedback.models import Report, StatusChange
from portal.lib.emails import send_after_commit


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def public_url(report: Report) -> str:
    """The public page of the report (/phan-anh/<code>/), where it can be rated."""
    return absolute(reverse("feedback:detail", kwargs={"code": report.code}))


def admin_url(report: Report) -> str:
    return absolute(reverse("admin:feedback_report_change", args=[report.pk]))


def send(template: str, to: str, report: Report, change: StatusChange) -> None:
    """One workflow email: ``to`` is "reporter" or "agency" (see feedback/workflow.py).

    Called by the workflow service once the move has committed.
    """
    context = {"report": report, "change": change, "public_url": public_url(report)}
    original = report.duplicate_of if report.duplicate_of_id else None
    if original is not None and original.is_public:
        # A duplicate's reporter may follow the original instead.
        context["original"] = original
        context["original_url"] = public_url(original)
    if to == "reporter":
        # In the reporter's language, never the one of the official who acted.
        send_after_commit(
            template,
            "" if report.anonymised_at else report.email,
            context,
            language=report.reporter_language,
        )
    elif to == "agency" and report.agency is not None and report.agency.email:
        send_after_commit(
            template,
            report.agency.email,
            {**context, "agency": report.agency, "admin_url": admin_url(report)},
            language=settings.LANGUAGE_CODE,
        )
