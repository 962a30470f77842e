"""Report.deadline becomes a moment: a date deadline ends at the close of that
working day (17:00 local by default); a new report without one gets its intake
deadline (INTAKE_WORKING_HOURS after filing)."""

from datetime import datetime, time

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

from portal.lib.workdays import WorkCalendar

BATCH = 2_000


def _calendar(apps):
    WorkCalendarDay = apps.get_model("feedback", "WorkCalendarDay")
    rows = list(WorkCalendarDay.objects.values_list("day", "is_working_day"))
    return WorkCalendar(
        days_off=[d for d, working in rows if not working],
        working_days=[d for d, working in rows if working],
        office_hours=settings.OFFICE_HOURS,
    )


def forwards(apps, schema_editor):
    Report = apps.get_model("feedback", "Report")
    close: time = settings.OFFICE_HOURS[-1][1]
    tz = timezone.get_default_timezone()
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "UPDATE feedback_report SET deadline_at = (deadline + %s::time)"
                " AT TIME ZONE %s WHERE deadline IS NOT NULL",
                [close.isoformat(), settings.TIME_ZONE],
            )
    else:
        batch = []
        dated = Report.objects.filter(deadline__isnull=False).only("pk", "deadline")
        for report in dated.iterator(chunk_size=BATCH):
            report.deadline_at = datetime.combine(report.deadline, close, tzinfo=tz)
            batch.append(report)
            if len(batch) >= BATCH:
                Report.objects.bulk_update(batch, ["deadline_at"])
                batch = []
        Report.objects.bulk_update(batch, ["deadline_at"])
    calendar = _calendar(apps)
    batch = []
    waiting = Report.objects.filter(status="new", deadline__isnull=True).only(
        "pk", "created_at"
    )
    for report in waiting.iterator(chunk_size=BATCH):
        report.deadline_at = calendar.add_working_hours(
            report.created_at, settings.INTAKE_WORKING_HOURS
        )
        batch.append(report)
        if len(batch) >= BATCH:
            Report.objects.bulk_update(batch, ["deadline_at"])
            batch = []
    Report.objects.bulk_update(batch, ["deadline_at"])


def backwards(apps, schema_editor):
    Report = apps.get_model("feedback", "Report")
    batch = []
    for report in Report.objects.filter(deadline_at__isnull=False).only(
        "pk", "deadline_at"
    ):
        report.deadline = timezone.localdate(report.deadline_at)
        batch.append(report)
    Report.objects.bulk_update(batch, ["deadline"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("feedback", "0007_seed_working_calendar_2026")]

    operations = [
        migrations.RemoveIndex(model_name="report", name="report_open_deadline"),
        migrations.AddField(
            model_name="report",
            name="deadline_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="hạn xử lý"),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
        migrations.RemoveField(model_name="report", name="deadline"),
        migrations.RenameField(
            model_name="report", old_name="deadline_at", new_name="deadline"
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                condition=models.Q(("status__in", ["new", "accepted", "in_progress"])),
                fields=["deadline"],
                include=("agency", "created_at"),
                name="report_open_deadline",
            ),
        ),
    ]
