"""Deadlines by Vietnam's working calendar: holidays, announced exceptions, hours."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client

from feedback import calendar
from feedback.models import Report, Status, WorkCalendarDay
from tests.factories import CategoryFactory, ReportFactory

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def _fresh_calendar() -> Iterator[None]:
    """Each test reads the exceptions of its own database state."""
    calendar.forget()
    yield
    calendar.forget()


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VN)


def days(start: datetime, n: int) -> datetime:
    return calendar.processing_deadline(start, n)


def hours(start: datetime, n: float) -> datetime:
    return calendar.working_calendar().add_working_hours(start, n)


# -- working days ---------------------------------------------------------------


def test_accepted_before_tet_2026_gets_ten_working_days_after_the_break() -> None:
    # Friday 13/02/2026; civil servants are off from Saturday 14/02 to Sunday 22/02.
    assert days(at(2026, 2, 13, 10), 10) == at(2026, 3, 6, 17)


def test_tet_is_known_without_the_exceptions_table() -> None:
    """The holidays package alone knows Tết (lunar): the seeded rows only make
    the whole break visible to officials."""
    WorkCalendarDay.objects.all().delete()
    calendar.forget()
    assert days(at(2026, 2, 13, 10), 10) == at(2026, 3, 6, 17)
    # Giỗ Tổ Hùng Vương 2027 (10/3 lunar) is Friday 16/04/2027: no row needed.
    assert days(at(2027, 4, 15), 1) == at(2027, 4, 19, 17)


def test_gio_to_hung_vuong_and_30_4_1_5_in_2026() -> None:
    # Giỗ Tổ is Sunday 26/04/2026, taken on Monday 27/04; 30/04 and 01/05 follow.
    assert days(at(2026, 4, 24), 1) == at(2026, 4, 28, 17)
    assert days(at(2026, 4, 24), 2) == at(2026, 4, 29, 17)
    assert days(at(2026, 4, 24), 3) == at(2026, 5, 4, 17)
    assert days(at(2026, 4, 29), 1) == at(2026, 5, 4, 17)


def test_national_day_2026_with_its_swapped_saturday() -> None:
    # Saturday 22/08/2026 is worked, Monday 31/08 is off instead; 01–02/09 holidays.
    assert days(at(2026, 8, 21), 1) == at(2026, 8, 22, 17)
    assert days(at(2026, 8, 21), 2) == at(2026, 8, 24, 17)
    assert days(at(2026, 8, 28), 1) == at(2026, 9, 3, 17)


def test_exceptions_table_swaps_a_saturday_and_adds_a_day_off() -> None:
    friday = at(2026, 12, 4, 10)
    assert days(friday, 1) == at(2026, 12, 7, 17)  # Monday, before any row
    WorkCalendarDay.objects.create(
        day=date(2026, 12, 5), is_working_day=True, reason="Làm bù (thử)"
    )
    WorkCalendarDay.objects.create(
        day=date(2026, 12, 7), is_working_day=False, reason="Nghỉ bù (thử)"
    )
    # The cached calendar follows the change at once in this process.
    assert days(friday, 1) == at(2026, 12, 5, 17)  # the swapped Saturday
    assert days(friday, 2) == at(2026, 12, 8, 17)  # Monday is off
    assert hours(at(2026, 12, 5, 7), 1) == at(2026, 12, 5, 8, 30)
    WorkCalendarDay.objects.filter(day=date(2026, 12, 5)).delete()
    assert days(friday, 1) == at(2026, 12, 8, 17)


def test_deadlines_in_a_loop_read_the_exceptions_once(
    django_assert_max_num_queries: Any,
) -> None:
    with django_assert_max_num_queries(1):
        results = {days(at(2026, 2, d), 10) for d in range(2, 28)}
    assert at(2026, 3, 6, 17) in results


# -- working hours --------------------------------------------------------------


def test_working_hours_end_exactly_on_office_boundaries() -> None:
    monday = (2026, 12, 7)
    assert hours(at(*monday, 7, 30), 4) == at(*monday, 11, 30)  # not 13:30
    assert hours(at(*monday, 13, 30), 3.5) == at(*monday, 17, 0)  # not next day
    assert hours(at(*monday, 11, 30), 1) == at(*monday, 14, 30)  # lunch skipped
    assert hours(at(*monday, 12, 15), 0.5) == at(*monday, 14, 0)
    assert hours(at(*monday, 17, 0), 1) == at(2026, 12, 8, 8, 30)


def test_intake_deadline_spans_lunch_and_the_weekend() -> None:
    # Eight working hours from Friday 15:00: 2 h Friday, 6 h Monday.
    assert calendar.intake_deadline(at(2026, 12, 4, 15)) == at(2026, 12, 7, 15, 30)
    # From Friday 11:00: 0.5 h + 3.5 h Friday, 4 h Monday morning -> 11:30.
    assert calendar.intake_deadline(at(2026, 12, 4, 11)) == at(2026, 12, 7, 11, 30)
    # Filed on Saturday: Monday's office day is 7.5 h, so Tuesday 08:00.
    assert calendar.intake_deadline(at(2026, 12, 5, 10)) == at(2026, 12, 8, 8)
    # Filed the evening before the Tết break: counted from Monday 23/02.
    assert calendar.intake_deadline(at(2026, 2, 13, 20)) == at(2026, 2, 24, 8)


def test_office_hours_come_from_settings(settings: Any) -> None:
    settings.OFFICE_HOURS = ((time(8), time(12)), (time(13), time(17)))
    calendar.forget()
    assert hours(at(2026, 12, 7, 8), 4) == at(2026, 12, 7, 12)
    assert hours(at(2026, 12, 7, 8), 5) == at(2026, 12, 7, 14)


# -- reports --------------------------------------------------------------------


def test_every_new_report_gets_its_intake_deadline() -> None:
    report = ReportFactory(created_at=at(2026, 12, 4, 15))
    assert report.deadline == at(2026, 12, 7, 15, 30)
    report.refresh_from_db()
    assert report.deadline == at(2026, 12, 7, 15, 30)


def test_accepting_starts_the_category_processing_time() -> None:
    category = CategoryFactory(processing_days=5)
    report = ReportFactory(category=category)
    report.transition(Status.ACCEPTED, by=None)
    report.refresh_from_db()
    assert report.accepted_at is not None
    assert report.deadline == days(report.accepted_at, 5)
    assert calendar.format_deadline(report.deadline).count("/") == 2


def test_urgent_category_gives_working_hours(settings: Any) -> None:
    settings.URGENT_WORKING_HOURS = 4
    urgent = CategoryFactory(is_urgent=True)
    report = ReportFactory(category=urgent)
    assert report.is_urgent
    report.transition(Status.ACCEPTED, by=None)
    report.refresh_from_db()
    assert report.accepted_at is not None
    assert report.deadline == hours(report.accepted_at, 4)
    own = CategoryFactory(is_urgent=True, urgent_hours=2)
    quick = ReportFactory(category=own)
    quick.transition(Status.ACCEPTED, by=None)
    quick.refresh_from_db()
    assert quick.accepted_at is not None
    assert quick.deadline == hours(quick.accepted_at, 2)


def test_deadline_reads_as_a_date_or_a_time_and_date() -> None:
    assert calendar.format_deadline(at(2026, 3, 6, 17)) == "06/03/2026"
    assert calendar.format_deadline(at(2026, 2, 23, 15, 30)) == "15:30 23/02/2026"
    assert calendar.format_deadline(None) == ""


def test_report_page_shows_the_deadline_never_a_rule(client: Client) -> None:
    report = ReportFactory(created_at=at(2026, 12, 4, 15), allow_publish=True)
    html = client.get(f"/phan-anh/{report.code}/").content.decode()
    assert "Tính từ ngày tiếp nhận" not in html
    assert "Hạn tiếp nhận" in html
    assert "15:30 07/12/2026" in html


def test_overdue_and_due_soon_are_one_definition() -> None:
    report = ReportFactory()
    Report.objects.filter(pk=report.pk).update(
        status=Status.ACCEPTED, deadline=at(2026, 9, 3, 17)
    )
    friday = at(2026, 8, 28, 9)
    assert list(Report.objects.due_soon(friday)) == [report]
    assert not Report.objects.overdue(friday).exists()
    report.refresh_from_db()
    assert report.is_due_soon(friday) and not report.is_overdue(friday)
    # From Thursday 27/08 it is the 2nd working day ahead (31/08–02/09 off);
    # from Wednesday 26/08 the 3rd, not yet due soon.
    assert Report.objects.due_soon(at(2026, 8, 27, 9)).exists()
    assert not Report.objects.due_soon(at(2026, 8, 26, 9)).exists()
    after = at(2026, 9, 3, 17, 1)
    assert list(Report.objects.overdue(after)) == [report]
    assert not Report.objects.due_soon(after).exists()
    Report.objects.filter(pk=report.pk).update(status=Status.RESOLVED)
    assert not Report.objects.overdue(after).exists()


def test_intake_officers_edit_the_working_calendar(intake_officer: Any) -> None:
    group = Group.objects.get(name="Cán bộ tiếp nhận")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {
        "view_workcalendarday",
        "add_workcalendarday",
        "change_workcalendarday",
        "delete_workcalendarday",
    } <= codenames
    client = Client()
    client.force_login(intake_officer)
    response = client.post(
        "/admin/feedback/workcalendarday/add/",
        {"day": "12/12/2026", "is_working_day": "on", "reason": "Làm bù (thử)"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert WorkCalendarDay.objects.get(day=date(2026, 12, 12)).is_working_day
    page = client.get("/admin/feedback/workcalendarday/").content.decode()
    assert "12/12/2026" in page and "Thứ Bảy" in page
    # The seeded 2026 arrangement is listed too.
    assert WorkCalendarDay.objects.filter(
        day=date(2026, 8, 22), is_working_day=True
    ).exists()


def test_a_day_off_added_later_moves_open_deadlines(intake_officer: Any) -> None:
    """The Government announces a day off after reports were accepted: their
    deadlines follow; answered reports keep theirs."""
    open_report = ReportFactory()
    done = ReportFactory()
    Report.objects.filter(pk__in=[open_report.pk, done.pk]).update(
        status=Status.ACCEPTED,
        accepted_at=at(2026, 12, 14, 10),
        deadline=at(2026, 12, 28, 17),  # 10 working days after Monday 14/12
    )
    Report.objects.filter(pk=done.pk).update(status=Status.RESOLVED)
    client = Client()
    client.force_login(intake_officer)
    response = client.post(
        "/admin/feedback/workcalendarday/add/",
        {"day": "24/12/2026", "reason": "Nghỉ đột xuất (thử)"},
        follow=True,
    )
    assert "Đã tính lại hạn của 1 phản ánh." in response.content.decode()
    open_report.refresh_from_db()
    done.refresh_from_db()
    assert open_report.deadline == at(2026, 12, 29, 17)
    assert done.deadline == at(2026, 12, 28, 17)
    row = WorkCalendarDay.objects.get(day=date(2026, 12, 24))
    client.post(f"/admin/feedback/workcalendarday/{row.pk}/delete/", {"post": "yes"})
    open_report.refresh_from_db()
    assert open_report.deadline == at(2026, 12, 28, 17)


def test_recompute_command_refuses_a_bad_date() -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("recompute_deadlines", since="24/12/2026")
    out = io.StringIO()
    call_command("recompute_deadlines", since="2026-12-01", stdout=out)
    assert "Đã tính lại hạn của 0 phản ánh." in out.getvalue()
