"""Announcement attachments pass the same content checks as citizens' files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from stats.models import Announcement, AnnouncementFile
from tests.feedback import files

pytestmark = pytest.mark.django_db


def _post(client: Client, upload: SimpleUploadedFile) -> Any:
    return client.post(
        "/admin/stats/announcement/add/",
        {
            "title": "Thông báo có tệp",
            "slug": "thong-bao-co-tep",
            "summary": "Tệp đính kèm.",
            "body": "Nội dung.",
            "published_at_0": "01/11/2026",
            "published_at_1": "08:00",
            "files-TOTAL_FORMS": "1",
            "files-INITIAL_FORMS": "0",
            "files-0-title": "Tệp",
            "files-0-file": upload,
        },
    )


def test_html_announcement_attachment_is_refused_and_nothing_is_stored(
    client: Client, editor: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client.force_login(editor)
    page = b"<!doctype html><script>document.location='https://evil'</script>"
    response = _post(client, files.upload("thong-bao.html", page, "text/html"))
    assert response.status_code == 200
    assert "loại tệp không được chấp nhận" in response.content.decode()
    assert not Announcement.objects.exists()
    assert not AnnouncementFile.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_pdf_disguised_name_is_refused_but_a_real_pdf_is_kept(
    client: Client, editor: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client.force_login(editor)
    svg = files.upload("ke-hoach.pdf", b"<svg onload=alert(1)>", "application/pdf")
    assert _post(client, svg).status_code == 200
    assert not AnnouncementFile.objects.exists()
    assert _post(client, files.pdf("ke-hoach.pdf")).status_code == 302
    assert AnnouncementFile.objects.get().file.name.endswith(".pdf")


def test_a_photo_is_kept_without_its_metadata(
    client: Client, editor: Any, settings: Any, tmp_path: Path
) -> None:
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    client.force_login(editor)
    photo = files.jpeg("hien-truong.jpg", gps=True)
    assert Image.open(photo).getexif().get(files.GPS_IFD)  # the upload has GPS
    photo.seek(0)
    assert _post(client, photo).status_code == 302
    kept = AnnouncementFile.objects.get()
    assert kept.file.name.endswith(".jpg")
    with kept.file.open("rb") as stored, Image.open(stored) as image:
        assert image.size == (64, 48)
        assert not image.getexif()  # no GPS, no maker
        assert "exif" not in image.info
