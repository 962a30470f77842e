"""Home, statistics, announcements and guides in headless Chromium."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from feedback.models import Rating, Report, Status
from places.loading import load_default_units
from stats import demo
from stats.models import Announcement
from tests.browser.helpers import assert_accessible, screenshots
from tests.factories import AgencyFactory, CategoryFactory, ReportFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _demo_reports() -> None:
    roads = CategoryFactory(name="Giao thông", slug="giao-thong")
    waste = CategoryFactory(name="Môi trường", slug="moi-truong")
    agency = AgencyFactory(name="UBND thành phố Phan Rang - Tháp Chàm", code="ubnd")
    ReportFactory.create_batch(3, category=roads)
    for n, steps in enumerate(
        [
            ["accepted"],
            ["accepted", "in_progress"],
            ["accepted", "in_progress", "resolved"],
            ["accepted", "in_progress", "resolved"],
            ["rejected"],
        ]
    ):
        report = ReportFactory(
            category=waste if n % 2 else roads,
            agency=agency,
            full_name="Nguyễn Văn An",
            allow_publish=True,
        )
        for to in steps:
            report.transition(to, by=None, note="Đã xử lý xong theo quy định.")
    Report.objects.filter(status=Status.RESOLVED).update(is_published=True)


@pytest.fixture
def console_errors(page: Page) -> list[str]:
    """Console errors, CSP refusals among them, and uncaught page errors."""
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def _chart_matches_table(page: Page, chart_id: str) -> None:
    chart = page.locator(f"#{chart_id}")
    drawn = chart.locator("svg text.chart-value").all_text_contents()
    tabled = chart.locator("table tbody td").all_text_contents()
    assert drawn, f"{chart_id} draws no values"
    assert drawn == tabled


def test_home_page(live_server: Any, page: Page, console_errors: list[str]) -> None:
    demo.seed(StringIO())
    _demo_reports()
    page.goto(f"{live_server.url}/")
    expect(page).to_have_title(re.compile("Trang chủ"))
    expect(page.get_by_role("heading", name="Thông báo", exact=True)).to_be_visible()
    expect(
        page.get_by_role(
            "link", name=re.compile("Thông báo thay đổi Cơ quan Thường trực")
        )
    ).to_be_visible()
    expect(page.locator("#visits-total")).to_have_text(re.compile(r"^\d"))
    expect(page.get_by_role("img", name=re.compile("Mã QR Zalo"))).to_be_visible()
    _chart_matches_table(page, "home-chart-status")
    assert page.locator("#home-chart-status table tbody td").all_text_contents() == [
        "3", "1", "1", "2", "1",
    ]  # fmt: skip
    assert_accessible(page)
    screenshots(page, "home")
    assert console_errors == []


def test_a_person_is_counted_and_headless_robots_are_not(
    live_server: Any, page: Page, browser: Any, settings: Any
) -> None:
    # The service worker fetches "/" in the background; with the anonymous page
    # cache on, the phone would see that copy's count (up to PAGE_CACHE_SECONDS
    # old, by design). Counting on cached hits is tested in tests/perf.
    settings.PAGE_CACHE_SECONDS = 0
    demo.seed(StringIO())  # the seed's total: 183.766
    page.goto(f"{live_server.url}/huong-dan/")  # HeadlessChrome: not a person
    expect(page.locator("#visits-total")).to_have_text("183.766")
    person = browser.new_context(
        user_agent="Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36"
    )
    phone = person.new_page()
    phone.goto(f"{live_server.url}/")
    expect(phone.locator("#visits-total")).to_have_text("183.767")
    expect(phone.locator("#visits-online")).to_have_text("1")
    phone.goto(f"{live_server.url}/thong-ke/")  # the same visit
    expect(phone.locator("#visits-total")).to_have_text("183.767")
    person.close()


def test_statistics_page(
    live_server: Any, page: Page, console_errors: list[str]
) -> None:
    _demo_reports()
    load_default_units()
    reports = list(Report.objects.order_by("pk"))
    for report, code in zip(
        reports, ["22366", "22366", "22420", "22420"], strict=False
    ):
        Report.objects.filter(pk=report.pk).update(commune_id=code)
    for n, report in enumerate(Report.objects.filter(status=Status.RESOLVED)):
        Rating.objects.create(report=report, satisfied=n == 0)
    page.goto(f"{live_server.url}/thong-ke/")
    expect(page.get_by_role("heading", name="Thống kê kết quả xử lý")).to_be_visible()
    expect(page.locator("#figure-total")).to_have_text(str(Report.objects.count()))
    for chart_id in ("chart-status", "chart-category", "chart-agency", "chart-month"):
        _chart_matches_table(page, chart_id)
    expect(page.locator("#figure-period")).to_contain_text("Kỳ báo cáo")
    expect(page.locator("#figure-average")).to_contain_text("ngày làm việc")
    expect(page.get_by_role("heading", name="Cách tính")).to_be_visible()
    expect(page.get_by_text("đang quá hạn được tính là không đúng hạn")).to_be_visible()
    communes = page.locator("#table-commune")
    expect(communes.get_by_role("rowheader")).to_have_text(
        ["Phường Cam Ranh", "Phường Nha Trang", "Chưa xác định xã/phường"]
    )
    agencies = page.get_by_role("table", name="Tỉ lệ hài lòng theo cơ quan xử lý")
    expect(agencies.locator("td")).to_have_text(["50,0% (2 đánh giá)"])
    assert_accessible(page)
    screenshots(page, "statistics")
    page.set_viewport_size({"width": 360, "height": 800})
    assert_accessible(page)  # the scrolling table region too
    page.set_viewport_size({"width": 1280, "height": 800})

    communes.get_by_role("link", name="Phường Nha Trang").click()
    expect(page.locator("#figure-total")).to_have_text("2")
    expect(page.locator("#id_commune")).to_have_value("22366")
    expect(communes.get_by_role("rowheader")).to_have_text(["Phường Nha Trang"])

    page.select_option("#id_commune", "")  # every commune again
    page.select_option("#id_category", "moi-truong")
    page.get_by_role("button", name="Xem số liệu").click()
    expect(page.locator("#figure-total")).to_have_text(
        str(Report.objects.filter(category__slug="moi-truong").count())
    )
    page.select_option("#id_period", "custom")
    page.fill("#id_start", "2026-05-01")
    page.fill("#id_end", "2026-04-01")
    page.get_by_role("button", name="Xem số liệu").click()
    expect(page.get_by_text("Ngày kết thúc phải sau ngày bắt đầu.")).to_be_visible()
    assert_accessible(page)
    assert console_errors == []


def test_announcements_and_guides(
    live_server: Any, page: Page, console_errors: list[str]
) -> None:
    demo.seed(StringIO())
    page.goto(f"{live_server.url}/thong-bao/")
    expect(page).to_have_title(re.compile("Thông báo"))
    expect(page.get_by_text(re.compile(r"của Bộ\.\.\.$"))).to_be_visible()
    assert_accessible(page)
    screenshots(page, "announcements")

    first = Announcement.objects.current().first()
    assert first is not None
    page.get_by_role("link", name=first.title).click()
    expect(page.get_by_role("heading", name=first.title)).to_be_visible()
    assert_accessible(page)
    screenshots(page, "announcement")

    page.goto(f"{live_server.url}/huong-dan/")
    assert_accessible(page)
    screenshots(page, "guides")
    page.get_by_role("link", name="Hướng dẫn sử dụng trên Web").click()
    expect(page.get_by_text("Mã xác thực:").first).to_be_visible()
    assert_accessible(page)
    screenshots(page, "guide-web")
    page.goto(f"{live_server.url}/huong-dan/huong-dan-su-dung-quet-ma-qr-zalo/")
    expect(page.get_by_role("img", name=re.compile("Mã QR Zalo"))).to_be_visible()
    assert_accessible(page)
    screenshots(page, "guide-zalo")
    assert console_errors == []


def test_main_menu_opens_and_closes_at_phone_width(
    live_server: Any, page: Page, console_errors: list[str]
) -> None:
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/")
    button = page.get_by_role("button", name="Mở menu")
    menu = page.locator("#main-menu")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu.get_by_role("link", name="Thống kê")).to_be_hidden()
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Thống kê")).to_be_visible()
    assert_accessible(page)
    button.click()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu.get_by_role("link", name="Thống kê")).to_be_hidden()
    # Wide screens show the menu without the button.
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(button).to_be_hidden()
    expect(menu.get_by_role("link", name="Thống kê")).to_be_visible()
    assert console_errors == []
