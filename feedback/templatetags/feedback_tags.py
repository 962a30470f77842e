"""Template pieces other apps' pages show without importing feedback code."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template

from feedback import calendar
from feedback.models import Report

register = template.Library()

MY_REPORTS_SHOWN = 50


@register.inclusion_tag("feedback/includes/my_reports.html")
def my_reports(user: Any) -> dict[str, Any]:
    """The account's reports, newest first (one query however many there are)."""
    reports = list(
        Report.objects.of_reporter(user)
        .select_related("category")
        .only("code", "title", "status", "created_at", "category__name")
        .order_by("-created_at")[: MY_REPORTS_SHOWN + 1]
    )
    return {
        "reports": reports[:MY_REPORTS_SHOWN],
        "more": len(reports) > MY_REPORTS_SHOWN,
    }


@register.filter(name="deadline")
def deadline_filter(value: datetime | None) -> str:
    """A deadline as people read it: "06/03/2026", or "15:30 06/03/2026" when it
    falls inside an office day (working hours apply)."""
    return calendar.format_deadline(value)
