"""The statistics summary, kept by database triggers on every write path.

ReportSummary (per filing day) and ReportMonthSummary (the same sums per filing
month, so a long period adds up a few thousand rows) replace the day summary fed
by Report.save() signals: triggers on
feedback_report and feedback_rating add each row's contribution (+1 on insert, -1
on delete, -old +new on update). On PostgreSQL they are statement-level triggers
with transition tables (one grouped upsert per statement, so COPY and bulk_create
of thousands of rows cost one aggregate, not a trigger call per row) and ENABLE
ALWAYS, so they fire under session_replication_role = replica too (seed_bulk). On
SQLite (`make run`) they are row-level triggers with the same arithmetic.

A report counts on its local filing day (settings.TIME_ZONE); answered on time
means resolved with no deadline or on/before the deadline day, late after it.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models

MEASURES = (
    "count", "on_time", "late", "answered", "answer_seconds", "answer_workdays",
    "rated", "satisfied",
)  # fmt: skip
# The summary's dimensions besides the filing day and the status: (summary
# column, the report's column, the value standing for "none"). A later migration
# that adds one passes its own tuple to the functions below.
DIMENSIONS = (("category_id", "category_id", "0"), ("agency_id", "agency_id", "0"))
SUMMARY = "stats_reportsummary"
MONTHS = "stats_reportmonthsummary"
INDEX = "stats_workingdayindex"
TZ = settings.TIME_ZONE
REPORT_TRIGGERS = ("inserted", "updated", "deleted")
Dimensions = tuple[tuple[str, str, str], ...]
# The tables that add the day rows up over longer periods: (table, its period
# column, the period's first day from "day" in PostgreSQL, the same in SQLite).
ROLLUPS = ((MONTHS, "month", "date_trunc('month', day)::date",
            "date(day, 'start of month')"),)  # fmt: skip
Rollups = tuple[tuple[str, str, str, str], ...]


def _tables(rollups: Rollups) -> list[str]:
    return [SUMMARY, *(table for table, _c, _pg, _sqlite in rollups)]


def _columns(dims: Dimensions) -> str:
    return ", ".join(column for column, _source, _none in dims)


def _key(period: str, dims: Dimensions) -> str:
    """The unique key of the table whose period column is ``period``."""
    return f"{period}, status, {_columns(dims)}"


def _pg_dims(dims: Dimensions, r: str = "r") -> str:
    return ", ".join(
        f"COALESCE({r}.{source}, {none}) AS {column}" for column, source, none in dims
    )


# --- PostgreSQL -------------------------------------------------------------


def _pg_local(col: str) -> str:
    return f"(r.{col} AT TIME ZONE '{TZ}')::date"


def _pg_report_facts(source: str, dims: Dimensions = DIMENSIONS) -> str:
    """One row of facts per report of ``source`` (a table or transition table)."""
    answered = "r.status = 'resolved' AND r.resolved_at IS NOT NULL"
    late = (
        "r.status = 'resolved' AND r.deadline IS NOT NULL "
        "AND r.resolved_at IS NOT NULL AND stats_answered_late(r.resolved_at, "
        "r.deadline)"
    )
    workdays = (
        f"COALESCE((SELECT w.n FROM {INDEX} w WHERE w.day = "
        f"{_pg_local('resolved_at')}), 0) - COALESCE((SELECT w.n FROM {INDEX} w "
        f"WHERE w.day = {_pg_local('created_at')}), 0)"
    )
    return f"""
        SELECT {_pg_local("created_at")} AS day, r.status AS status,
            {_pg_dims(dims)},
            1 AS count,
            CASE WHEN r.status = 'resolved' AND NOT ({late}) THEN 1 ELSE 0 END
                AS on_time,
            CASE WHEN {late} THEN 1 ELSE 0 END AS late,
            CASE WHEN {answered} THEN 1 ELSE 0 END AS answered,
            CASE WHEN {answered} THEN
                round(extract(epoch FROM r.resolved_at - r.created_at))::bigint
                ELSE 0 END AS answer_seconds,
            CASE WHEN {answered} THEN {workdays} ELSE 0 END AS answer_workdays,
            CASE WHEN g.id IS NULL THEN 0 ELSE 1 END AS rated,
            CASE WHEN g.satisfied THEN 1 ELSE 0 END AS satisfied
        FROM {source} r LEFT JOIN feedback_rating g ON g.report_id = r.id
    """


def _pg_rating_facts(source: str, dims: Dimensions = DIMENSIONS) -> str:
    """The rating part of the facts of the reports that ``source`` ratings rate."""
    return f"""
        SELECT {_pg_local("created_at")} AS day, r.status AS status,
            {_pg_dims(dims)},
            0 AS count, 0 AS on_time, 0 AS late, 0 AS answered,
            0 AS answer_seconds, 0 AS answer_workdays,
            1 AS rated, CASE WHEN g.satisfied THEN 1 ELSE 0 END AS satisfied
        FROM {source} g JOIN feedback_report r ON r.id = g.report_id
    """


def _pg_apply(
    plus: str | None = None,
    minus: str | None = None,
    dims: Dimensions = DIMENSIONS,
    rollups: Rollups = ROLLUPS,
) -> str:
    """Add the facts of ``plus`` and subtract those of ``minus``: one statement
    that upserts the day rows and the rows of each rollup (months...).

    Groups whose sums cancel (an update that touched no counted column) write
    nothing; the ORDER BY takes row locks in one order, so concurrent statements
    queue instead of deadlocking.
    """
    parts = []
    if plus:
        parts.append(f"SELECT 1 AS sign, f.* FROM ({plus}) f")
    if minus:
        parts.append(f"SELECT -1 AS sign, f.* FROM ({minus}) f")
    union = " UNION ALL ".join(parts)
    key = _key("day", dims)
    groups = ", ".join(str(n) for n in range(1, len(dims) + 3))
    columns = ", ".join(MEASURES)
    sums = ", ".join(f"SUM(sign * {m}) AS {m}" for m in MEASURES)
    having = " OR ".join(f"SUM(sign * {m}) <> 0" for m in MEASURES)

    def update(table: str) -> str:
        return ", ".join(f"{m} = {table}.{m} + EXCLUDED.{m}" for m in MEASURES)

    month_sums = ", ".join(f"SUM({m})" for m in MEASURES)

    def rollup(table: str, period: str, first_day: str) -> str:
        return (
            f"INSERT INTO {table} ({_key(period, dims)}, {columns}) "
            f"SELECT {first_day} AS {period}, status, "
            f"{_columns(dims)}, {month_sums} FROM d GROUP BY {groups} "
            f"ORDER BY {groups} "
            f"ON CONFLICT ({_key(period, dims)}) DO UPDATE SET {update(table)}"
        )

    *within, last = [rollup(t, period, pg) for t, period, pg, _sqlite in rollups]
    return (
        f"WITH d AS (SELECT {key}, {sums} FROM ({union}) u GROUP BY {key} "
        f"HAVING {having}), "
        f"days AS (INSERT INTO {SUMMARY} ({key}, {columns}) "
        f"SELECT {key}, {columns} FROM d ORDER BY {key} "
        f"ON CONFLICT ({key}) DO UPDATE SET {update(SUMMARY)} RETURNING 1)"
        + "".join(f", r{n} AS ({sql} RETURNING 1)" for n, sql in enumerate(within))
        + f" {last}"
    )


def _pg_function(name: str, body: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN {body}; RETURN NULL; END $$"
    )


def _pg_trigger(table: str, name: str, event: str, referencing: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {name} ON {table}",
        f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {referencing} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
        # Fire under session_replication_role = replica as well (bulk loads).
        f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {name}",
    ]


def _pg_late_functions() -> list[str]:
    """stats_answered_late(answered at, deadline) for either type of deadline: a
    date (late after that local day) or a moment (late after it). PostgreSQL picks
    the one that matches the column's type whenever it plans the triggers, so a
    later change of Report.deadline's type needs no new trigger code."""
    return [
        "CREATE OR REPLACE FUNCTION stats_answered_late(answered timestamptz, "
        "deadline date) RETURNS boolean LANGUAGE sql IMMUTABLE AS "
        f"$$ SELECT (answered AT TIME ZONE '{TZ}')::date > deadline $$",
        "CREATE OR REPLACE FUNCTION stats_answered_late(answered timestamptz, "
        "deadline timestamptz) RETURNS boolean LANGUAGE sql IMMUTABLE AS "
        "$$ SELECT answered > deadline $$",
    ]


