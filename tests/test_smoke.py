from __future__ import annotations

import unicodedata

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
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


@pytest.mark.django_db
def test_readyz_checks_database_and_cache(client: Client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"ready"


@pytest.mark.django_db
def test_readyz_reports_a_dead_cache(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert b"cache" in response.content


@pytest.mark.django_db
def test_language_links_name_each_language_in_itself(client: Client) -> None:
    # Django's own language names; compared in one Unicode form.
    content = unicodedata.normalize("NFC", client.get("/dang-nhap/").content.decode())
    assert 'hreflang="en">English</a>' in content
    assert 'hreflang="vi" aria-current="true">Tiếng Việt</a>' in content


def test_the_wsgi_module_leaves_what_it_loaded_out_of_full_collections() -> None:
    import gc
    import importlib

    import portal.wsgi

    gc.unfreeze()  # whatever an earlier import froze
    assert gc.get_freeze_count() == 0
    importlib.reload(portal.wsgi)
    assert gc.get_freeze_count() > 10_000  # Django and the apps, loaded
    gc.unfreeze()  # the test process goes on collecting as before
