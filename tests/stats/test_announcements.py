"""Announcements, guides, links: what the public sees and who may edit them."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone

from stats import demo
from stats.models import Announcement, Guide, WebsiteLink
from tests.factories import UserFactory

EDITORS = "Biên tập viên"


def announce(title: str, **fields: Any) -> Announcement:
    fields.setdefault("body", "Nội dung thông báo.")
    fields.setdefault("is_published", True)
    return Announcement.objects.create(title=title, **fields)


@pytest.mark.django_db
def test_slug_is_the_title_without_accents_and_unique() -> None:
    first = announce("Thông báo thay đổi")
    second = announce("Thông báo thay đổi")
    assert first.slug == "thong-bao-thay-doi"
    assert second.slug == "thong-bao-thay-doi-2"
    assert announce("Đường Nguyễn Huệ bị ngập").slug == "duong-nguyen-hue-bi-ngap"


@pytest.mark.django_db
def test_current_hides_unpublished_and_future_and_puts_pinned_first(
    client: Client,
) -> None:
    now = timezone.now()
    old = announce("Cũ", published_at=now - timedelta(days=9))
    recent = announce("Mới", published_at=now - timedelta(days=1))
    pinned = announce("Ghim", published_at=now - timedelta(days=30), pinned=True)
    hidden = announce("Bản nháp", is_published=False)
    future = announce("Sắp đăng", published_at=now + timedelta(days=1))

    assert list(Announcement.objects.current()) == [pinned, recent, old]
    page = client.get("/thong-bao/").content.decode()
    assert page.index("Ghim") < page.index("Mới") < page.index("Cũ")
    assert "Bản nháp" not in page and "Sắp đăng" not in page
    for item in (hidden, future):
        assert client.get(f"/thong-bao/{item.slug}/").status_code == 404
    assert client.get(f"/thong-bao/{recent.slug}/").status_code == 200


@pytest.mark.django_db
def test_list_is_paginated(client: Client) -> None:
    for n in range(12):
        announce(f"Thông báo số {n}", published_at=timezone.now() - timedelta(hours=n))
    first = client.get("/thong-bao/").content.decode()
    second = client.get("/thong-bao/?trang=2").content.decode()
    assert "Thông báo số 0<" in first and "Thông báo số 11<" not in first
    assert "Thông báo số 11<" in second
    assert client.get("/thong-bao/?trang=abc").status_code == 200


@pytest.mark.django_db
def test_excerpt_is_cut_at_a_word_and_ends_with_dots() -> None:
    item = announce("Dài", summary="Một câu rất dài " * 30)
    assert item.excerpt.endswith("...")
    assert len(item.excerpt) <= 153
    assert not item.excerpt[:-3].endswith(" ")
    assert announce("Ngắn", summary="Ngắn gọn.").excerpt == "Ngắn gọn."


@pytest.mark.django_db
def test_body_markdown_is_rendered_and_sanitised(client: Client) -> None:
    item = announce(
        "Có mã độc",
        body="**Quan trọng** <script>alert(1)</script> [link](javascript:alert(1)) "
        '<img src=x onerror="alert(2)"> [Cổng](https://dichvucong.gov.vn)',
    )
    page = client.get(item.get_absolute_url()).content.decode()
    assert "<strong>Quan trọng</strong>" in page
    assert "<script>alert" not in page
    assert "javascript:" not in page
    assert "onerror" not in page
    assert 'href="https://dichvucong.gov.vn" rel="noopener noreferrer"' in page


@pytest.mark.django_db
def test_demo_seeds_the_seed_announcements_with_their_excerpts() -> None:
    demo.seed(StringIO())
    demo.seed(StringIO())  # idempotent
    first = Announcement.objects.get(
        title="Thông báo thay đổi Cơ quan Thường trực phòng, chống mua bán người "
        "của Bộ Công an"
    )
    assert first.excerpt == (
        "Căn cứ Công văn số 1001 / BCA - V01 ngày 07/4/2021 của Bộ Công an về việc "
        "thông báo thay đổi Cơ quan Thường trực phòng , chống mua bán người của Bộ..."
    )
    second = Announcement.objects.get(
        title="Danh sách các cơ quan, đơn vị, cá nhân trực tiếp nhận thông tin "
        "phản ánh liên quan công tác phòng, chống dịch Covid-19 trên địa bàn "
        "huyện Bác Ái"
    )
    assert second.excerpt == (
        "Ban Chỉ đạo phòng chống Covid-19 huyện Bác Ái thông báo danh sách các cơ "
        "quan, đơn vị, cá nhân trực tiếp nhận thông tin phản ánh về phòng, chống..."
    )
    assert Announcement.objects.current().count() == len(demo.ANNOUNCEMENTS)
    assert set(Guide.objects.values_list("kind", flat=True)) == {
        "web",
        "app",
        "zalo",
        "facebook",
    }
    assert WebsiteLink.objects.filter(url="https://dichvucong.gov.vn").exists()


@pytest.mark.django_db
def test_web_guide_lists_the_seed_fields(client: Client) -> None:
    demo.seed(StringIO())
    page = client.get("/huong-dan/huong-dan-su-dung-tren-web/").content.decode()
    for label in (
        "Tài khoản:",
        "Mật khẩu:",
        "Họ và tên:",
        "CMND/CCCD:",
        "Địa chỉ:",
        "Số điện thoại:",
        "Mã xác thực:",
        "Vị trí diễn ra:",
        "Tiêu đề:",
        "Nội dung:",
        "Đính kèm:",
        "Đăng ký tài khoản thành công",
    ):
        assert label in page, label


@pytest.mark.django_db
def test_zalo_guide_shows_a_qr_code_of_the_configured_account(
    client: Client, settings: Any
) -> None:
    settings.ZALO_OA_URL = "https://zalo.me/1234567890"
    demo.seed(StringIO())
    page = client.get("/huong-dan/huong-dan-su-dung-quet-ma-qr-zalo/").content.decode()
    assert '<svg role="img"' in page
    assert "<title>Mã QR Zalo: https://zalo.me/1234567890</title>" in page
    assert 'href="https://zalo.me/1234567890"' in page


@pytest.mark.django_db
def test_facebook_guide_links_to_the_configured_page(
    client: Client, settings: Any
) -> None:
    settings.FACEBOOK_PAGE_URL = "https://www.facebook.com/trang-thu"
    demo.seed(StringIO())
    page = client.get("/huong-dan/huong-dan-su-dung-tren-facebook/").content.decode()
    assert (
        'href="https://www.facebook.com/trang-thu" target="_blank" '
        'rel="noopener noreferrer"' in page
    )
    listing = client.get("/huong-dan/").content.decode()
    assert listing.count('href="/huong-dan/huong-dan-') == 4


@pytest.mark.django_db
def test_footer_links_follow_edits_and_open_safely(client: Client) -> None:
    WebsiteLink.objects.create(
        name="Cổng Dịch vụ công quốc gia", url="https://dichvucong.gov.vn"
    )
    hidden = WebsiteLink.objects.create(
        name="Trang cũ", url="https://cu.example.vn", is_active=False
    )
    page = client.get("/thong-bao/").content.decode()
    assert (
        '<a href="https://dichvucong.gov.vn" target="_blank" rel="noopener noreferrer">'
        in page
    )
    assert "Trang cũ" not in page
    hidden.is_active = True
    hidden.save()  # the cached list is dropped on save
    assert "Trang cũ" in client.get("/thong-bao/").content.decode()


@pytest.fixture
def editor(db: None) -> Any:
    """A staff member of the "Biên tập viên" group: edits announcements, guides,
    links; nothing else."""
    group, _ = Group.objects.get_or_create(name=EDITORS)
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="stats",
            content_type__model__in=[
                "announcement",
                "announcementfile",
                "guide",
                "websitelink",
            ],
        )
    )
    user = UserFactory(is_staff=True)
    user.groups.add(group)
    return user


@pytest.mark.django_db
def test_editor_posts_an_announcement_in_admin(client: Client, editor: Any) -> None:
    client.force_login(editor)
    response = client.post(
        "/admin/stats/announcement/add/",
        {
            "title": "Thông báo lịch tiếp công dân",
            "slug": "",
            "summary": "Lịch tiếp công dân tháng 12.",
            "body": "Chi tiết lịch tiếp công dân.",
            "is_published": "on",
            "published_at_0": "01/11/2026",
            "published_at_1": "08:00",
            "files-TOTAL_FORMS": "0",
            "files-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    item = Announcement.objects.get()
    assert item.slug == "thong-bao-lich-tiep-cong-dan"
    assert client.get("/thong-bao/thong-bao-lich-tiep-cong-dan/").status_code == 200


@pytest.mark.django_db
def test_staff_without_the_editor_group_cannot_edit(client: Client) -> None:
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/admin/stats/announcement/add/").status_code == 403
    assert client.get("/admin/stats/websitelink/").status_code == 403


@pytest.mark.django_db
def test_citizens_cannot_open_the_editor_admin(client: Client, citizen: Any) -> None:
    client.force_login(citizen)
    response = client.get("/admin/stats/announcement/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert not Announcement.objects.exists()


@pytest.mark.django_db
def test_editor_cannot_change_the_visit_counter(client: Client, editor: Any) -> None:
    client.force_login(editor)
    assert client.get("/admin/stats/visitcounter/").status_code == 403


@pytest.mark.django_db
def test_attachments_download_only_from_published_announcements(
    client: Client, settings: Any, tmp_path: Any
) -> None:
    from django.core.files.base import ContentFile

    from stats.models import AnnouncementFile

    settings.MEDIA_ROOT = tmp_path
    shown = announce("Có tệp đính kèm")
    draft = announce("Bản nháp có tệp", is_published=False)
    files = [
        AnnouncementFile.objects.create(
            announcement=item,
            title="Danh sách số điện thoại",
            file=ContentFile(b"%PDF-1.4 demo", name="danh-sach.pdf"),
        )
        for item in (shown, draft)
    ]
    page = client.get(shown.get_absolute_url()).content.decode()
    link = f"/thong-bao/{shown.slug}/tep/{files[0].pk}/"
    assert f'href="{link}">Danh sách số điện thoại</a>' in page
    response = client.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 demo"
    assert "attachment" in response["Content-Disposition"]
    assert client.get(f"/thong-bao/{draft.slug}/tep/{files[1].pk}/").status_code == 404
    assert client.get(f"/thong-bao/{shown.slug}/tep/{files[1].pk}/").status_code == 404
