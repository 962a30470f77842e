"""A large, realistic data set for benchmarks: `manage.py seed_bulk`.

Rows are written with PostgreSQL's COPY (psycopg 3 ``cursor.copy()``), not the ORM:
a million reports and their status histories load in minutes instead of hours.
The secondary indexes of the two big tables, and of the search table that their
triggers fill, are dropped before the load and built again after it (one sort per
index instead of a million index insertions).
Texts come from the demo pools (feedback/demo.py); search_text is computed with the
same search_key() that Report.save() uses, once per distinct title and content.
Each report gets a pin a few hundred metres around its demo place
(demo.PLACE_POINTS, inside the province bounds), and that place's commune when the
administrative units are loaded, as seed_demo does.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from feedback import calendar, demo
from feedback.models import (
    Agency,
    Category,
    Report,
    SearchEntry,
    Status,
    StatusChange,
    search_key,
)
from places.models import AdministrativeUnit
from portal.lib.codes import ALPHABET, PREFIX
from portal.lib.text import strip_accents

YEARS = 5
CHUNK = 20_000  # reports per COPY batch (and per progress step)
TABLES = (Report._meta.db_table, StatusChange._meta.db_table)
# Filled from the reports by triggers as they are copied (migration feedback 0022).
DERIVED = (SearchEntry._meta.db_table,)

REPORT_COLUMNS = (
    "id", "code", "full_name", "id_number", "email", "phone", "location",
    "commune_id", "latitude", "longitude", "title",
    "content", "category_id", "agency_id", "status", "channel", "allow_publish",
    "is_published", "answer", "rejection_reason", "deadline", "created_at",
    "updated_at", "accepted_at", "resolved_at", "consent_at", "search_text",
)  # fmt: skip
CHANGE_COLUMNS = (
    "id", "report_id", "from_status", "to_status", "note", "created_at",
)  # fmt: skip


class BulkSeedError(Exception):
    pass


def _copy_text(value: Any) -> str:
    """One field in COPY's text format."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value)
    return (
        text.replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )


