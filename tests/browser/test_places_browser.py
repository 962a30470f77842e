from __future__ import annotations

import copy
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from feedback.models import Report, Status
from places.loading import load_default_units
from portal.lib.env import origin_of
from tests.browser.helpers import (
    assert_accessible,
    assert_accessible_without_script,
    screenshots,
    solve_captcha,
)
from tests.factories import CategoryFactory, ReportFactory
from tests.feedback import files
from tests.places.tiles import TileServer, tile_server

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def tiles(settings: Any) -> Iterator[TileServer]:
    """A local tile server, configured as the portal's MAP_TILE_URL (CSP included)."""
    with tile_server() as server:
        settings.MAP_TILE_URL = server.url
        settings.MAP_ATTRIBUTION = "Bản đồ thử nghiệm"
        policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
        policy["DIRECTIVES"]["img-src"].append(origin_of(server.url))
        settings.CONTENT_SECURITY_POLICY = policy
        yield server


def fill_required(page: Page) -> None:
    page.fill("input[name=full_name]", "Trần Thị Bình")
    page.fill("input[name=id_number]", "058190004321")
    page.fill("input[name=email]", "binh@example.vn")
    page.fill("input[name=phone]", "0987 654 321")
    page.fill("input[name=location]", "Trước số 12 đường 16/4, gần chợ")
    page.fill("input[name=title]", "Ổ gà lớn trên đường 16/4")
    page.fill(
        "textarea[name=content]",
        "Mặt đường có nhiều ổ gà sâu, trời mưa đọng nước, xe máy đi lại nguy hiểm.",
    )
    page.check("input[name=consent]")
    solve_captcha(page)


def test_map_picker_drops_and_drags_a_pin_at_360px(
    live_server: Any, page: Page, tiles: TileServer
) -> None:
    load_default_units()
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/gui-phan-anh/")
    map_box = page.locator("#place-map")
    expect(map_box).to_be_visible()
    expect(page.locator("#place-map img.leaflet-tile-loaded").first).to_be_visible()
    assert tiles.requests, "the map asked the tile server for no tile"
    map_box.scroll_into_view_if_needed()
    box = map_box.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    lat = page.locator("input[name=latitude]")
    expect(lat).not_to_have_value("")
    first = (lat.input_value(), page.locator("input[name=longitude]").input_value())
    expect(page.locator("#place-words")).to_contain_text("Vị trí đã chọn: vĩ độ")
    # Drag the pin 40 px to the right: the longitude grows.
    pin = page.locator(".leaflet-marker-icon").first
    pin_box = pin.bounding_box()
    assert pin_box is not None
    x = pin_box["x"] + pin_box["width"] / 2
    y = pin_box["y"] + pin_box["height"] - 4
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 20, y, steps=5)
    page.mouse.move(x + 40, y, steps=5)
    page.mouse.up()
    expect(page.locator("input[name=longitude]")).not_to_have_value(first[1])
    assert float(page.locator("input[name=longitude]").input_value()) > float(first[1])
    assert_accessible(page)
    map_box.screenshot(path=_artifact("map-picker-pin-360.png"))
    screenshots(page, "report-form-map", widths=(360,))


def _artifact(name: str) -> Path:
    from tests.browser.helpers import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name


def test_without_tile_server_the_form_requests_no_other_host_and_files_with_gps(
    live_server: Any, page: Page, media: Path, tmp_path: Path
) -> None:
    load_default_units()
    category = CategoryFactory(name="Giao thông", slug="giao-thong")
    nearby = ReportFactory(
        category=category,
        status=Status.ACCEPTED,
        title="Ổ gà trước chợ Phan Rang",
        latitude=Decimal("11.564600"),
        longitude=Decimal("108.988200"),
    )
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 11.5645, "longitude": 108.9881})
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/gui-phan-anh/")
    expect(page.locator("#place-map")).to_be_hidden()
    page.select_option("select[name=category]", label="Giao thông")

    # The commune filter finds the new ward from an old name, without accents.
    page.fill("#commune-filter", "kinh dinh")
    expect(page.locator("select[name=commune]")).to_have_value("22759")

    page.get_by_role("button", name="Dùng vị trí hiện tại").click()
    expect(page.locator("input[name=latitude]")).to_have_value("11.564500")
    expect(page.locator("input[name=longitude]")).to_have_value("108.988100")
    expect(page.locator("#place-words")).to_contain_text("11,56450° Bắc")
    near = page.locator("[data-place-nearby]")
    expect(near).to_contain_text("Ổ gà trước chợ Phan Rang")
    expect(near.get_by_role("link", name="Theo dõi phản ánh này")).to_have_attribute(
        "href", f"/phan-anh/{nearby.code}/"
    )
    assert_accessible(page)
    screenshots(page, "report-form-gps", widths=(360,))
    fill_required(page)
    page.get_by_role("button", name="Gửi phản ánh").last.click()
    expect(
        page.get_by_role("heading", name="Đã gửi phản ánh thành công")
    ).to_be_visible()
    report = Report.objects.exclude(pk=nearby.pk).get()
    assert report.commune_id == "22759"
    assert (report.latitude, report.longitude) == (
        Decimal("11.564500"),
        Decimal("108.988100"),
    )
    assert hosts == {urlsplit(live_server.url).netloc}


