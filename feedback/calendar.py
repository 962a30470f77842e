"""The portal's working calendar: portal/lib/workdays.py with the settings' office
hours and the exceptions officials edit in admin ("Lịch làm việc").

The exceptions are read once and kept in the process; a change to them bumps a
version in the shared cache, which every process checks at most every few
seconds. Deadlines computed in a loop therefore cost no query per report.
"""

from __future__ import annotations

import time as clock
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from portal.lib.workdays import WorkCalendar

VERSION_KEY = "feedback:calendar:version"
CHECK_EVERY = 5.0  # seconds between two looks at the shared version

_memo: dict[str, Any] = {"calendar": None, "version": None, "checked": 0.0}


def _load() -> WorkCalendar:
    from feedback.models import WorkCalendarDay

    rows = list(WorkCalendarDay.objects.values_list("day", "is_working_day"))
    return WorkCalendar(
        days_off=[day for day, working in rows if not working],
        working_days=[day for day, working in rows if working],
        office_hours=settings.OFFICE_HOURS,
    )


def working_calendar() -> WorkCalendar:
    """The calendar with the current exceptions (cached, see the module doc)."""
    now = clock.monotonic()
    current = _memo["calendar"]
    if current is not None and now - _memo["checked"] < CHECK_EVERY:
        return current
    version = cache.get(VERSION_KEY)
    if current is None or version != _memo["version"]:
        current = _load()
        _memo.update(calendar=current, version=version)
    _memo["checked"] = now
    return current


def forget() -> None:
    """Drop the cached exceptions here and, through the version, everywhere."""
    _memo.update(calendar=None, version=None, checked=0.0)
    cache.set(VERSION_KEY, clock.time_ns(), timeout=None)


@receiver(post_save, sender="feedback.WorkCalendarDay", dispatch_uid="calendar_saved")
@receiver(
    post_delete, sender="feedback.WorkCalendarDay", dispatch_uid="calendar_deleted"
)
def _exceptions_changed(sender: Any, **kwargs: Any) -> None:
    forget()
    # Again after commit: a process may have re-read the old rows in between.
    transaction.on_commit(forget)


def intake_deadline(filed_at: datetime) -> datetime:
    """When a report filed at ``filed_at`` must be accepted or rejected."""
    return working_calendar().add_working_hours(filed_at, settings.INTAKE_WORKING_HOURS)


def processing_deadline(start: datetime, days: int) -> datetime:
    """When an answer is due, ``days`` working days after ``start``."""
    return working_calendar().add_working_days(start, days)


def urgent_deadline(start: datetime, hours: int | None = None) -> datetime:
    """When an urgent report's answer is due (working hours)."""
    return working_calendar().add_working_hours(
        start, hours or settings.URGENT_WORKING_HOURS
    )


def due_soon_horizon(now: datetime) -> datetime:
    """Deadlines up to this moment are "due soon" (end of the N-th working day)."""
    return working_calendar().add_working_days(
        now, settings.DEADLINE_WARNING_WORKING_DAYS
    )


def shows_time(deadline: datetime) -> bool:
    """A deadline at the close of an office day reads as a date alone."""
    local = timezone.localtime(deadline)
    return local.time() != settings.OFFICE_HOURS[-1][1]


def format_deadline(deadline: datetime | None) -> str:
    """ "06/03/2026", or "15:30 06/03/2026" when working hours apply."""
    if deadline is None:
        return ""
    local = timezone.localtime(deadline)
    if shows_time(deadline):
        return f"{local:%H:%M} {local:%d/%m/%Y}"
    return f"{local:%d/%m/%Y}"
