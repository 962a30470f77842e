from __future__ import annotations

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_accessible, screenshots
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_official_enrols_a_second_factor_at_first_admin_login(  # type: ignore[no-untyped-def]
    live_server, page: Page, settings
) -> None:
    settings.OFFICIALS_2FA = True
    official = UserFactory(username="tiepnhan_thu", is_staff=True)
    page.goto(f"{live_server.url}/admin/")
    page.fill("input[name=username]", official.username)
    page.fill("input[name=password]", "Mat-khau-an-toan-2026")
    page.locator("input[type=submit]").click()
    expect(
        page.get_by_role("heading", name="Thiết lập xác thực hai bước")
    ).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Mã QR"))).to_be_visible()
    assert_accessible(page)
    screenshots(page, "two-factor-setup")
    device = TOTPDevice.objects.get(user=official, confirmed=False)
    page.get_by_label("Mã xác thực hai bước").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("heading", name="Đã bật xác thực hai bước")).to_be_visible()
    assert page.locator("main li").count() == 10
    assert_accessible(page)
    screenshots(page, "two-factor-backup")
    page.get_by_role("link", name="Tiếp tục").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
