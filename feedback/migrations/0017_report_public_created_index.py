"""The partial index of public reports by filing time.

Built with CREATE INDEX CONCURRENTLY on PostgreSQL, so that migrating a live
database does not stop filings while it is built (a few seconds at a million
reports); IF NOT EXISTS lets an operator build it by hand first.
"""

from django.db import migrations, models
from django.db.models import Q

INDEX = models.Index(
    fields=["-created_at", "-id"],
    condition=Q(
        status__in=["accepted", "in_progress", "resolved"],
        allow_publish=True,
        is_hidden=False,
    ),
    name="report_public_created",
)


def create(apps, schema_editor):
    model = apps.get_model("feedback", "Report")
    if schema_editor.connection.vendor == "postgresql":
        sql = str(INDEX.create_sql(model, schema_editor, concurrently=True))
        sql = sql.replace("CONCURRENTLY", "CONCURRENTLY IF NOT EXISTS", 1)
        schema_editor.execute(sql)
    else:
        schema_editor.add_index(model, INDEX)


def drop(apps, schema_editor):
    model = apps.get_model("feedback", "Report")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX.name}")
    else:
        schema_editor.remove_index(model, INDEX)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [("feedback", "0016_merge_daily")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(create, drop)],
            state_operations=[migrations.AddIndex(model_name="report", index=INDEX)],
        )
    ]
