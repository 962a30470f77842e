"""The statistics summary gets the report's commune as a dimension.

/thong-ke/ shows figures per commune and filters every figure by one commune, so
both summary tables are keyed by day (month) × status × category × agency ×
commune ("" for a report without one). The triggers of 0003 are made again with
the new key by the same code (0003's functions take the dimensions), and the
summary is refilled from the reports, like 0003 did.
"""

from __future__ import annotations

import importlib

from django.db import migrations, models

# The migration module's name starts with a digit: no plain import.
triggers = importlib.import_module("stats.migrations.0003_report_summary_triggers")

DIMENSIONS = (*triggers.DIMENSIONS, ("commune_code", "commune_id", "''"))


def _run(schema_editor, statements: list[str]) -> None:
    for statement in statements:
        schema_editor.execute(statement, params=None)


def _install(schema_editor, dims) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, triggers.pg_install(dims))
    elif vendor == "sqlite":
        _run(schema_editor, triggers.sqlite_install(dims))
    else:
        raise RuntimeError(f"No statistics triggers for {vendor}")


def drop_triggers(apps, schema_editor):
    """No trigger may write with the old key while the tables change (on SQLite,
    rebuilding a table that a trigger names would fail)."""
    triggers.uninstall(apps, schema_editor)


def install_old(apps, schema_editor):
    _install(schema_editor, triggers.DIMENSIONS)


def install_new(apps, schema_editor):
    _install(schema_editor, DIMENSIONS)


def drop_and_empty(apps, schema_editor):
    """Backwards: the rows of several communes would collide in the old key; the
    old triggers fill the summary again at the end."""
    triggers.uninstall(apps, schema_editor)
    _run(
        schema_editor,
        [f"DELETE FROM {triggers.SUMMARY}", f"DELETE FROM {triggers.MONTHS}"],
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
        migrations.RunPython(install_new, drop_and_empty),
    ]
