"""manage.py cleanup_orphans: files no row points to, older than the grace period."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.factories import AttachmentFactory, ReportFactory

pytestmark = pytest.mark.django_db


def _plant(media: Path, name: str, age_seconds: int) -> Path:
    path = media / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"orphan")
    then = time.time() - age_seconds
    os.utime(path, (then, then))
    return path


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("cleanup_orphans", *args, stdout=out)
    return out.getvalue()


def test_dry_run_lists_old_orphans_and_deletes_nothing(media: Path) -> None:
    attachment = AttachmentFactory(report=ReportFactory())
    kept = media / str(attachment.file.name)
    old = _plant(media, "reports/2026/01/mo-coi.pdf", age_seconds=2 * 3600)
    thumb = _plant(media, "reports/2026/01/anh-nho.webp", age_seconds=2 * 3600)
    notice = _plant(media, "announcements/2026/01/tep.pdf", age_seconds=2 * 3600)
    young = _plant(media, "reports/2026/11/dang-tai.pdf", age_seconds=10)
    other = _plant(media, "khac/khong-dung.txt", age_seconds=2 * 3600)

    listing = _run()
    for orphan in (old, thumb, notice):
        assert f"orphan {orphan.relative_to(media)}" in listing
    assert str(young.relative_to(media)) not in listing
    assert str(kept.relative_to(media)) not in listing
    assert "Tìm thấy 3 tệp mồ côi." in listing
    assert all(p.exists() for p in (kept, old, thumb, notice, young, other))

    deleted = _run("--delete")
    assert "Đã xoá 3 tệp mồ côi." in deleted
    assert not old.exists() and not thumb.exists() and not notice.exists()
    assert kept.exists() and young.exists() and other.exists()
    attachment.refresh_from_db()
    assert attachment.file.storage.exists(attachment.file.name)


def test_grace_option_overrides_the_setting(media: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ORPHAN_GRACE_SECONDS = 3600
    young = _plant(media, "reports/2026/11/vua-xong.pdf", age_seconds=30)
    assert "Tìm thấy 0" in _run()
    assert "Đã xoá 1" in _run("--delete", "--grace", "0")
    assert not young.exists()


def test_nothing_to_do_on_an_empty_media_root(media: Path) -> None:
    assert "Tìm thấy 0 tệp mồ côi." in _run()
