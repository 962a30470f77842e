"""The statistics summary gets the report's commune as a dimension.

/thong-ke/ shows figures per commune and filters every figure by one commune, so
the summary tables are keyed by day (month, year) × status × category × agency ×
commune ("" for a report without one). With the commune the month table grows to
~100,000 rows at a million reports, so a year table is added: the page over all
time adds up ~15,000 rows. The triggers of 0003 are made again with the new key
and the year table by the same code (0003's functions take the dimensions and
the rollups), and the summary is refilled from the reports, like 0003 did.
"""

from __future__ import annotations

import importlib

from django.db import migrations, models

# The migration module's name starts with a digit: no plain import.
triggers = importlib.import_module("stats.migrations.0003_report_summary_triggers")

DIMENSIONS = (*triggers.DIMENSIONS, ("commune_code", "commune_id", "''"))
YEARS = "stats_reportyearsummary"
ROLLUPS = (
    *triggers.ROLLUPS,
    (YEARS, "year", "date_trunc('year', day)::date", "date(day, 'start of year')"),
)


def _run(schema_editor, statements: list[str]) -> None:
    for statement in statements:
        schema_editor.execute(statement, params=None)


def _install(schema_editor, dims, rollups) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, triggers.pg_install(dims, rollups))
    elif vendor == "sqlite":
        _run(schema_editor, triggers.sqlite_install(dims, rollups))
    else:
        raise RuntimeError(f"No statistics triggers for {vendor}")


def drop_triggers(apps, schema_editor):
    """No trigger may write with the old key while the tables change (on SQLite,
    rebuilding a table that a trigger names would fail)."""
    triggers.uninstall(apps, schema_editor)


def install_old(apps, schema_editor):
    _install(schema_editor, triggers.DIMENSIONS, triggers.ROLLUPS)


def install_new(apps, schema_editor):
    _install(schema_editor, DIMENSIONS, ROLLUPS)


def drop_and_empty(apps, schema_editor):
    """Backwards: the rows of several communes would collide in the old key; the
    old triggers fill the summary again at the end."""
    triggers.uninstall(apps, schema_editor)
    _run(
        schema_editor,
        [f"DELETE FROM {t}" for t in (triggers.SUMMARY, triggers.MONTHS, YEARS)],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0016_merge_daily"),
        ("places", "0001_administrative_units"),
        ("stats", "0003_report_summary_triggers"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, install_old),
        migrations.RemoveConstraint(
            model_name="reportmonthsummary", name="report_month_summary_key"
        ),
        migrations.RemoveConstraint(model_name="reportsummary", name="report_summary_key"),
        migrations.AddField(
            model_name="reportmonthsummary",
            name="commune_code",
            field=models.CharField(default="", max_length=5, verbose_name="xã/phường"),
        ),
        migrations.AddField(
            model_name="reportsummary",
            name="commune_code",
            field=models.CharField(default="", max_length=5, verbose_name="xã/phường"),
        ),
        migrations.AddIndex(
            model_name="reportmonthsummary",
            index=models.Index(
                fields=["commune_code", "month"], name="month_summary_commune"
            ),
        ),
        migrations.AddIndex(
            model_name="reportsummary",
            index=models.Index(fields=["commune_code", "day"], name="summary_commune"),
        ),
        migrations.AddConstraint(
            model_name="reportmonthsummary",
            constraint=models.UniqueConstraint(
                fields=("month", "status", "category_id", "agency_id", "commune_code"),
                name="report_month_summary_key",
            ),
        ),
        migrations.AddConstraint(
            model_name="reportsummary",
            constraint=models.UniqueConstraint(
                fields=("day", "status", "category_id", "agency_id", "commune_code"),
                name="report_summary_key",
            ),
        ),
        migrations.CreateModel(
            name="ReportYearSummary",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("status", models.CharField(max_length=16, verbose_name="trạng thái")),
                ("category_id", models.IntegerField(default=0, verbose_name="lĩnh vực")),
                ("agency_id", models.IntegerField(default=0, verbose_name="cơ quan xử lý")),
                ("commune_code", models.CharField(default="", max_length=5, verbose_name="xã/phường")),
                ("count", models.BigIntegerField(default=0, verbose_name="số phản ánh")),
                ("on_time", models.BigIntegerField(default=0, verbose_name="trả lời đúng hạn")),
                ("late", models.BigIntegerField(default=0, verbose_name="trả lời trễ hạn")),
                ("answered", models.BigIntegerField(default=0, verbose_name="đã trả lời có thời điểm")),
                ("answer_seconds", models.BigIntegerField(default=0, verbose_name="tổng số giây trả lời")),
                ("answer_workdays", models.BigIntegerField(default=0, verbose_name="tổng số ngày làm việc trả lời")),
                ("rated", models.BigIntegerField(default=0, verbose_name="số đánh giá")),
                ("satisfied", models.BigIntegerField(default=0, verbose_name="số đánh giá hài lòng")),
                ("year", models.DateField(verbose_name="năm gửi")),
            ],
            options={
                "verbose_name": "tổng hợp phản ánh theo năm",
                "verbose_name_plural": "tổng hợp phản ánh theo năm",
                "default_permissions": (),
                "indexes": [models.Index(fields=["commune_code", "year"], name="year_summary_commune")],
                "constraints": [
                    models.UniqueConstraint(fields=("year", "status", "category_id", "agency_id", "commune_code"), name="report_year_summary_key")
                ],
            },
        ),
        migrations.RunPython(install_new, drop_and_empty),
    ]
