"""The conversation's pages and forms are valid HTML (W3C Nu checker, vnu.jar)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

from feedback.models import Follow, Rating, Status
from feedback.questionnaire import link
from tests.factories import ReportFactory

VNU = Path(__file__).resolve().parents[2] / "node_modules/vnu-jar/build/dist/vnu.jar"


@pytest.mark.django_db
def test_conversation_pages_have_no_html_errors(
    client: Client,
    citizen: Any,
    agency_a: Any,
    tmp_path: Path,
) -> None:
    java = shutil.which("java")
    assert java, "the Nu checker needs Java (Debian: default-jre-headless)"
    open_report = ReportFactory(reporter=citizen, status=Status.ACCEPTED)
    resolved = ReportFactory(reporter=citizen, status=Status.RESOLVED, agency=agency_a)
    unhappy = ReportFactory(reporter=citizen, status=Status.RESOLVED, agency=agency_a)
    Rating.objects.create(report=unhappy, satisfied=False, reasons=["slow"])
    pages: list[tuple[str, bytes]] = []
    anonymous = Client()
    pages.append(
        ("public report", anonymous.get(f"/phan-anh/{resolved.code}/").content)
    )
    pages.append(("area alerts", anonymous.get("/nhan-tin-khu-vuc/").content))
    bad = anonymous.post("/nhan-tin-khu-vuc/", {"email": "x"})
    pages.append(("area alerts errors", bad.content))
    follow = anonymous.post(f"/phan-anh/{resolved.code}/theo-doi/", {"email": "x"})
    pages.append(("follow errors", follow.content))
    client.force_login(citizen)
    for name, report in (("own open", open_report), ("own resolved", resolved)):
        pages.append((name, client.get(f"/phan-anh/{report.code}/").content))
    pages.append(("own unhappy", client.get(f"/phan-anh/{unhappy.code}/").content))
    pages.append(("correct", client.get(f"/phan-anh/{open_report.code}/sua/").content))
    Follow.objects.create(report=resolved, email="a@example.vn")
    pages.append(("follow bad link", anonymous.get("/theo-doi/huy/abc/").content))
    for answer in ("not-yet", "yes"):
        path = urlsplit(link(resolved, answer)).path
        pages.append((f"questionnaire {answer}", anonymous.get(path).content))
    files = []
    for number, (name, body) in enumerate(pages):
        path = tmp_path / f"page{number}.html"
        path.write_bytes(body)
        files.append((path, name))
    result = subprocess.run(
        [
            java,
            "-jar",
            str(VNU),
            "--format",
            "json",
            "--stdout",
            *(str(p) for p, _ in files),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(result.stdout)["messages"]
    names = {str(path): name for path, name in files}
    errors = [
        f"{names.get(m.get('url', '').removeprefix('file:'), m.get('url'))}"
        f":{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
    assert not errors, "\n".join(errors)
    assert len(files) == 11
    bodies = dict(pages)
    assert "Theo dõi phản ánh này".encode() in bodies["public report"]
    assert "Bổ sung thông tin, ảnh".encode() in bodies["own open"]
    assert "Yêu cầu xem xét lại".encode() in bodies["own unhappy"]
