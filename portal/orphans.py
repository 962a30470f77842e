"""Files in the media storage that no row points to (left by a crash mid-upload).

A report's files are written before its transaction commits; if the process dies
in between (SIGKILL, power loss), the files stay behind with no row. They hold
personal data, so they are found and removed by ``manage.py cleanup_orphans``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.core.files.storage import Storage
from django.db import models
from django.utils import timezone

# The folders the upload code writes to (reports and their thumbnails, announcements,
# the files a form holds until it is submitted again).
ORPHAN_DIRS = ("reports", "announcements", "held")


@dataclass(frozen=True)
class Orphan:
    storage: Storage
    name: str
    modified: datetime


def _file_fields() -> list[tuple[type[models.Model], str, Storage]]:
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                found.append((model, field.name, field.storage))
    return found


def _referenced() -> dict[int, set[str]]:
    """Every stored file name, per storage (keyed by the storage object's id)."""
    names: dict[int, set[str]] = {}
    for model, field, storage in _file_fields():
        values = (
            model._default_manager.exclude(**{field: ""})
            .values_list(field, flat=True)
            .iterator()
        )
        names.setdefault(id(storage), set()).update(str(v) for v in values if v)
    return names


def _walk(storage: Storage, folder: str) -> Iterator[str]:
    try:
        dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in dirs:
        yield from _walk(storage, f"{folder}/{sub}")


def find_orphans(*, grace: timedelta, now: datetime | None = None) -> list[Orphan]:
    """Files under ORPHAN_DIRS no row references, last written before now - grace.

    Young files are skipped: they may belong to an upload whose transaction has
    not committed yet.
    """
    now = now or timezone.now()
    referenced = _referenced()
    storages = {id(storage): storage for _m, _f, storage in _file_fields()}
    orphans = []
    for key, storage in storages.items():
        known = referenced.get(key, set())
        for folder in ORPHAN_DIRS:
            for name in _walk(storage, folder):
                if name in known:
                    continue
                modified = storage.get_modified_time(name)
                if modified <= now - grace:
                    orphans.append(Orphan(storage, name, modified))
    return sorted(orphans, key=lambda orphan: orphan.name)
