"""The holding area: accepted uploads that wait for the form to be submitted again.

A report form shown again with errors must not lose the photos that passed their
checks. Each one is checked and cleaned once (images decoded and re-encoded without
metadata), stored under ``held/`` for the browser session that sent it, and turned
into an Attachment when that session submits the form successfully. Another
session can neither see nor use it; after HELD_UPLOAD_SECONDS it expires and
``manage.py cleanup_orphans`` removes it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from feedback.models import HeldUpload
from portal.lib import uploads

logger = logging.getLogger(__name__)


@dataclass
class Prepared:
    files: list[uploads.CheckedFile]
    errors: list[str]


def prepare_all(new: Sequence[UploadedFile], *, kept: Sequence[HeldUpload]) -> Prepared:
    """Check (and clean: one decode per image) each new upload on its own,
    within the room the kept files leave.

    A file that fails is named with its reason; the others still pass, so a bad
    file never costs the person their good ones.
    """
    count = len(kept)
    total = sum(held.size for held in kept)
    result = Prepared(files=[], errors=[])
    for upload in new:
        name = uploads.safe_name(upload.name or "")
        if count >= settings.REPORT_MAX_FILES:
            result.errors.append(
                uploads.UploadRejected(
                    name,
                    _("mỗi phản ánh đính kèm tối đa %(count)s tệp.")
                    % {"count": settings.REPORT_MAX_FILES},
                ).message
            )
            continue
        try:
            prepared = uploads.check_file(upload)
        except uploads.UploadRejected as error:
            result.errors.append(error.message)
            continue
        if total + prepared.stored_size > settings.REPORT_MAX_TOTAL_SIZE:
            result.errors.append(
                uploads.UploadRejected(
                    name,
                    _("tổng dung lượng các tệp vượt quá %(max)s.")
                    % {"max": filesizeformat(settings.REPORT_MAX_TOTAL_SIZE)},
                ).message
            )
            continue
        count += 1
        total += prepared.stored_size
        result.files.append(prepared)
    return result


def held_for(session_key: str | None) -> list[HeldUpload]:
    return list(HeldUpload.objects.of_session(session_key))


def hold(*, session_key: str, files: Iterable[uploads.CheckedFile]) -> list[HeldUpload]:
    """Store prepared files for the session; all or nothing."""
    written: list[str] = []
    held: list[HeldUpload] = []
    try:
        with transaction.atomic():
            for prepared in files:
                held.append(_store(session_key, prepared, written))
    except BaseException:
        delete_files(written)
        raise
    return held


def _store(
    session_key: str, prepared: uploads.CheckedFile, written: list[str]
) -> HeldUpload:
    row = HeldUpload(session_key=session_key)
    write_prepared(row, prepared, written)
    row.save()
    return row


def write_prepared(row: Any, item: uploads.CheckedFile, written: list[str]) -> None:
    """Write the cleaned file (and thumbnail) into ``row``'s file fields.

    ``row`` is a HeldUpload or an Attachment: both have file, thumbnail,
    original_name, content_type, size and sha256. The storage names are
    appended to ``written`` so that a failed transaction can remove them.
    """
    clean = item.clean
    row.original_name = item.name
    row.content_type = item.ftype.mime
    if clean is not None:
        body = ContentFile(clean.content)
        row.content_type = clean.mime
        row.file.save(uploads.random_name(clean.extension), body, save=False)
        written.append(str(row.file.name))
        row.thumbnail.save(
            uploads.random_name("webp"), ContentFile(clean.thumbnail), save=False
        )
        written.append(str(row.thumbnail.name))
        row.size = len(clean.content)
        row.sha256 = uploads.sha256_of(body)
    else:
        item.upload.seek(0)
        # Streams from the temporary upload file in chunks.
        row.file.save(
            uploads.random_name(uploads.extension(item.name)),
            File(item.upload),
            save=False,
        )
        written.append(str(row.file.name))
        row.size = item.size
        row.sha256 = uploads.sha256_of(item.upload)


def drop(*, session_key: str | None, ids: Iterable[int]) -> int:
    """Remove the session's held files the person chose to drop."""
    ids = list(ids)
    if not ids:
        return 0
    rows = list(HeldUpload.objects.of_session(session_key).filter(pk__in=ids))
    return remove(rows)


def remove(rows: Sequence[HeldUpload]) -> int:
    """Delete the rows, and their files once the deletion is committed."""
    if not rows:
        return 0  # the usual case: no transaction, no query
    names = [str(f.name) for row in rows for f in (row.file, row.thumbnail) if f]
    HeldUpload.objects.filter(pk__in=[row.pk for row in rows]).delete()
    transaction.on_commit(lambda: delete_files(names))
    return len(rows)


def purge_expired(*, now: datetime | None = None) -> int:
    """Remove every held file past its hour (``manage.py cleanup_orphans``)."""
    with transaction.atomic():
        return remove(list(HeldUpload.objects.expired(now)))


def delete_files(names: Sequence[str]) -> None:
    storage = HeldUpload._meta.get_field("file").storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # pragma: no cover - best effort, the error raised matters
            logger.exception("Could not delete a held upload")
