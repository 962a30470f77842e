"""A report form shown again with errors keeps the files that passed their checks."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from feedback import held
from feedback.models import Attachment, HeldUpload, Report
from portal.lib import uploads
from tests.feedback import files

URL = "/gui-phan-anh/"


def files_on_disk(media: Path, folder: str) -> list[Path]:
    return [path for path in (media / folder).rglob("*") if path.is_file()]


def _short_title(form: dict[str, str]) -> dict[str, str]:
    return {**form, "title": "Ổ gà"}


@pytest.mark.django_db
def test_two_photos_with_short_title_are_held_then_attached_without_choosing_again(
    client: Client,
    report_form: dict[str, str],
    media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    response = client.post(
        URL,
        {
            **_short_title(report_form),
            "attachments": [files.jpeg("anh1.jpg"), files.png("anh2.png")],
        },
    )
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert Report.objects.count() == 0
    rows = list(HeldUpload.objects.all())
    assert sorted(row.original_name for row in rows) == ["anh1.jpg", "anh2.png"]
    assert {row.session_key for row in rows} == {client.session.session_key}
    assert all(row.file.name.startswith("held/") for row in rows)
    html = response.content.decode()
    assert "Đã đính kèm: anh1.jpg (" in html
    assert "Đã đính kèm: anh2.png (" in html
    assert html.count("Bỏ tệp này") >= 2

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {**report_form, "attachments": []})
    assert response.status_code == 302
    report = Report.objects.get()
    names = sorted(a.original_name for a in report.attachments.all())
    assert names == ["anh1.jpg", "anh2.png"]
    for attachment in report.attachments.all():
        assert attachment.file.name.startswith("reports/")
        assert (media / attachment.file.name).is_file()
        assert (media / attachment.thumbnail.name).is_file()
    assert HeldUpload.objects.count() == 0
    assert files_on_disk(media, "held") == []


@pytest.mark.django_db
def test_each_photo_is_decoded_once_per_submission(
    client: Client,
    report_form: dict[str, str],
    media: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened: list[str] = []
    real_open = uploads._open_image

    def counting(stream: Any, ftype: Any, name: str) -> Any:
        opened.append(name)
        return real_open(stream, ftype, name)

    monkeypatch.setattr(uploads, "_open_image", counting)
    response = client.post(
        URL, {**report_form, "attachments": [files.jpeg("a.jpg"), files.png("b.png")]}
    )
    assert response.status_code == 302
    assert sorted(opened) == ["a.jpg", "b.png"]
    assert Attachment.objects.count() == 2


@pytest.mark.django_db
def test_a_failing_file_is_named_with_its_reason_and_the_good_one_is_held(
    client: Client, report_form: dict[str, str], media: Path
) -> None:
    response = client.post(
        URL,
        {
            **report_form,
            "attachments": [files.jpeg("tot.jpg"), files.truncated_jpeg("hong.jpg")],
        },
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["attachments"])
    assert "hong.jpg" in errors and "không mở được" in errors
    assert [row.original_name for row in HeldUpload.objects.all()] == ["tot.jpg"]
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_a_dropped_held_file_is_not_attached(
    client: Client,
    report_form: dict[str, str],
    media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.post(
        URL,
        {
            **_short_title(report_form),
            "attachments": [files.jpeg("giu.jpg"), files.jpeg("bo.jpg")],
        },
    )
    drop = HeldUpload.objects.get(original_name="bo.jpg")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {**report_form, "drop_held": [str(drop.pk)]})
    assert response.status_code == 302
    report = Report.objects.get()
    assert [a.original_name for a in report.attachments.all()] == ["giu.jpg"]
    assert HeldUpload.objects.count() == 0
    assert files_on_disk(media, "held") == []


@pytest.mark.django_db
def test_held_files_count_towards_the_limit_per_report(
    client: Client, report_form: dict[str, str], media: Path, settings: Any
) -> None:
    settings.REPORT_MAX_FILES = 2
    client.post(
        URL,
        {
            **_short_title(report_form),
            "attachments": [files.jpeg("a.jpg"), files.jpeg("b.jpg")],
        },
    )
    response = client.post(URL, {**report_form, "attachments": [files.jpeg("c.jpg")]})
    assert response.status_code == 200
    assert "tối đa 2 tệp" in " ".join(response.context["form"].errors["attachments"])
    assert HeldUpload.objects.count() == 2
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_a_held_file_of_another_session_cannot_be_used(
    client: Client, report_form: dict[str, str], media: Path
) -> None:
    client.post(
        URL, {**_short_title(report_form), "attachments": [files.jpeg("rieng.jpg")]}
    )
    theirs = HeldUpload.objects.get()
    other = Client()
    response = other.get(URL)
    assert "rieng.jpg" not in response.content.decode()
    # Naming the other session's file (to drop or to keep) does nothing to it.
    response = other.post(URL, {**report_form, "drop_held": [str(theirs.pk)]})
    assert response.status_code in (200, 302)
    assert not Attachment.objects.exists()
    assert HeldUpload.objects.filter(pk=theirs.pk).exists()


@pytest.mark.django_db
def test_an_expired_held_file_is_not_attached_and_cleanup_removes_it(
    client: Client,
    report_form: dict[str, str],
    media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.post(
        URL, {**_short_title(report_form), "attachments": [files.jpeg("cu.jpg")]}
    )
    row = HeldUpload.objects.get()
    stored = [media / row.file.name, media / row.thumbnail.name]
    assert all(path.is_file() for path in stored)
    HeldUpload.objects.update(created_at=timezone.now() - timedelta(hours=1, seconds=1))

    assert held.held_for(client.session.session_key) == []
    out = StringIO()
    call_command("cleanup_orphans", stdout=out)  # a dry run lists, keeps
    assert "1 tệp chờ gửi quá hạn" in out.getvalue()
    assert HeldUpload.objects.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        call_command("cleanup_orphans", "--delete", stdout=out)
    assert HeldUpload.objects.count() == 0
    assert not any(path.exists() for path in stored)

    response = client.post(URL, report_form)
    assert response.status_code == 302
    assert not Report.objects.get().attachments.exists()


@pytest.mark.django_db
def test_giving_up_leaves_only_held_files_that_expire(
    client: Client, report_form: dict[str, str], media: Path
) -> None:
    """Nothing half-saved: no report, no attachment; the held file goes within 1 h."""
    client.post(
        URL, {**_short_title(report_form), "attachments": [files.jpeg("bo-do.jpg")]}
    )
    assert Report.objects.count() == 0 and Attachment.objects.count() == 0
    later = timezone.now() + timedelta(hours=1, minutes=1)
    assert held.purge_expired(now=later) == 1
    assert HeldUpload.objects.count() == 0


@pytest.mark.django_db
def test_files_are_not_taken_while_the_captcha_is_wrong(
    client: Client, report_form: dict[str, str], media: Path
) -> None:
    response = client.post(
        URL,
        {**report_form, "captcha_1": "SAI", "attachments": [files.jpeg("a.jpg")]},
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["attachments"])
    assert "chọn lại tệp" in errors
    assert HeldUpload.objects.count() == 0
