from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from accounts.models import User
from tests.browser.helpers import assert_accessible, screenshots, solve_captcha

pytestmark = pytest.mark.django_db(transaction=True)


def test_register_confirm_and_login(live_server, page: Page, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = live_server.url  # links in emails come from SITE_URL only
    page.goto(f"{live_server.url}/dang-ky/")
    expect(page).to_have_title(re.compile("Đăng ký tài khoản"))
    assert_accessible(page)
    screenshots(page, "register")

    page.fill("input[name=username]", "tranthibinh")
    page.fill("input[name=password1]", "Bien-xanh-Ninh-Chu-26")
    page.fill("input[name=password2]", "Bien-xanh-Ninh-Chu-26")
    page.fill("input[name=full_name]", "Trần Thị Bình")
    page.fill("input[name=id_number]", "058190004321")
    page.fill("input[name=address]", "45 Thống Nhất, Phan Rang - Tháp Chàm")
    page.fill("input[name=email]", "binh@example.vn")
    page.fill("input[name=phone]", "0987 654 321")
    page.check("input[name=consent]")
    # A new captcha without reloading: what was typed stays, the key and image change.
    old_key = page.locator("input[name=captcha_0]").input_value()
    old_src = page.locator("img.captcha-image").get_attribute("src")
    page.get_by_role("button", name="Đổi mã khác").click()
    expect(page.locator("input[name=captcha_0]")).not_to_have_value(old_key)
    assert page.locator("img.captcha-image").get_attribute("src") != old_src
    expect(page.locator("input[name=full_name]")).to_have_value("Trần Thị Bình")
    expect(page.get_by_role("link", name="Nghe mã (âm thanh)")).to_be_visible()
    solve_captcha(page)
    page.get_by_role("button", name="Đăng ký").last.click()

    expect(
        page.get_by_role("heading", name="Đăng ký tài khoản thành công")
    ).to_be_visible()
    user = User.objects.get(username="tranthibinh")
    assert not user.is_active
    assert user.phone == "0987654321"

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/dang-ky/xac-nhan/\S+/", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    page.goto(link.group(0))
    expect(page.get_by_text("Đã xác nhận email")).to_be_visible()

    assert_accessible(page)
    screenshots(page, "login")
    page.fill("input[name=username]", "binh@example.vn")
    page.fill("input[name=password]", "Bien-xanh-Ninh-Chu-26")
    page.locator("main").get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Tài khoản của tôi")).to_be_visible()
    assert_accessible(page)
    screenshots(page, "profile")