def unique_codes(count: int, taken: set[str]) -> list[str]:
    """``count`` tracking codes that are neither in ``taken`` nor repeated."""
    codes: set[str] = set()
    alphabet = ALPHABET
    while len(codes) < count:
        need = count - len(codes)
        for _ in range(need + need // 100 + 10):
            body = "".join(secrets.choice(alphabet) for _ in range(8))
            codes.add(f"{PREFIX}-{body[:4]}-{body[4:]}")
        codes -= taken
    return list(codes)[:count]


# How far (degrees) a bulk pin may lie from its demo place: the same as seed_demo.
PIN_JITTER = 0.004


class _Pools:
    """The demo texts, escaped for COPY once, with their search keys and places."""

    def __init__(
        self,
        categories: dict[str, int],
        agencies: dict[str, int],
        units: set[str] | None = None,
    ) -> None:
        units = units or set()
        self.items: list[
            tuple[int | None, int | None, str, str, str, str, str, float, float]
        ] = []
        for category_name, (agency_code, issues) in demo.ISSUES.items():
            for title_tpl, content in issues:
                for place in demo.PLACES:
                    title = title_tpl.format(place=place.split(",")[0])
                    location = place[:1].upper() + place[1:] + ", tỉnh Ninh Thuận"
                    unit, lat, long = demo.PLACE_POINTS[place]
                    self.items.append(
                        (
                            categories.get(category_name),
                            agencies.get(agency_code),
                            _copy_text(location),
                            _copy_text(title),
                            _copy_text(content),
                            _copy_text(search_key(f"{title}\n{content}")),
                            unit if unit in units else r"\N",
                            lat,
                            long,
                        )
                    )
        self.names = [
            (f"{family} {middle} {given}", f"{middle}.{given}")
            for family in demo.FAMILY
            for middle in demo.MIDDLE
            for given in demo.GIVEN
        ]
        self.names = [
            (_copy_text(full), _copy_text(strip_accents(short).lower()))
            for full, short in self.names
        ]
        self.answers = [_copy_text(a) for a in demo.ANSWERS]
        self.rejections = [_copy_text(r) for r in demo.REJECTIONS]


def _ts(value: datetime | None) -> str:
    return r"\N" if value is None else value.isoformat()


def _rows(
    *,
    rng: random.Random,
    pools: _Pools,
    codes: list[str],
    first_id: int,
    first_change_id: int,
    now: datetime,
) -> tuple[list[str], list[str]]:
    """COPY lines for the reports numbered first_id.. and their status changes."""
    reports: list[str] = []
    changes: list[str] = []
    change_id = first_change_id
    span = YEARS * 365 * 86400
    items, names = pools.items, pools.names
    channels = ("web", "web", "web", "app", "zalo", "facebook")
    for offset, code in enumerate(codes):
        report_id = first_id + offset
        (
            category_id,
            agency_id,
            location,
            title,
            content,
            search,
            commune,
            lat,
            long,
        ) = rng.choice(items)
        latitude = f"{lat + rng.uniform(-PIN_JITTER, PIN_JITTER):.6f}"
        longitude = f"{long + rng.uniform(-PIN_JITTER, PIN_JITTER):.6f}"
        full_name, short = rng.choice(names)
        created = now - timedelta(seconds=rng.random() * span)
        age_days = (now - created).days
        draw = rng.random()
        # Older reports are finished; the last weeks hold the open ones.
        if age_days > 60:
            status = (
                Status.RESOLVED
                if draw < 0.85
                else Status.REJECTED
                if draw < 0.95
                else Status.IN_PROGRESS
            )
        else:
            status = (
                Status.NEW
                if draw < 0.25
                else Status.ACCEPTED
                if draw < 0.45
                else Status.IN_PROGRESS
                if draw < 0.75
                else Status.RESOLVED
                if draw < 0.93
                else Status.REJECTED
            )
        history: list[tuple[str, str, datetime, str]] = [("", "new", created, "")]
        when = created
        accepted = resolved = None
        # Like the workflow: the intake deadline while new, then the processing one.
        deadline: datetime | None = calendar.intake_deadline(created)
        answer = rejection = ""

        def later(low: float, high: float, start: datetime) -> datetime:
            return min(start + timedelta(days=low + rng.random() * (high - low)), now)

        if status == Status.REJECTED:
            when = later(0.2, 3, when)
            rejection = rng.choice(pools.rejections)
            history.append(("new", "rejected", when, rejection))
        elif status != Status.NEW:
            when = accepted = later(0.1, 3, when)
            deadline = calendar.processing_deadline(accepted, 10)
            history.append(("new", "accepted", when, ""))
            if status in (Status.IN_PROGRESS, Status.RESOLVED):
                when = later(0.1, 2, when)
                history.append(("accepted", "in_progress", when, ""))
            if status == Status.RESOLVED:
                when = resolved = later(1, rng.choice((8, 12, 25)), when)
                answer = rng.choice(pools.answers)
                history.append(("in_progress", "resolved", when, answer))
        allow_publish = rng.random() < 0.7
        published = status == Status.RESOLVED and allow_publish and rng.random() < 0.9
        reports.append(
            "\t".join(
                (
                    str(report_id),
                    code,
                    full_name,
                    f"058{report_id % 1_000_000_000:09d}",
                    f"{short}.{report_id}@example.vn",
                    f"09{report_id % 100_000_000:08d}",
                    location,
                    commune,
                    latitude,
                    longitude,
                    title,
                    content,
                    r"\N" if category_id is None else str(category_id),
                    r"\N" if agency_id is None or status == "new" else str(agency_id),
                    status,
                    rng.choice(channels),
                    "t" if allow_publish else "f",
                    "t" if published else "f",
                    answer,
                    rejection,
                    _ts(deadline),
                    created.isoformat(),
                    when.isoformat(),
                    _ts(accepted),
                    _ts(resolved),
                    created.isoformat(),
                    search,
                )
            )
        )
        for from_status, to_status, at, note in history:
            changes.append(
                f"{change_id}\t{report_id}\t{from_status}\t{to_status}\t{note}\t"
                f"{at.isoformat()}"
            )
            change_id += 1
    return reports, changes


def _secondary_indexes() -> list[tuple[str, str]]:
    """(name, CREATE statement) of the big tables' indexes that back no constraint."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.relname, pg_get_indexdef(i.oid)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relname = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
            """,
            [[*TABLES, *DERIVED]],
        )
        return list(cursor.fetchall())


