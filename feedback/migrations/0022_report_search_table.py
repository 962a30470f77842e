"""Search: public reports' vectors in a narrow table of their own, kept by triggers.

The public list searches public reports only, newest first. On feedback_report
each match found costs a read of its wide row (~4 reports a page, with names,
addresses, answers), and a walk back from the newest report reads every row on
the way, public or not. feedback_report_search holds what a search reads: the
primary key, the vector and the list's filters (status, category, commune), for
public reports only. At a million reports: 62 % of the rows in 38 % of the size
(685 MB against 1,806 MB, ~7 rows a page); the 301 newest matches of "toi" by a
walk back took 2.0 ms there against 8.1 ms on feedback_report, and through the
index over the newest 10,000 keys 7.3 ms against 16.8 ms.

Statement-level triggers on feedback_report keep it (one statement per
statement, however many rows), ENABLE ALWAYS so that they fire under
session_replication_role = replica too (seed_bulk): an insert adds the public
rows; an update deletes the rows that stopped being public and upserts those
whose vector or filters changed (any other update, an answer or an agency,
writes nothing here); a delete and TRUNCATE remove them. The vector is the
generated feedback_report.search_vector, copied. The GIN index of public
reports moves here (report_public_search on feedback_report is dropped).
PostgreSQL only: SQLite searches Report.search_text.
"""

import django.contrib.postgres.search
from django.db import migrations, models

TABLE = "feedback_report_search"
# The public list's condition (ReportQuerySet.public()), for a row ``r``.
PUBLIC = (
    "{r}.status IN ('accepted', 'in_progress', 'resolved') "
    "AND {r}.allow_publish AND NOT {r}.is_hidden"
)
COLUMNS = "id, vector, status, category_id, commune_id"
SOURCE = "{r}.id, {r}.search_vector, {r}.status, {r}.category_id, {r}.commune_id"
CHANGED = (
    "n.search_vector IS DISTINCT FROM o.search_vector OR n.status <> o.status "
    "OR n.category_id IS DISTINCT FROM o.category_id "
    "OR n.commune_id IS DISTINCT FROM o.commune_id"
)
UPSERT = (
    "ON CONFLICT (id) DO UPDATE SET vector = EXCLUDED.vector, "
    "status = EXCLUDED.status, category_id = EXCLUDED.category_id, "
    "commune_id = EXCLUDED.commune_id"
)


def _public(r):
    return PUBLIC.format(r=r)


def _source(r):
    return SOURCE.format(r=r)


BODIES = {
    "inserted": (
        f"INSERT INTO {TABLE} ({COLUMNS}) SELECT {_source('n')} FROM new_rows n "
        f"WHERE {_public('n')} {UPSERT}"
    ),
    "updated": (
        f"DELETE FROM {TABLE} s USING old_rows o WHERE s.id = o.id "
        "AND NOT EXISTS (SELECT 1 FROM new_rows n "
        f"WHERE n.id = o.id AND {_public('n')}); "
        f"INSERT INTO {TABLE} ({COLUMNS}) SELECT {_source('n')} FROM new_rows n "
        f"LEFT JOIN old_rows o ON o.id = n.id WHERE {_public('n')} "
        f"AND (o.id IS NULL OR NOT ({_public('o')}) OR {CHANGED}) "
        f"ORDER BY n.id {UPSERT}"
    ),
    "deleted": f"DELETE FROM {TABLE} s USING old_rows o WHERE s.id = o.id",
    "truncated": f"TRUNCATE {TABLE}",
}
REFERENCING = {
    "inserted": ("INSERT", "REFERENCING NEW TABLE AS new_rows"),
    "updated": ("UPDATE", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    "deleted": ("DELETE", "REFERENCING OLD TABLE AS old_rows"),
    "truncated": ("TRUNCATE", ""),
}


def _install():
    statements = [
        f"CREATE TABLE {TABLE} (id bigint PRIMARY KEY, vector tsvector NOT NULL, "
        "status varchar(20) NOT NULL, category_id bigint, commune_id varchar(5))",
        f"INSERT INTO {TABLE} ({COLUMNS}) SELECT {_source('r')} "
        f"FROM feedback_report r WHERE {_public('r')} ORDER BY r.id",
        f"CREATE INDEX report_public_search ON {TABLE} USING gin (vector)",
    ]
    for event, body in BODIES.items():
        name = f"report_search_{event}"
        when, referencing = REFERENCING[event]
        statements += [
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {body}; RETURN NULL; END $$",
            f"CREATE TRIGGER {name} AFTER {when} ON feedback_report {referencing} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
            f"ALTER TABLE feedback_report ENABLE ALWAYS TRIGGER {name}",
        ]
    return statements


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The index's name moves with it: drop the old one first.
    schema_editor.execute("DROP INDEX IF EXISTS report_public_search")
    for statement in _install():
        schema_editor.execute(statement)
    schema_editor.execute(f"ANALYZE {TABLE}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for event in BODIES:
        name = f"report_search_{event}"
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON feedback_report")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")
    schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")
    schema_editor.execute(
        "CREATE INDEX report_public_search ON feedback_report "
        f"USING gin (search_vector) WHERE {_public('feedback_report')}"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0021_report_search_pairs"),
        ("places", "0001_administrative_units"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "report",
                    models.OneToOneField(
                        db_column="id",
                        db_constraint=False,
                        on_delete=models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="feedback.report",
                    ),
                ),
                ("vector", django.contrib.postgres.search.SearchVectorField()),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("new", "Chờ tiếp nhận"),
                            ("accepted", "Đã tiếp nhận"),
                            ("in_progress", "Đang xử lý"),
                            ("resolved", "Đã xử lý"),
                            ("rejected", "Không tiếp nhận"),
                        ],
                        max_length=20,
                    ),
                ),
            ],
            options={"db_table": TABLE, "managed": False},
        ),
    ]
