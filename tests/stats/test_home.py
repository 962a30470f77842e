"""The home page: what it composes, what it hides, and what it costs."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback.models import Report, Status
from stats import demo
from stats.models import Announcement
from tests.factories import ReportFactory


def resolved_report(full_name: str, title: str, publish: bool = True) -> Report:
    report = ReportFactory(full_name=full_name, title=title, allow_publish=True)
    for to in (Status.ACCEPTED, Status.IN_PROGRESS, Status.RESOLVED):
        report.transition(to, by=None, note="Đã sửa xong đèn đường.")
    Report.objects.filter(pk=report.pk).update(is_published=publish)
    return report


@pytest.mark.django_db
def test_home_composes_the_seed_sections(client: Client) -> None:
    demo.seed(StringIO())
    page = client.get("/").content.decode()
    for text in (
        "<title>Trang chủ | Phản ánh hiện trường</title>",
        "Thông báo thay đổi Cơ quan Thường trực phòng, chống mua bán người",
        "Biểu đồ thống kê kết quả xử lý",
        "Liên kết website",
        "Hướng dẫn sử dụng trên Web",
        "Hướng dẫn sử dụng quét mã QR ZALO",
        "Thống kê: <strong",
        "Trực tuyến: <strong",
        "<title>Mã QR Zalo:",
    ):
        assert text in page, text
    assert '<meta name="description" content="Gửi phản ánh, kiến nghị về vấn đề' in page
    assert (
        'href="https://www.ninhthuan.gov.vn" target="_blank" rel="noopener noreferrer"'
        in page
    )


@pytest.mark.django_db
def test_home_links_to_filing_and_lookup(client: Client) -> None:
    page = client.get("/").content.decode()
    assert f'href="{reverse("feedback:submit")}">Gửi phản ánh</a>' in page
    assert f'action="{reverse("feedback:lookup")}"' in page


@pytest.mark.django_db
def test_home_shows_five_latest_announcements_pinned_first(client: Client) -> None:
    now = timezone.now()
    for n in range(7):
        Announcement.objects.create(
            title=f"Tin số {n}",
            body="Nội dung.",
            is_published=True,
            published_at=now - timedelta(days=n),
        )
    Announcement.objects.create(
        title="Tin ghim cũ",
        body="Nội dung.",
        is_published=True,
        pinned=True,
        published_at=now - timedelta(days=60),
    )
    page = client.get("/").content.decode()
    assert page.index("Tin ghim cũ") < page.index("Tin số 0")
    assert [f"Tin số {n}<" in page for n in range(7)] == [True] * 4 + [False] * 3


@pytest.mark.django_db
def test_home_lists_published_answers_with_masked_names_only(client: Client) -> None:
    resolved_report("Nguyễn Văn An", "Đèn đường Thống Nhất hỏng")
    resolved_report("Lê Thị Hoa", "Rác ở chợ Phan Rang", publish=False)
    page = client.get("/").content.decode()
    assert "Đèn đường Thống Nhất hỏng" in page
    assert "Nguyễn V. A." in page
    assert "Nguyễn Văn An" not in page
    assert "Rác ở chợ Phan Rang" not in page  # not published by an official
    for private in ("058190004321", "0987654321", "binh@example.vn"):
        assert private not in page


@pytest.mark.django_db
def test_home_chart_numbers_match_the_reports(client: Client) -> None:
    ReportFactory.create_batch(3)
    resolved_report("Phạm Văn Bốn", "Ổ gà đường 21/8")
    page = client.get("/").content.decode()
    table = page[page.index('id="home-chart-status-table"') :]
    table = table[: table.index("</table>")]
    assert '<th scope="row">Chờ tiếp nhận</th><td class="text-end">3</td>' in table
    assert '<th scope="row">Đã xử lý</th><td class="text-end">1</td>' in table


@pytest.mark.django_db
def test_home_runs_a_fixed_small_number_of_queries(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    demo.seed(StringIO())
    resolved_report("Nguyễn Văn An", "Đèn đường hỏng")
    budget = 12
    with django_assert_max_num_queries(budget) as few:
        client.get("/")
    ReportFactory.create_batch(25)
    for n in range(6):
        resolved_report(f"Trần Văn {n}", f"Phản ánh số {n}")
    cache.clear()
    with django_assert_max_num_queries(budget) as many:
        client.get("/")
    assert len(many.captured_queries) == len(few.captured_queries)
    with django_assert_max_num_queries(4):  # figures, links, counters cached
        client.get("/")


@pytest.mark.django_db
def test_sitemap_lists_pages_announcements_and_guides(client: Client) -> None:
    demo.seed(StringIO())
    Announcement.objects.create(title="Bản nháp kín", body="x", is_published=False)
    resolved_report("Nguyễn Văn An", "Đèn đường hỏng")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    for path in (
        "/thong-bao/",
        "/huong-dan/",
        "/thong-ke/",
        "/huong-dan/huong-dan-su-dung-tren-web/",
    ):
        assert f"http://testserver{path}</loc>" in xml
    assert "ban-nhap-kin" not in xml
    detail = reverse("feedback:detail", kwargs={"code": Report.objects.get().code})
    assert f"http://testserver{detail}</loc>" in xml


@pytest.mark.django_db
def test_robots_txt_points_to_the_sitemap(client: Client) -> None:
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert client.get("/sitemap.xml").status_code == 200


@pytest.mark.django_db
def test_home_and_sitemap_link_the_citizen_pages(client: Client) -> None:
    report = resolved_report("Nguyễn Văn An", "Đèn đường hỏng")
    page = client.get("/").content.decode()
    assert 'href="/gui-phan-anh/">Gửi phản ánh</a>' in page
    assert 'action="/tra-cuu/"' in page
    assert f'<a href="/phan-anh/{report.code}/">Đèn đường hỏng</a>' in page
    assert 'href="/phan-anh/">Xem tất cả phản ánh đã trả lời</a>' in page
    xml = client.get("/sitemap.xml").content.decode()
    assert f"http://testserver/phan-anh/{report.code}/</loc>" in xml
