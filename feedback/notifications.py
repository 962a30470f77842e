"""Emails about reports: to the reporter on each decision, to the agency on routing.

Listens to ``report_status_changed``, which is sent only after the transaction that
changed the status commits, so nothing is sent for a change that rolled back.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from feedback.models import Report, Status, StatusChange
from feedback.signals import report_status_changed
from portal.lib.emails import send_after_commit


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def public_url(report: Report) -> str:
    """The public page of the report (/phan-anh/<code>/), where it can be rated."""
    try:
        path = reverse("feedback:detail", kwargs={"code": report.code})
    except NoReverseMatch:  # the public pages are built on another branch
        path = f"/phan-anh/{report.code}/"
    return absolute(path)


def admin_url(report: Report) -> str:
    return absolute(reverse("admin:feedback_report_change", args=[report.pk]))


def on_status_changed(
    sender: Any, *, report: Report, change: StatusChange, **kwargs: Any
) -> None:
    context = {"report": report, "change": change, "public_url": public_url(report)}
    to_reporter = "" if report.anonymised_at else report.email
    # The reporter's emails in the reporter's language, the agency's in the
    # portal's; never in the language of the official who acted.
    language = report.reporter_language
    if change.to_status == Status.ACCEPTED and change.from_status == Status.NEW:
        send_after_commit("report-accepted", to_reporter, context, language=language)
    elif change.to_status == Status.REJECTED:
        send_after_commit("report-rejected", to_reporter, context, language=language)
    elif change.to_status == Status.RESOLVED:
        send_after_commit("report-resolved", to_reporter, context, language=language)
    elif (
        change.to_status == Status.IN_PROGRESS
        and change.from_status == Status.ACCEPTED
        and report.agency is not None
        and report.agency.email
    ):
        send_after_commit(
            "report-routed",
            report.agency.email,
            {**context, "agency": report.agency, "admin_url": admin_url(report)},
            language=settings.LANGUAGE_CODE,
        )


def connect() -> None:
    report_status_changed.connect(
        on_status_changed, sender=Report, dispatch_uid="feedback.notifications"
    )
