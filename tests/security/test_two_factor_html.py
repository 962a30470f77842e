"""The second-factor pages are valid HTML (W3C Nu checker), like every page."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory

VNU = Path(__file__).resolve().parents[2] / "node_modules/vnu-jar/build/dist/vnu.jar"


@pytest.mark.django_db
def test_second_factor_pages_have_no_html_errors(tmp_path: Path, settings: Any) -> None:
    settings.OFFICIALS_2FA = True
    files = []
    enrolling, enrolled = Client(), Client()
    enrolling.force_login(UserFactory(is_staff=True))
    owner = UserFactory(is_staff=True)
    TOTPDevice.objects.create(user=owner, confirmed=True)
    enrolled.force_login(owner)
    account = UserFactory()
    for _ in range(3):
        Client().post("/dang-nhap/", {"username": account.username, "password": "x"})
    pages = {
        "setup": enrolling.get("/xac-thuc-hai-buoc/dang-ky/"),
        "verify": enrolled.get("/xac-thuc-hai-buoc/"),
        "login-captcha": Client().post(
            "/dang-nhap/", {"username": account.username, "password": "x"}
        ),
    }
    assert b'name="captcha_1"' in pages["login-captcha"].content
    for name, response in pages.items():
        assert response.status_code == 200, name
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--stdout", *files],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(result.stdout)["messages"]
    errors = [m for m in messages if m.get("type") == "error"]
    assert errors == [], errors
