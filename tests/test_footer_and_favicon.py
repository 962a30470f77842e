"""The footer's counters read clearly; /favicon.ico exists for admin pages too."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client


@pytest.mark.django_db
def test_footer_counters_are_labelled_in_vietnamese(client: Client) -> None:
    html = client.get("/").content.decode()
    assert "Trực tuyến: <strong" in html
    assert "Online:" not in html
    assert '<span class="visually-hidden"> người đang truy cập</span>' in html
    assert '<span class="visually-hidden"> lượt truy cập</span>' in html


@pytest.mark.django_db
def test_favicon_ico_and_admin_icon_link(client: Client, editor: Any) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("/img/favicon.svg")
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert 'rel="icon"' in html and "img/favicon.svg" in html