def _ensure_lookups() -> tuple[dict[str, int], dict[str, int]]:
    from django.utils.text import slugify

    for order, name in enumerate(demo.CATEGORIES):
        Category.objects.get_or_create(
            slug=slugify(strip_accents(name)),
            defaults={"name": name, "order": order},
        )
    for code, name, email in demo.AGENCIES:
        Agency.objects.get_or_create(code=code, defaults={"name": name, "email": email})
    categories = dict(Category.objects.values_list("name", "pk"))
    agencies = dict(Agency.objects.values_list("code", "pk"))
    return categories, agencies


def seed_bulk(
    *,
    count: int,
    progress: Callable[[int], None] = lambda n: None,
    log: Callable[[str], None] = lambda s: None,
    seed: int | None = None,
) -> dict[str, int]:
    """Add ``count`` reports with consistent status histories (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        raise BulkSeedError(
            "seed_bulk chỉ chạy trên PostgreSQL (đặt DATABASE_URL=postgres://...). "
            "Dữ liệu mẫu nhỏ trên SQLite: manage.py seed_demo."
        )
    rng = random.Random(seed)  # noqa: S311 — benchmark data, not secrets
    categories, agencies = _ensure_lookups()
    units = set(AdministrativeUnit.objects.values_list("code", flat=True))
    pools = _Pools(categories, agencies, units)
    now = timezone.now()
    log("Sinh mã phản ánh…")
    taken = set(Report.objects.values_list("code", flat=True))
    codes = unique_codes(count, taken)
    indexes = _secondary_indexes()
    changes_total = 0
    with transaction.atomic(), connection.cursor() as cursor:
        # Our own rows are consistent by construction: skipping the per-row
        # foreign key triggers makes COPY several times faster (needs a
        # superuser; without one the load is just slower).
        try:
            with transaction.atomic():
                cursor.execute("SET LOCAL session_replication_role = replica")
        except Exception:  # optional speed-up only
            log("Không phải superuser: giữ kiểm tra khoá ngoại (chậm hơn).")
        cursor.execute(f"LOCK TABLE {TABLES[0]}, {TABLES[1]} IN EXCLUSIVE MODE")
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {TABLES[0]}")  # noqa: S608
        next_id = cursor.fetchone()[0] + 1
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {TABLES[1]}")  # noqa: S608
        next_change = cursor.fetchone()[0] + 1
        raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
        for start in range(0, count, CHUNK):
            batch = codes[start : start + CHUNK]
            reports, changes = _rows(
                rng=rng,
                pools=pools,
                codes=batch,
                first_id=next_id,
                first_change_id=next_change,
                now=now,
            )
            _copy(raw, TABLES[0], REPORT_COLUMNS, reports)
            _copy(raw, TABLES[1], CHANGE_COLUMNS, changes)
            next_id += len(batch)
            next_change += len(changes)
            changes_total += len(changes)
            progress(len(batch))
        for table in TABLES:
            sequence = f"pg_get_serial_sequence('{table}', 'id')"
            cursor.execute(f"SELECT setval({sequence}, (SELECT MAX(id) FROM {table}))")  # noqa: S608
        for name, definition in indexes:
            log(f"Tạo lại chỉ mục {name}…")
            cursor.execute(definition)
    with connection.cursor() as cursor:
        for table in (*TABLES, *DERIVED):
            # VACUUM too: index-only scans need the visibility map. It cannot run
            # inside a transaction (a caller's, e.g. a test's): ANALYZE alone then.
            vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            cursor.execute(f"{vacuum} {table}")
    return {"reports": count, "changes": changes_total}


def _copy(raw: Any, table: str, columns: tuple[str, ...], lines: list[str]) -> None:
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with raw.copy(sql) as copy:
        copy.write("\n".join(lines) + "\n")
