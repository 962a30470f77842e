"""A trigram index for the accent-insensitive search, on PostgreSQL only.

Report.search_text is searched with LIKE '%word%' (ReportQuerySet.search); a pg_trgm
GIN index answers that without reading every row. SQLite has no such index and keeps
working with a scan. CREATE EXTENSION needs a superuser (or a database owner on
PostgreSQL 13+ for this trusted extension).
"""

from django.db import migrations

INDEX = "report_search_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON feedback_report "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0003_report_search_text"),
    ]

    operations = [migrations.RunPython(create, drop)]