def pg_install(dims: Dimensions = DIMENSIONS, rollups: Rollups = ROLLUPS) -> list[str]:
    def report(source: str) -> str:
        return _pg_report_facts(source, dims)

    def rating(source: str) -> str:
        return _pg_rating_facts(source, dims)

    def apply(plus: str | None = None, minus: str | None = None) -> str:
        return _pg_apply(plus, minus, dims, rollups)

    tables = _tables(rollups)

    sql = [
        *_pg_late_functions(),
        _pg_function("stats_report_inserted", apply(plus=report("new_rows"))),
        _pg_function(
            "stats_report_updated",
            apply(plus=report("new_rows"), minus=report("old_rows")),
        ),
        _pg_function("stats_report_deleted", apply(minus=report("old_rows"))),
        _pg_function("stats_rating_inserted", apply(plus=rating("new_rows"))),
        _pg_function(
            "stats_rating_updated",
            apply(plus=rating("new_rows"), minus=rating("old_rows")),
        ),
        _pg_function("stats_rating_deleted", apply(minus=rating("old_rows"))),
        _pg_function(
            "stats_report_truncated", "; ".join(f"DELETE FROM {t}" for t in tables)
        ),
        _pg_function(
            "stats_rating_truncated",
            "; ".join(f"UPDATE {t} SET rated = 0, satisfied = 0" for t in tables),
        ),
    ]
    for table, prefix in (("feedback_report", "report"), ("feedback_rating", "rating")):
        sql += _pg_trigger(
            table, f"stats_{prefix}_inserted", "INSERT", "NEW TABLE AS new_rows"
        )
        sql += _pg_trigger(
            table,
            f"stats_{prefix}_updated",
            "UPDATE",
            "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        )
        sql += _pg_trigger(
            table, f"stats_{prefix}_deleted", "DELETE", "OLD TABLE AS old_rows"
        )
        sql += [
            f"DROP TRIGGER IF EXISTS stats_{prefix}_truncated ON {table}",
            f"CREATE TRIGGER stats_{prefix}_truncated AFTER TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION stats_{prefix}_truncated()",
            f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER stats_{prefix}_truncated",
        ]
    sql += [
        *(f"DELETE FROM {t}" for t in tables),
        apply(plus=report("feedback_report")),
    ]
    return sql


def pg_uninstall() -> list[str]:
    sql = []
    for table, prefix in (("feedback_report", "report"), ("feedback_rating", "rating")):
        for event in (*REPORT_TRIGGERS, "truncated"):
            sql.append(f"DROP TRIGGER IF EXISTS stats_{prefix}_{event} ON {table}")
            sql.append(f"DROP FUNCTION IF EXISTS stats_{prefix}_{event}()")
    sql += [
        "DROP FUNCTION IF EXISTS stats_answered_late(timestamptz, date)",
        "DROP FUNCTION IF EXISTS stats_answered_late(timestamptz, timestamptz)",
    ]
    return sql


# --- SQLite -----------------------------------------------------------------


def _sqlite_offset() -> str:
    """The local time offset as an SQLite date modifier ('+420 minutes').

    Fixed when the triggers are made: Asia/Ho_Chi_Minh has kept UTC+7, without
    daylight saving, since 1975.
    """
    offset = datetime.now(ZoneInfo(TZ)).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    return f"{minutes:+d} minutes"


def _sqlite_report_values(r: str, sign: int, dims: Dimensions = DIMENSIONS) -> str:
    """The facts of report row ``r`` (NEW, OLD or a table alias) times ``sign``."""
    off = _sqlite_offset()

    def local(col: str) -> str:
        return f"date({r}.{col}, '{off}')"

    answered = f"{r}.status = 'resolved' AND {r}.resolved_at IS NOT NULL"
    # A deadline is a date ('YYYY-MM-DD': late after that local day) or a
    # moment (stored as a longer UTC text: late after it).
    late = (
        f"{r}.status = 'resolved' AND {r}.deadline IS NOT NULL "
        f"AND {r}.resolved_at IS NOT NULL AND (CASE WHEN length({r}.deadline) <= 10 "
        f"THEN {local('resolved_at')} > {r}.deadline "
        f"ELSE julianday({r}.resolved_at) > julianday({r}.deadline) END)"
    )
    seconds = (
        f"CAST(ROUND((julianday({r}.resolved_at) - julianday({r}.created_at)) "
        "* 86400) AS INTEGER)"
    )
    workdays = (
        f"COALESCE((SELECT w.n FROM {INDEX} w WHERE w.day = {local('resolved_at')}), "
        f"0) - COALESCE((SELECT w.n FROM {INDEX} w WHERE w.day = "
        f"{local('created_at')}), 0)"
    )
    rating = f"(SELECT g.satisfied FROM feedback_rating g WHERE g.report_id = {r}.id)"
    values = [
        f"{local('created_at')}",
        f"{r}.status",
        *(f"COALESCE({r}.{source}, {none})" for _column, source, none in dims),
        f"{sign}",
        f"{sign} * (CASE WHEN {r}.status = 'resolved' AND NOT ({late}) THEN 1 "
        "ELSE 0 END)",
        f"{sign} * (CASE WHEN {late} THEN 1 ELSE 0 END)",
        f"{sign} * (CASE WHEN {answered} THEN 1 ELSE 0 END)",
        f"{sign} * (CASE WHEN {answered} THEN {seconds} ELSE 0 END)",
        f"{sign} * (CASE WHEN {answered} THEN {workdays} ELSE 0 END)",
        f"{sign} * (CASE WHEN {rating} IS NULL THEN 0 ELSE 1 END)",
        f"{sign} * COALESCE({rating}, 0)",
    ]
    return ", ".join(values)


def _sqlite_rating_values(
    g: str, sign: int, dims: Dimensions = DIMENSIONS
) -> tuple[str, str]:
    """(values, FROM clause) of the rating part of the report rated by ``g``."""
    off = _sqlite_offset()
    values = [
        f"date(r.created_at, '{off}')",
        "r.status",
        *(f"COALESCE(r.{source}, {none})" for _column, source, none in dims),
        "0", "0", "0", "0", "0", "0",
        f"{sign}",
        f"{sign} * {g}.satisfied",
    ]  # fmt: skip
    return ", ".join(values), f"FROM feedback_report r WHERE r.id = {g}.report_id"


def _sqlite_upsert(
    select: str, dims: Dimensions = DIMENSIONS, rollups: Rollups = ROLLUPS
) -> list[str]:
    """Upsert the day row and the month row of ``select``, whose first column is
    the day and the measures come as m0, m1, ..."""
    columns = ", ".join(MEASURES)
    picked = ", ".join(f"m{i}" for i in range(len(MEASURES)))
    statements = []
    for table, key, first in (
        (SUMMARY, _key("day", dims), "day"),
        *((t, _key(period, dims), expr) for t, period, _pg, expr in rollups),
    ):
        update = ", ".join(f"{m} = {table}.{m} + excluded.{m}" for m in MEASURES)
        # "WHERE true": SQLite's parser needs it before ON CONFLICT after a SELECT.
        statements.append(
            f"INSERT INTO {table} ({key}, {columns}) "
            f"SELECT {first}, status, {_columns(dims)}, {picked} "
            f"FROM ({select}) WHERE true "
            f"ON CONFLICT ({key}) DO UPDATE SET {update};"
        )
    return statements


def _named(values: str, dims: Dimensions = DIMENSIONS) -> str:
    aliases = ["day", "status", *(column for column, _s, _n in dims)] + [
        f"m{i}" for i in range(len(MEASURES))
    ]
    return ", ".join(
        f"{value} AS {alias}"
        for value, alias in zip(_split_values(values), aliases, strict=True)
    )


def sqlite_install(
    dims: Dimensions = DIMENSIONS, rollups: Rollups = ROLLUPS
) -> list[str]:
    counted = ("created_at", "status", *(source for _c, source, _n in dims),
               "deadline", "resolved_at", "id")  # fmt: skip
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in counted)
    report = {
        "inserted": ("AFTER INSERT ON feedback_report", [("NEW", 1)], ""),
        "updated": (
            "AFTER UPDATE ON feedback_report",
            [("OLD", -1), ("NEW", 1)],
            f"WHEN {changed}",
        ),
        "deleted": ("AFTER DELETE ON feedback_report", [("OLD", -1)], ""),
    }
    sql = []
    for event, (on, rows, when) in report.items():
        body = " ".join(
            " ".join(
                _sqlite_upsert(
                    f"SELECT {_named(_sqlite_report_values(r, s, dims), dims)}",
                    dims,
                    rollups,
                )
            )
            for r, s in rows
        )
        sql.append(f"DROP TRIGGER IF EXISTS stats_report_{event}")
        sql.append(f"CREATE TRIGGER stats_report_{event} {on} {when} BEGIN {body} END")
    rating = {
        "inserted": ("AFTER INSERT ON feedback_rating", [("NEW", 1)]),
        "updated": ("AFTER UPDATE ON feedback_rating", [("OLD", -1), ("NEW", 1)]),
        "deleted": ("AFTER DELETE ON feedback_rating", [("OLD", -1)]),
    }
    for event, (on, rows) in rating.items():
        statements = []
        for g, s in rows:
            values, source = _sqlite_rating_values(g, s, dims)
            statements += _sqlite_upsert(
                f"SELECT {_named(values, dims)} {source}", dims, rollups
            )
        sql.append(f"DROP TRIGGER IF EXISTS stats_rating_{event}")
        sql.append(
            f"CREATE TRIGGER stats_rating_{event} {on} BEGIN {' '.join(statements)} END"
        )
    sums = ", ".join(f"SUM(m{i}) AS m{i}" for i in range(len(MEASURES)))
    names = _named(_sqlite_report_values("r", 1, dims), dims)
    key = _key("day", dims)
    sql += [
        *(f"DELETE FROM {t}" for t in _tables(rollups)),
        *_sqlite_upsert(
            f"SELECT {key}, {sums} FROM (SELECT {names} FROM feedback_report r) "
            f"GROUP BY {key}",
            dims,
            rollups,
        ),
    ]
    return sql


