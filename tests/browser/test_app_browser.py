"""The portal as an installed app: manifest, service worker, offline, drafts."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from feedback.models import Report
from tests.browser.helpers import assert_accessible, screenshots, solve_captcha
from tests.factories import CategoryFactory
from tests.feedback import files

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for_worker(page: Page) -> None:
    """Until the service worker is active and controls the page."""
    # page.evaluate, not wait_for_function: the portal's CSP forbids eval.
    state = page.evaluate(
        """async () => {
            const registration = await navigator.serviceWorker.ready;
            if (!navigator.serviceWorker.controller) {
                await new Promise((resolve) => navigator.serviceWorker
                    .addEventListener("controllerchange", resolve, {once: true}));
            }
            const worker = registration.active;
            if (worker.state !== "activated") {
                await new Promise((resolve) => worker.addEventListener(
                    "statechange", () => worker.state === "activated" && resolve()));
            }
            return worker.state;
        }"""
    )
    assert state == "activated"


def draft_count(page: Page) -> int:
    return int(
        page.evaluate(
            """() => new Promise((resolve, reject) => {
                const open = indexedDB.open("portal-drafts", 1);
                open.onupgradeneeded = () => open.result.createObjectStore("drafts");
                open.onsuccess = () => {
                    const tx = open.result.transaction("drafts", "readonly");
                    const count = tx.objectStore("drafts").count();
                    count.onsuccess = () => resolve(count.result);
                };
                open.onerror = () => reject(open.error);
            })"""
        )
    )


def test_manifest_is_linked_and_icons_load(live_server: Any, page: Page) -> None:
    page.goto(f"{live_server.url}/")
    href = page.locator("link[rel=manifest]").get_attribute("href")
    assert href == "/manifest.webmanifest"
    manifest = page.evaluate(f"fetch({href!r}).then((r) => r.json())")
    assert manifest["display"] == "standalone"
    assert manifest["short_name"] == "Phản ánh NT"
    for icon in manifest["icons"]:
        response = page.request.get(live_server.url + icon["src"])
        assert response.ok
        image = Image.open(io.BytesIO(response.body()))
        assert f"{image.width}x{image.height}" == icon["sizes"]
    touch = page.locator("link[rel=apple-touch-icon]").get_attribute("href")
    image = Image.open(io.BytesIO(page.request.get(live_server.url + touch).body()))
    assert image.size == (180, 180)


def test_pages_open_offline_once_the_worker_is_active(
    live_server: Any, page: Page
) -> None:
    page.goto(f"{live_server.url}/")
    wait_for_worker(page)
    page.context.set_offline(True)
    try:
        # A precached page opens as it was.
        page.goto(f"{live_server.url}/gui-phan-anh/")
        expect(page.get_by_role("heading", name="Gửi phản ánh")).to_be_visible()
        expect(page.get_by_text("Ông/Bà đang ngoại tuyến.")).to_be_visible()
        # Any other page falls back to the offline page.
        page.goto(f"{live_server.url}/thong-ke/")
        expect(
            page.get_by_role("heading", name="Không có kết nối mạng")
        ).to_be_visible()
        assert_accessible(page)
        screenshots(page, "app-offline")
    finally:
        page.context.set_offline(False)


def test_draft_written_offline_is_sent_when_online(
    live_server: Any, page: Page, media: Path, tmp_path: Path
) -> None:
    CategoryFactory(name="Giao thông", slug="giao-thong")
    photo = tmp_path / "o-ga.jpg"
    photo.write_bytes(files.image_bytes("JPEG", size=(640, 480)))
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/")
    wait_for_worker(page)

    page.context.set_offline(True)
    page.goto(f"{live_server.url}/gui-phan-anh/")
    page.fill("input[name=full_name]", "Trần Thị Bình")
    page.fill("input[name=id_number]", "058190004321")
    page.fill("input[name=email]", "binh@example.vn")
    page.fill("input[name=phone]", "0987 654 321")
    page.fill(
        "input[name=location]", "Đường 16/4, phường Mỹ Hải, Phan Rang - Tháp Chàm"
    )
    page.select_option("select[name=category]", label="Giao thông")
    page.fill("input[name=title]", "Ổ gà lớn trên đường 16/4")
    page.fill(
        "textarea[name=content]",
        "Mặt đường có nhiều ổ gà sâu, trời mưa đọng nước, xe máy đi lại nguy hiểm.",
    )
    page.set_input_files("input[name=attachments]", photo)
    page.get_by_role("button", name="Lưu bản nháp trên máy này").click()
    banner = page.locator("#draft-banner")
    expect(banner).to_contain_text("Đã lưu bản nháp trên máy này")
    expect(banner).to_contain_text("1 tệp đính kèm")
    assert_accessible(page)
    screenshots(page, "app-draft-saved")

    # A reload (still offline) loses nothing.
    page.reload()
    expect(page.locator("input[name=title]")).to_have_value("Ổ gà lớn trên đường 16/4")
    expect(page.locator("input[name=id_number]")).to_have_value("058190004321")
    assert (
        page.evaluate("document.querySelector('input[name=attachments]').files.length")
        == 1
    )
    assert not Report.objects.exists()

    # Back online: the banner says what is waiting; the form reopens filled in.
    page.context.set_offline(False)
    page.goto(f"{live_server.url}/")
    expect(banner).to_contain_text("Ông/Bà có một phản ánh chưa gửi")
    page.get_by_role("link", name="Mở bản nháp để gửi").click()
    expect(banner).to_contain_text("Đã điền lại bản nháp")
    expect(page.locator("textarea[name=content]")).to_have_value(
        re.compile("Mặt đường có nhiều ổ gà sâu")
    )
    page.check("input[name=consent]")
    solve_captcha(page)
    page.get_by_role("button", name="Gửi phản ánh").last.click()
    expect(
        page.get_by_role("heading", name="Đã gửi phản ánh thành công")
    ).to_be_visible()

    report = Report.objects.get()
    assert report.title == "Ổ gà lớn trên đường 16/4"
    assert report.id_number == "058190004321"
    assert report.category is not None and report.category.slug == "giao-thong"
    assert report.attachments.count() == 1
    # The personal data left the device's storage once the report was filed.
    expect(banner).to_be_hidden()
    assert draft_count(page) == 0
    page.goto(f"{live_server.url}/")
    expect(banner).to_be_hidden()


def test_api_guide_reads_well(live_server: Any, page: Page) -> None:
    CategoryFactory(name="Giao thông", slug="giao-thong")
    page.goto(f"{live_server.url}/open311/")
    expect(
        page.get_by_role("heading", name="API Open311 cho ứng dụng đối tác")
    ).to_be_visible()
    expect(page.get_by_text("attribute[consent]").first).to_be_visible()
    assert_accessible(page)
    screenshots(page, "open311-docs")
