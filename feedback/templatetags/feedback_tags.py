"""Template pieces other apps' pages show without importing feedback code."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from feedback import calendar
from feedback.models import Report, Status

register = template.Library()

MY_REPORTS_SHOWN = 50


@register.inclusion_tag("feedback/includes/my_reports.html")
def my_reports(user: Any) -> dict[str, Any]:
    """The account's reports, newest first, each with what waits for the reporter.

    One query however many there are (the rating comes in the same join).
    """
    reports = list(
        Report.objects.of_reporter(user)
        .select_related("category", "rating")
        .only(
            "code", "title", "status", "created_at", "deadline", "category__name",
            "rating__satisfied",
        )
        .order_by("-created_at")[: MY_REPORTS_SHOWN + 1]
    )  # fmt: skip
    for report in reports:
        report.waiting_for_reporter = _waiting_for_reporter(report)  # type: ignore[attr-defined]
    return {
        "reports": reports[:MY_REPORTS_SHOWN],
        "more": len(reports) > MY_REPORTS_SHOWN,
    }


@register.filter
def status_badge(report: Report) -> SafeString:
    """The report's status as a badge, coloured by status (site.css). A filter,
    not an included template: the public list shows twenty."""
    return format_html(
        '<span class="badge status-badge status-{}">{}</span>',
        report.status,
        report.get_status_display(),
    )


@register.filter(name="deadline")
def deadline_filter(value: datetime | None) -> str:
    """A deadline as people read it: "06/03/2026", or "15:30 06/03/2026" when it
    falls inside an office day (working hours apply)."""
    return calendar.format_deadline(value)


def _waiting_for_reporter(report: Report) -> str:
    if report.status == Status.RESOLVED and not hasattr(report, "rating"):
        return str(_("Đã có kết quả trả lời: mời Ông/Bà xem và đánh giá."))
    return ""