def test_photo_gps_is_offered_as_a_suggestion_the_citizen_accepts(
    live_server: Any, page: Page, tmp_path: Path
) -> None:
    load_default_units()
    photo = tmp_path / "o-ga.jpg"
    photo.write_bytes(files.image_bytes("JPEG", size=(400, 300), gps=True))
    page.goto(f"{live_server.url}/gui-phan-anh/")
    page.set_input_files("input[name=attachments]", [photo])
    suggestion = page.locator("[data-place-photo]")
    expect(suggestion).to_contain_text("Ảnh “o-ga.jpg” có ghi vị trí chụp")
    expect(page.locator("input[name=latitude]")).to_have_value("")
    page.get_by_role("button", name="Dùng vị trí của ảnh").click()
    # 11° 34′ N, 108° 59′ E
    expect(page.locator("input[name=latitude]")).to_have_value("11.566667")
    expect(page.locator("input[name=longitude]")).to_have_value("108.983333")
    expect(suggestion).to_be_hidden()


def test_public_map_shows_clusters_then_reports_at_360px(
    live_server: Any, page: Page, tiles: TileServer
) -> None:
    load_default_units()
    for n in range(4):
        ReportFactory(
            status=Status.IN_PROGRESS,
            title=f"Đèn đường hỏng số {n}",
            commune_id="22759",
            latitude=Decimal(f"11.56{n}000"),
            longitude=Decimal("108.988000"),
        )
    ReportFactory(
        status=Status.ACCEPTED,
        title="Rác ven biển Nha Trang",
        latitude=Decimal("12.238800"),
        longitude=Decimal("109.196700"),
    )
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/ban-do/")
    expect(page.locator("#public-map")).to_be_visible()
    clusters = page.locator(".map-cluster")
    expect(clusters.first).to_be_visible()
    counts = sorted(clusters.all_inner_texts())
    assert counts == ["1", "4"], counts
    # The list view holds the same five reports.
    expect(page.locator("#map-list li")).to_have_count(5)
    assert_accessible(page)
    screenshots(page, "public-map", widths=(360,))
    # Clicking the cluster zooms in until the reports show one by one.
    for _ in range(6):
        big = page.locator(".map-cluster", has_text="4")
        if not big.count():
            break
        big.first.click()
        page.wait_for_timeout(400)
    expect(page.locator(".leaflet-marker-icon:not(.map-cluster)").first).to_be_visible()
    page.locator("#public-map").screenshot(path=_artifact("public-map-zoomed-360.png"))


def test_keyboard_user_drops_the_pin_with_enter_or_skips_the_map(
    live_server: Any, page: Page, tiles: TileServer
) -> None:
    load_default_units()
    page.goto(f"{live_server.url}/gui-phan-anh/")
    skip = page.get_by_role("link", name="Không dùng được bản đồ? Bỏ qua bước này")
    expect(skip).to_be_visible()
    skip.focus()
    page.keyboard.press("Tab")  # the map itself
    assert page.evaluate("document.activeElement.id") == "place-map"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    expect(page.locator("input[name=latitude]")).not_to_have_value("")
    expect(page.locator("#place-words")).to_contain_text("Vị trí đã chọn")
    skip.click()
    assert page.evaluate("document.activeElement.name") == "commune"


def test_without_javascript_the_nearby_step_comes_before_filing_at_360px(
    live_server: Any, browser: Browser, media: Path, tmp_path: Path
) -> None:
    category = CategoryFactory(name="Giao thông", slug="giao-thong")
    nearby = ReportFactory(
        category=category,
        status=Status.ACCEPTED,
        title="Ổ gà trước chợ Phan Rang",
        latitude=Decimal("11.564600"),
        longitude=Decimal("108.988200"),
    )
    photo = tmp_path / "o-ga.jpg"
    photo.write_bytes(files.image_bytes("JPEG", size=(400, 300)))
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 800}
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/gui-phan-anh/")
    page.select_option("select[name=category]", label="Giao thông")
    page.fill("input[name=latitude]", "11.5645")
    page.fill("input[name=longitude]", "108.9881")
    page.set_input_files("input[name=attachments]", [photo])
    fill_required(page)
    page.get_by_role("button", name="Gửi phản ánh").last.click()

    expect(
        page.get_by_role("heading", name="Đã có phản ánh gần đây cùng lĩnh vực")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Ổ gà trước chợ Phan Rang")).to_have_attribute(
        "href", f"/phan-anh/{nearby.code}/"
    )
    expect(page.get_by_text(nearby.code, exact=True).first).to_be_visible()
    expect(
        page.get_by_role("button", name=f"Theo dõi phản ánh này {nearby.code}")
    ).to_be_visible()
    assert Report.objects.count() == 1
    assert_accessible_without_script(page)
    screenshots(page, "report-nearby-step", widths=(360,))

    page.get_by_role("button", name="Vẫn gửi phản ánh mới").click()
    expect(
        page.get_by_role("heading", name="Đã gửi phản ánh thành công")
    ).to_be_visible()
    report = Report.objects.exclude(pk=nearby.pk).get()
    assert report.title == "Ổ gà lớn trên đường 16/4"
    assert [a.original_name for a in report.attachments.all()] == ["o-ga.jpg"]
    context.close()
