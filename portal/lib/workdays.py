"""Vietnam's working calendar: the deadline for this start, this many working
days or working hours.

A working day is Monday to Friday, except the public holidays (the ``holidays``
package, country VN: Tết Dương lịch, Tết Nguyên Đán, Giỗ Tổ Hùng Vương, 30/4, 1/5,
Quốc khánh ...) and the extra days off the Government announces each year, plus
the weekend days announced as working days (làm bù). Working hours are the office
periods of a working day (by default 7:30–11:30 and 13:30–17:00).

The yearly exceptions are data (``WorkCalendarDay`` in feedback); this module only
takes them as arguments, so it imports no app.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

import holidays
from django.utils import timezone

DEFAULT_OFFICE_HOURS: tuple[tuple[time, time], ...] = (
    (time(7, 30), time(11, 30)),
    (time(13, 30), time(17, 0)),
)
# A calendar with no working day for ten years is a misconfiguration, not a date.
MAX_DAYS = 3660


@cache
def _public_holidays() -> Any:
    # expand=True: years are added as dates of new years are asked about.
    return holidays.country_holidays("VN")


def parse_office_hours(text: str) -> tuple[tuple[time, time], ...]:
    """ "07:30-11:30,13:30-17:00" -> the periods; ValueError with the reason."""
    periods: list[tuple[time, time]] = []
    for part in text.split(","):
        start_text, sep, end_text = part.strip().partition("-")
        if not sep:
            raise ValueError(f"{part!r} is not START-END")
        start = time.fromisoformat(start_text.strip().zfill(5))
        end = time.fromisoformat(end_text.strip().zfill(5))
        if end <= start or (periods and start < periods[-1][1]):
            raise ValueError(f"{part!r}: periods must be ordered and not overlap")
        periods.append((start, end))
    if not periods:
        raise ValueError("no office period")
    return tuple(periods)


class WorkCalendar:
    """Working days and hours, given the year's announced exceptions."""

    def __init__(
        self,
        *,
        days_off: Iterable[date] = (),
        working_days: Iterable[date] = (),
        office_hours: tuple[tuple[time, time], ...] = DEFAULT_OFFICE_HOURS,
    ) -> None:
        self.days_off = frozenset(days_off)
        self.working_days = frozenset(working_days)
        self.office_hours = office_hours

    def is_working_day(self, day: date) -> bool:
        if day in self.working_days:
            return True
        if day in self.days_off or day.weekday() >= 5:
            return False
        return day not in _public_holidays()

    def _at(self, day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, tzinfo=timezone.get_default_timezone())

    def close_of(self, day: date) -> datetime:
        """The end of the office day ``day`` (17:00 by default), aware."""
        return self._at(day, self.office_hours[-1][1])

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The close of the ``days``-th working day after the day of ``start``.

        "Within 10 working days" of an acceptance on Friday 13/02/2026 (Tết break
        14–22/02) ends at 17:00 on Friday 06/03/2026.
        """
        day = timezone.localdate(start)
        remaining = days
        for _step in range(MAX_DAYS):
            if remaining <= 0:
                return self.close_of(day)
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        raise ValueError("no working day found: check the working calendar")

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """The moment ``hours`` office hours after ``start``.

        Time outside office hours does not count; a deadline that uses up a
        period exactly ends at that period's end (11:30, not 13:30).
        """
        remaining = timedelta(hours=hours)
        moment = timezone.localtime(start)
        day = moment.date()
        for _step in range(MAX_DAYS):
            if self.is_working_day(day):
                for opens, closes in self.office_hours:
                    begin = max(moment, self._at(day, opens))
                    end = self._at(day, closes)
                    if begin >= end:
                        continue
                    if remaining <= end - begin:
                        return begin + remaining
                    remaining -= end - begin
            day += timedelta(days=1)
            moment = self._at(day, time.min)
        raise ValueError("no working day found: check the working calendar")
