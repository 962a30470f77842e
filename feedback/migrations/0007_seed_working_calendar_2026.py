"""The 2026 exceptions to the working calendar, as announced for civil servants.

Weekdays only (weekends are days off anyway), plus the one Saturday worked.
Some of these days are statutory holidays the ``holidays`` package knows too; they
are listed so that officials see the whole arrangement of each break in admin.
Sources: Tết Bính Ngọ 14–22/02/2026 (Thông báo of the Ministry of Home Affairs,
reported e.g. by congan.com.vn "Chính thức chốt phương án Tết Nguyên đán Bính Ngọ
2026 nghỉ 9 ngày"); Giỗ Tổ Hùng Vương on Sunday 26/04 is taken on Monday 27/04
(Labour Code art. 112); Quốc khánh 2026: Monday 31/08 off in exchange for Saturday
22/08 worked, with 01–02/09 (as in python-holidays' Vietnam calendar, citing
thuvienphapluat.vn).
"""

from datetime import date

from django.db import migrations

TET = "Nghỉ Tết Nguyên đán Bính Ngọ (công chức nghỉ từ 14/02 đến hết 22/02/2026)"
DAYS_2026: list[tuple[date, bool, str]] = [
    (date(2026, 2, 16), False, TET),
    (date(2026, 2, 17), False, TET),
    (date(2026, 2, 18), False, TET),
    (date(2026, 2, 19), False, TET),
    (date(2026, 2, 20), False, TET),
    (
        date(2026, 4, 27),
        False,
        "Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch là Chủ nhật 26/04/2026)",
    ),
    (date(2026, 4, 30), False, "Ngày Chiến thắng 30/4 (nghỉ từ 30/04 đến 03/05/2026)"),
    (date(2026, 5, 1), False, "Ngày Quốc tế Lao động 1/5 (nghỉ từ 30/04 đến 03/05/2026)"),
    (date(2026, 8, 22), True, "Làm bù cho ngày nghỉ thứ Hai 31/08/2026"),
    (
        date(2026, 8, 31),
        False,
        "Nghỉ Quốc khánh, hoán đổi với thứ Bảy 22/08/2026 (nghỉ từ 29/08 đến 02/09)",
    ),
    (date(2026, 9, 1), False, "Quốc khánh 2/9 (nghỉ từ 29/08 đến 02/09/2026)"),
    (date(2026, 9, 2), False, "Quốc khánh 2/9 (nghỉ từ 29/08 đến 02/09/2026)"),
]


def seed(apps, schema_editor):
    WorkCalendarDay = apps.get_model("feedback", "WorkCalendarDay")
    for day, working, reason in DAYS_2026:
        WorkCalendarDay.objects.get_or_create(
            day=day, defaults={"is_working_day": working, "reason": reason}
        )


def unseed(apps, schema_editor):
    WorkCalendarDay = apps.get_model("feedback", "WorkCalendarDay")
    WorkCalendarDay.objects.filter(day__in=[d for d, _w, _r in DAYS_2026]).delete()


class Migration(migrations.Migration):
    dependencies = [("feedback", "0006_working_calendar_and_urgent_reports")]

    operations = [migrations.RunPython(seed, unseed)]
