"""The working-day index the summary triggers read (stats.models.WorkingDayIndex).

n(day) counts the working days from FIRST_DAY to ``day`` inclusive, so an answer
filed on day c and given on day r took n(r) - n(c) working days (0 on the same
day). Which days are working days is the working calendar's question
(portal.lib.workdays): a day is one when the first working day after the day
before is the day itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from portal.lib.workdays import WorkCalendar

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2060, 12, 31)


def calendar_from(exceptions: Any) -> WorkCalendar:
    """The working calendar with the rows of ``exceptions`` (WorkCalendarDay, or
    its migration state): the same days feedback.calendar works with."""
    rows = list(exceptions.objects.values_list("day", "is_working_day"))
    return WorkCalendar(
        days_off=[day for day, working in rows if not working],
        working_days=[day for day, working in rows if working],
    )


def index_rows(
    calendar: WorkCalendar, first: date = FIRST_DAY, last: date = LAST_DAY
) -> Iterator[tuple[date, int]]:
    n = 0
    day = first
    while day <= last:
        if calendar.is_working_day(day):
            n += 1
        yield day, n
        day += timedelta(days=1)


def refill(model: Any, calendar: WorkCalendar) -> int:
    """Replace every row of ``model`` (WorkingDayIndex, or its migration state)."""
    model.objects.all().delete()
    rows = [model(day=day, n=n) for day, n in index_rows(calendar)]
    model.objects.bulk_create(rows, batch_size=5_000)
    return len(rows)
