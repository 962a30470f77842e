"""Officials read natural Vietnamese in admin: the project's catalogue overrides
Django's missing or poor entries, and wins over Django's own."""

from __future__ import annotations

import gettext
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from tests.factories import ReportFactory

VI = Path(__file__).resolve().parents[1] / "locale" / "vi" / "LC_MESSAGES"


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("msgid", "vietnamese"),
    [
        ("History", "Lịch sử"),
        ("Add %(name)s", "Thêm %(name)s"),
        ("Add another %(verbose_name)s", "Thêm %(verbose_name)s"),
        ("0 of %(cnt)s selected", "Đã chọn 0 trong %(cnt)s"),
        ("None available", "Chưa có"),
        ("Show counts", "Hiện số lượng"),
        ("View selected %(model)s", "Xem %(model)s đã chọn"),
    ],
)
def test_project_catalogue_wins_over_djangos(msgid: str, vietnamese: str) -> None:
    with translation.override("vi"):
        assert translation.gettext(msgid) == vietnamese


@pytest.mark.django_db
def test_report_list_and_page_read_in_vietnamese(intake_officer: Any) -> None:
    report = ReportFactory()
    client = logged_in(intake_officer)
    html = client.get("/admin/feedback/report/").content.decode()
    assert "Hiện số lượng" in html and "Show counts" not in html
    assert "Đã chọn 0 trong 1" in html and "0 của" not in html
    assert "Theo trạng thái" in html
    html = client.get(f"/admin/feedback/report/{report.pk}/change/").content.decode()
    assert "Lịch sử" in html and "Bản ghi nhớ" not in html
    assert "Sửa phản ánh" in html


@pytest.mark.django_db
def test_admin_javascript_catalogue_is_overridden_too(intake_officer: Any) -> None:
    js = logged_in(intake_officer).get("/admin/jsi18n/").content.decode()
    # The catalogue is JSON inside the script: non-ASCII letters are escaped.
    assert json.dumps("Đã chọn %(sel)s trong %(cnt)s") in js


@pytest.mark.django_db
def test_username_rule_is_in_the_projects_words(client: Client) -> None:
    response = client.post("/dang-ky/", {"username": "nguyen van a"})
    errors = " ".join(response.context["form"].errors["username"])
    assert "chữ không dấu" in errors
    response = client.post("/dang-ky/", {"username": "nguyễn"})
    assert "chữ không dấu" in " ".join(response.context["form"].errors["username"])


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_committed_catalogues_are_compiled_from_their_sources(
    domain: str, tmp_path: Path
) -> None:
    built = tmp_path / f"{domain}.mo"
    subprocess.run(
        ["msgfmt", "--check", "-o", str(built), str(VI / f"{domain}.po")], check=True
    )
    with built.open("rb") as fresh, (VI / f"{domain}.mo").open("rb") as committed:
        fresh_catalog = gettext.GNUTranslations(fresh)._catalog  # type: ignore[attr-defined]
        committed_catalog = gettext.GNUTranslations(committed)._catalog  # type: ignore[attr-defined]
    assert fresh_catalog == committed_catalog
