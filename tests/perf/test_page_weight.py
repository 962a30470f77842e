"""Page weight of the home page with production static files.

collectstatic runs into a temporary folder with whitenoise's compressed manifest
storage, then the home page and everything it loads are fetched through the app:
same host only, compressed (the HTML by the app itself), far-future cache headers,
and under 150 KB in total.
"""

from __future__ import annotations

import gzip
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from stats import demo

BUDGET_BYTES = 150 * 1024
ONE_YEAR = 365 * 24 * 3600
# Every resource the page loads: stylesheets, scripts, images, icons.
RESOURCE = re.compile(
    r"<(?:link|script|img)\b[^>]*?\b(?:href|src)=\"([^\"]+)\"", re.IGNORECASE
)


def _body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


@pytest.fixture
def production_static(settings: Any, tmp_path: Path) -> Path:
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        },
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    return Path(settings.STATIC_ROOT)


@pytest.mark.django_db
def test_home_page_is_light_compressed_and_cached_for_a_year(
    production_static: Path,
) -> None:
    demo.seed(StringIO())
    client = Client()  # a new handler: WhiteNoise indexes the new STATIC_ROOT
    page = client.get("/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert page.status_code == 200
    assert page["Content-Encoding"] == "gzip"  # no proxy needed for that
    total = len(page.content)
    html = gzip.decompress(page.content)

    urls = RESOURCE.findall(html.decode())
    assert any(u.endswith(".css") for u in urls), urls
    assert any(u.endswith(".js") for u in urls), urls
    for url in urls:
        # No request to another host, render-blocking or not.
        assert url.startswith("/") and not url.startswith("//"), url
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
        assert response.status_code == 200, url
        body = _body(response)
        if not url.startswith("/static/"):
            # A view: the app manifest, gzipped by the app like the page; an icon.
            if "image/png" not in response["Content-Type"]:
                assert response.get("Content-Encoding") == "gzip", url
            total += len(body)
            continue
        # Manifest names carry a content hash: safe to cache for a year.
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", url), url
        assert f"max-age={ONE_YEAR * 10}" in response["Cache-Control"] or (
            "immutable" in response["Cache-Control"]
        ), (url, response["Cache-Control"])
        if url.endswith((".css", ".js", ".svg")):
            assert response.get("Content-Encoding") in ("br", "gzip"), url
        total += len(body)
    print(f"home page weight, compressed: {total} bytes")
    assert total < BUDGET_BYTES, f"home page weighs {total / 1024:.0f} KB"
