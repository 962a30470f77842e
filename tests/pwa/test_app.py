"""The installable web app: manifest, icons, service worker, offline page, guide."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from PIL import Image

from portal import pwa
from stats import demo
from stats.models import Guide

pytestmark = pytest.mark.django_db


def test_manifest_has_what_browsers_need(client: Client) -> None:
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(response.content)
    assert manifest["name"] == "Hệ thống Phản ánh hiện trường Ninh Thuận"
    assert manifest["short_name"] == "Phản ánh NT"
    assert manifest["display"] == "standalone"
    assert manifest["start_url"].startswith("/")
    assert manifest["lang"] == "vi"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}


@pytest.mark.parametrize(
    ("name", "size", "opaque"),
    [
        ("icon-192", 192, False),
        ("icon-512", 512, False),
        ("icon-maskable-512", 512, True),
        ("apple-touch-icon-180", 180, True),
    ],
)
def test_icons_are_pngs_of_the_right_size(
    client: Client, name: str, size: int, opaque: bool
) -> None:
    response = client.get(f"/ung-dung/{name}.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "max-age=86400" in response["Cache-Control"]
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG"
    assert image.size == (size, size)
    corner = image.convert("RGBA").getpixel((0, 0))
    assert isinstance(corner, tuple)
    assert (corner[3] == 255) is opaque
    # Drawn from the logo: its red disc and yellow star are there.
    colours = set(image.convert("RGB").get_flattened_data())
    assert (200, 16, 46) in colours
    assert (255, 205, 0) in colours


def test_unknown_icon_is_404(client: Client) -> None:
    assert client.get("/ung-dung/khong-co.png").status_code == 404


def test_service_worker_is_served_from_the_root(client: Client) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert '"/ngoai-tuyen/"' in body
    assert "/static/css/portal.css" in body
    assert "/gui-phan-anh/" in body


def test_pages_link_manifest_worker_and_touch_icon(client: Client) -> None:
    text = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in text
    assert 'data-sw="/sw.js"' in text
    assert 'rel="apple-touch-icon" href="/ung-dung/apple-touch-icon-180.png"' in text
    assert "<script>" not in text  # CSP: no inline script


def test_offline_page(client: Client) -> None:
    response = client.get("/ngoai-tuyen/")
    assert response.status_code == 200
    assert "Không có kết nối mạng" in response.content.decode()


def test_report_form_offers_a_draft(client: Client) -> None:
    text = client.get("/gui-phan-anh/").content.decode()
    assert "data-draft-form" in text
    assert "Lưu bản nháp trên máy này" in text


def _seed_guides() -> None:
    demo.seed(io.StringIO())


def test_seed_replaces_the_old_app_guide_text_once(db: None) -> None:
    guide = Guide.objects.create(
        slug="huong-dan-su-dung-tren-app",
        title="Hướng dẫn sử dụng trên App",
        kind="app",
        body=demo._OLD_APP_BODY,
    )
    _seed_guides()
    guide.refresh_from_db()
    assert "Thêm vào màn hình chính" in guide.body
    assert "Chia sẻ" in guide.body and "Thêm vào MH chính" in guide.body
    guide.body = "Nội dung biên tập viên tự viết."
    guide.save()
    _seed_guides()
    guide.refresh_from_db()
    assert guide.body == "Nội dung biên tập viên tự viết."
    assert Guide.objects.filter(slug=guide.slug).count() == 1


def test_app_guide_links_the_api_docs(client: Client, db: Any) -> None:
    _seed_guides()
    response = client.get("/huong-dan/huong-dan-su-dung-tren-app/")
    assert response.status_code == 200
    assert 'href="/open311/"' in response.content.decode()


def test_service_worker_fetches_are_not_counted_as_visits(client: Client) -> None:
    """The worker caches pages without cookies: none of that is a visitor."""
    ua = "Mozilla/5.0 (Linux; Android 14) Chrome/131.0 Mobile Safari/537.36"
    fetched = client.get("/", HTTP_SEC_FETCH_MODE="same-origin", HTTP_USER_AGENT=ua)
    assert "pa_visitor" not in fetched.cookies
    manifest = client.get("/manifest.webmanifest", HTTP_USER_AGENT=ua)
    assert "pa_visitor" not in manifest.cookies
    opened = client.get("/", HTTP_SEC_FETCH_MODE="navigate", HTTP_USER_AGENT=ua)
    assert "pa_visitor" in opened.cookies


def test_report_from_the_installed_app_records_the_app_channel(
    client: Client, report_form: dict[str, str], media: Any
) -> None:
    from feedback.models import Channel, Report

    client.post("/gui-phan-anh/", {**report_form, "kenh": "app"})
    client.post("/gui-phan-anh/", {**report_form, "title": "Rác thải ven đường 16/4"})
    channels = dict(Report.objects.values_list("title", "channel"))
    assert channels == {
        "Ổ gà lớn trên đường 16/4": Channel.APP,
        "Rác thải ven đường 16/4": Channel.WEB,
    }


@pytest.mark.cairo
def test_committed_icons_are_what_make_icons_draws_from_the_logo(
    tmp_path: Path,
) -> None:
    from PIL import ImageChops, ImageStat

    call_command("make_icons", out=tmp_path, stdout=io.StringIO())
    for name in pwa.ICONS:
        drawn = Image.open(tmp_path / f"{name}.png").convert("RGBA")
        committed = Image.open(pwa.ICON_DIR / f"{name}.png").convert("RGBA")
        assert drawn.size == committed.size, name
        # Another cairo version may round edges differently, never draw another icon.
        difference = ImageStat.Stat(ImageChops.difference(drawn, committed)).mean
        assert max(difference) < 2, f"{name}: run `make icons` and commit the PNGs"
