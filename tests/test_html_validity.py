"""Every public page is valid HTML according to the W3C Nu checker (vnu.jar)."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from feedback.models import Report
from stats.models import Announcement, Guide
from tests import tools


@pytest.mark.html
@pytest.mark.django_db
def test_public_pages_have_no_html_errors(client: Client, tmp_path: Path) -> None:
    call_command("seed_demo", reports=25, stdout=io.StringIO())
    published = Report.objects.published().first()
    assert published is not None
    urls = [
        "/",
        "/dang-ky/",
        "/dang-nhap/",
        "/quen-mat-khau/",
        "/dang-ky/gui-lai/",
        "/gui-phan-anh/",
        "/tra-cuu/",
        "/tra-cuu/?code=PA-0000-0000",
        "/phan-anh/",
        "/phan-anh/?q=duong",
        f"/phan-anh/{published.code}/",
        "/ban-do/",
        "/ban-do/?commune=22759&status=resolved",
        "/thong-ke/",
        "/thong-bao/",
        f"/thong-bao/{Announcement.objects.current().first().slug}/",  # type: ignore[union-attr]
        "/huong-dan/",
        *(f"/huong-dan/{guide.slug}/" for guide in Guide.objects.all()),
        "/open311/",
        "/ngoai-tuyen/",
        "/khong-co-trang-nay/",
    ]
    pages = []
    for number, url in enumerate(urls):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        page = tmp_path / f"page{number}.html"
        page.write_bytes(response.content)
        pages.append((page, url))
    client.force_login(User.objects.get(username="congdan"))
    profile = tmp_path / "profile.html"
    profile.write_bytes(client.get("/tai-khoan/").content)
    pages.append((profile, "/tai-khoan/"))

    result = subprocess.run(
        [
            "java",
            "-jar",
            str(tools.VNU),
            "--format",
            "json",
            "--stdout",
            *(str(p) for p, _ in pages),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.stdout.startswith("{"), f"vnu.jar failed: {result.stderr[-2000:]}"
    messages = json.loads(result.stdout)["messages"]
    names = {str(page): url for page, url in pages}
    errors = [
        f"{names.get(m.get('url', '').removeprefix('file:'), m.get('url'))}"
        f":{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
    assert not errors, "\n".join(errors)
