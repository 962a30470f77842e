"""Editors: slugs that keep every letter, a Markdown preview, published by default."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from stats.models import Announcement

ADD = "/admin/stats/announcement/add/"


def form_data(**extra: str) -> dict[str, str]:
    return {
        "title": "Lịch tiếp công dân định kỳ tháng 12/2026",
        "slug": "",
        "summary": "",
        "body": "Chi tiết **lịch** tiếp công dân.",
        "published_at_0": "01/11/2026",
        "published_at_1": "08:00",
        "files-TOTAL_FORMS": "0",
        "files-INITIAL_FORMS": "0",
        **extra,
    }


@pytest.mark.django_db
def test_new_announcement_starts_published_and_gets_a_full_slug(
    client: Client, editor: Any
) -> None:
    client.force_login(editor)
    form = client.get(ADD).context["adminform"].form
    assert form.initial["is_published"] is True
    # No JavaScript slug from the title: it drops letters; the server makes it.
    assert 'data-prepopulated-fields="[]"' in client.get(ADD).content.decode()
    response = client.post(ADD, form_data(is_published="on"))
    assert response.status_code == 302
    item = Announcement.objects.get()
    assert item.slug == "lich-tiep-cong-dan-dinh-ky-thang-12-2026"
    assert client.get(f"/thong-bao/{item.slug}/").status_code == 200


@pytest.mark.django_db
def test_editor_previews_markdown_as_the_public_page_renders_it(
    client: Client, editor: Any
) -> None:
    client.force_login(editor)
    response = client.post(
        "/admin/stats/announcement/xem-truoc/",
        {"body": "**Đậm** và [cổng](https://example.vn)\n\n<script>x()</script>"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>Đậm</strong>" in html
    assert 'rel="noopener noreferrer"' in html
    assert "<script>" not in html
    page = client.get(ADD).content.decode()
    assert 'data-preview-url="/admin/stats/announcement/xem-truoc/"' in page


@pytest.mark.django_db
def test_saved_announcement_shows_its_preview(client: Client, editor: Any) -> None:
    client.force_login(editor)
    client.post(ADD, form_data(is_published="on"))
    item = Announcement.objects.get()
    page = client.get(f"/admin/stats/announcement/{item.pk}/change/").content.decode()
    assert "Chi tiết <strong>lịch</strong> tiếp công dân." in page


@pytest.mark.django_db
def test_preview_is_for_editors_only(client: Client, citizen: Any) -> None:
    client.force_login(citizen)
    response = client.post("/admin/stats/announcement/xem-truoc/", {"body": "x"})
    assert response.status_code == 302  # to the admin login
