"""Officials' control over what the public sees of a report: hide it, redact it.

Both are recorded as ReportEvents (who, when, why), like every official's act.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from feedback.models import Report, ReportEvent
from portal.lib.text import clean_line, clean_text


def set_hidden(*, report: Report, hidden: bool, by: Any, reason: str = "") -> bool:
    """Hide the report from public pages (or show it again); False if unchanged."""
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.is_hidden == hidden:
            return False
        locked.is_hidden = hidden
        locked.save(update_fields=["is_hidden", "updated_at"])
        ReportEvent.objects.create(
            report=locked,
            kind=ReportEvent.Kind.HIDDEN if hidden else ReportEvent.Kind.UNHIDDEN,
            actor=by if getattr(by, "pk", None) else None,
            detail=clean_line(reason)[:500],
        )
    report.is_hidden = hidden
    return True


def redact(*, report: Report, title: str, content: str, by: Any, reason: str) -> bool:
    """Replace the report's public title and content; False if nothing changed."""
    title, content = clean_line(title), clean_text(content)
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        changed = [
            name
            for name, value in (("title", title), ("content", content))
            if getattr(locked, name) != value
        ]
        if not changed:
            return False
        locked.title, locked.content = title, content
        locked.save(update_fields=[*changed, "updated_at"])
        what = {
            "title": _("tiêu đề"),
            "content": _("nội dung"),
        }
        ReportEvent.objects.create(
            report=locked,
            kind=ReportEvent.Kind.REDACTED,
            actor=by if getattr(by, "pk", None) else None,
            detail=(
                _("Đã biên tập %(fields)s: %(reason)s")
                % {
                    "fields": ", ".join(str(what[n]) for n in changed),
                    "reason": clean_line(reason),
                }
            )[:500],
        )
    report.title, report.content = title, content
    return True
