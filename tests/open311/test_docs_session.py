"""The curl session on /open311/ works as printed, run with the real curl.

The commands are read from the rendered guide; only the placeholders a partner
replaces (the key, the code and token the portal gave) are filled in.
"""

from __future__ import annotations

import html
import re
import shlex
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from feedback.models import Report, ReporterUpdate
from tests.factories import CategoryFactory, PartnerFactory
from tests.feedback.files import jpeg


def guide_commands(page: str) -> list[str]:
    block = re.search(
        r'<pre class="api-example"[^>]*><code>(.*?)</code></pre>', page, re.S
    )
    assert block is not None
    text = html.unescape(block.group(1)).replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.startswith("curl ")]


def run_curl(command: str, cwd: Path) -> tuple[int, bytes]:
    curl = shutil.which("curl")
    assert curl, "the guide's session needs curl (Debian: curl)"
    args = shlex.split(command)
    out = cwd / "answer"
    result = subprocess.run(
        [curl, "-s", "-o", str(out), "-w", "%{http_code}", *args[1:]],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return int(result.stdout), out.read_bytes()


@pytest.mark.django_db(transaction=True)
def test_guide_session_runs_with_curl(
    live_server: Any, tmp_path: Path, media: Any
) -> None:
    CategoryFactory(name="Giao thông", slug="giao-thong")
    partner = PartnerFactory()
    (tmp_path / "anh.jpg").write_bytes(jpeg().read())
    page = Client().get("/open311/").content.decode()
    commands = [
        c.replace("http://testserver", live_server.url).replace(
            "pa311_...", partner.raw_key
        )
        for c in guide_commands(page)
    ]
    assert len(commands) == 11
    code = token = ""
    statuses = []
    for command in commands:
        if code:
            command = command.replace("PA-7K3Q-X9MD", code).replace("TOKEN", token)
        status, body = run_curl(command, tmp_path)
        statuses.append(status)
        if "-X POST" in command and "requests.xml" in command:
            root = ET.fromstring(body)  # noqa: S314 - the portal's own answer
            code = root.findtext("request/service_request_id") or ""
            token = root.findtext("request/token") or ""
    # Every step succeeds but the error example, which shows a 400.
    assert statuses == [200, 200, 200, 201, 200, 200, 200, 200, 200, 200, 400]
    report = Report.objects.get(code=code)
    assert report.latitude is not None
    assert report.attachments.count() == 1
    assert ReporterUpdate.objects.get(report=report).text.startswith("Ổ gà")
