from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_home_page_is_vietnamese_with_menu(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="vi">' in content
    assert "Trang chủ" in content
    assert "Đăng ký" in content


def test_healthz_touches_nothing(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_robots_txt_lists_sitemap(client: Client) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert b"Disallow: /admin/" in response.content