def _split_values(values: str) -> list[str]:
    """Split the comma-separated values at top level (outside parentheses)."""
    parts, depth, current = [], 0, ""
    for char in values:
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        current += char
    parts.append(current.strip())
    return parts


def sqlite_uninstall() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS stats_{table}_{event}"
        for table in ("report", "rating")
        for event in REPORT_TRIGGERS
    ]


# --- Operations ---------------------------------------------------------------


def fill_index(apps, schema_editor):
    from stats.workdays_index import calendar_from, refill

    exceptions = apps.get_model("feedback", "WorkCalendarDay")
    refill(apps.get_model("stats", "WorkingDayIndex"), calendar_from(exceptions))


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = pg_install()
    elif vendor == "sqlite":
        statements = sqlite_install()
    else:
        raise RuntimeError(f"No statistics triggers for {vendor}")
    for statement in statements:
        schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = pg_uninstall() if vendor == "postgresql" else sqlite_uninstall()
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0007_seed_working_calendar_2026"),
        ("stats", "0002_report_day_summary"),
    ]

    operations = [
        migrations.DeleteModel(name="ReportDaySummary"),
        migrations.DeleteModel(name="SummaryDirtyDay"),
        migrations.CreateModel(
            name="ReportSummary",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField(verbose_name="ngày gửi")),
                ("status", models.CharField(max_length=16, verbose_name="trạng thái")),
                ("category_id", models.IntegerField(default=0, verbose_name="lĩnh vực")),
                ("agency_id", models.IntegerField(default=0, verbose_name="cơ quan xử lý")),
                ("count", models.BigIntegerField(default=0, verbose_name="số phản ánh")),
                ("on_time", models.BigIntegerField(default=0, verbose_name="trả lời đúng hạn")),
                ("late", models.BigIntegerField(default=0, verbose_name="trả lời trễ hạn")),
                ("answered", models.BigIntegerField(default=0, verbose_name="đã trả lời có thời điểm")),
                ("answer_seconds", models.BigIntegerField(default=0, verbose_name="tổng số giây trả lời")),
                ("answer_workdays", models.BigIntegerField(default=0, verbose_name="tổng số ngày làm việc trả lời")),
                ("rated", models.BigIntegerField(default=0, verbose_name="số đánh giá")),
                ("satisfied", models.BigIntegerField(default=0, verbose_name="số đánh giá hài lòng")),
            ],
            options={
                "verbose_name": "tổng hợp phản ánh",
                "verbose_name_plural": "tổng hợp phản ánh",
                "default_permissions": (),
                "constraints": [
                    models.UniqueConstraint(fields=("day", "status", "category_id", "agency_id"), name="report_summary_key")
                ],
            },
        ),
        migrations.CreateModel(
            name="ReportMonthSummary",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField(verbose_name="tháng gửi")),
                ("status", models.CharField(max_length=16, verbose_name="trạng thái")),
                ("category_id", models.IntegerField(default=0, verbose_name="lĩnh vực")),
                ("agency_id", models.IntegerField(default=0, verbose_name="cơ quan xử lý")),
                ("count", models.BigIntegerField(default=0, verbose_name="số phản ánh")),
                ("on_time", models.BigIntegerField(default=0, verbose_name="trả lời đúng hạn")),
                ("late", models.BigIntegerField(default=0, verbose_name="trả lời trễ hạn")),
                ("answered", models.BigIntegerField(default=0, verbose_name="đã trả lời có thời điểm")),
                ("answer_seconds", models.BigIntegerField(default=0, verbose_name="tổng số giây trả lời")),
                ("answer_workdays", models.BigIntegerField(default=0, verbose_name="tổng số ngày làm việc trả lời")),
                ("rated", models.BigIntegerField(default=0, verbose_name="số đánh giá")),
                ("satisfied", models.BigIntegerField(default=0, verbose_name="số đánh giá hài lòng")),
            ],
            options={
                "verbose_name": "tổng hợp phản ánh theo tháng",
                "verbose_name_plural": "tổng hợp phản ánh theo tháng",
                "default_permissions": (),
                "constraints": [
                    models.UniqueConstraint(fields=("month", "status", "category_id", "agency_id"), name="report_month_summary_key")
                ],
            },
        ),
        migrations.CreateModel(
            name="WorkingDayIndex",
            fields=[
                ("day", models.DateField(primary_key=True, serialize=False)),
                ("n", models.IntegerField()),
            ],
            options={"default_permissions": ()},
        ),
        migrations.RunPython(fill_index, migrations.RunPython.noop),
        migrations.RunPython(install, uninstall),
    ]
