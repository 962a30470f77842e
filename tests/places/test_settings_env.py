from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from portal.lib.env import envboxes, origin_of

ROOT = Path(__file__).resolve().parents[2]


def test_origin_of_tile_urls() -> None:
    assert origin_of("https://tiles.example.vn/{z}/{x}/{y}.png") == (
        "https://tiles.example.vn"
    )
    assert origin_of("https://{s}.tile.example.vn/{z}/{x}/{y}.png") == (
        "https://*.tile.example.vn"
    )
    with pytest.raises(ImproperlyConfigured):
        origin_of("javascript:alert(1)")


def test_envboxes_refuses_bad_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_BOUNDS", "11,108,12,109;6,111,12,118")
    assert envboxes("PORTAL_BOUNDS", "") == [(11, 108, 12, 109), (6, 111, 12, 118)]
    for bad in ("11,108,12", "12,108,11,109", "a,b,c,d"):
        monkeypatch.setenv("PORTAL_BOUNDS", bad)
        with pytest.raises(ImproperlyConfigured, match="PORTAL_BOUNDS"):
            envboxes("PORTAL_BOUNDS", "")


@pytest.mark.django_db
def test_without_tile_server_the_csp_allows_images_from_this_host_only(
    client: Client,
) -> None:
    policy = client.get("/gui-phan-anh/")["Content-Security-Policy"]
    img = next(part for part in policy.split(";") if "img-src" in part)
    assert img.split() == ["img-src", "'self'", "data:"]


def test_with_a_tile_server_the_csp_allows_that_host() -> None:
    code = (
        "from django.conf import settings;"
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    )
    env = {
        "DEBUG": "1",
        "MAP_TILE_URL": "https://tiles.example.vn/{z}/{x}/{y}.png",
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "https://tiles.example.vn" in out
