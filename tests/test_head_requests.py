"""HEAD is answered wherever GET is (uptime monitors, link checkers and
`curl -I` use it): the same status and headers, no body, and nothing changed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from feedback.models import Report
from stats.models import Announcement
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/phan-anh/",
    "/phan-anh/?q=den+duong",
    "/thong-ke/",
    "/thong-ke.json",
    "/gui-phan-anh/",
    "/tra-cuu/",
    "/ban-do/",
    "/thong-bao/",
    "/huong-dan/",
    "/dang-ky/",
    "/dang-nhap/",
    "/robots.txt",
    "/sitemap.xml",
    "/manifest.webmanifest",
    "/sw.js",
]


@pytest.fixture
def report() -> Report:
    Announcement.objects.create(title="Lịch tiếp dân", body="Nội dung.")
    return ReportFactory(published=True, title="Đèn đường hỏng")


@pytest.mark.parametrize("url", [*PAGES, "report"])
def test_head_is_answered_as_get_without_a_body(
    client: Client, report: Report, url: str
) -> None:
    if url == "report":
        url = f"/phan-anh/{report.code}/"
    got = Client().get(url)
    head = client.head(url)
    assert got.status_code == 200, url
    assert head.status_code == 200, url
    assert head.content == b""
    assert head["Content-Type"] == got["Content-Type"]


def test_head_of_a_form_page_changes_nothing(client: Client, report: Report) -> None:
    before = Report.objects.count()
    assert client.head("/gui-phan-anh/").status_code == 200
    assert client.head(f"/phan-anh/{report.code}/theo-doi/").status_code == 405
    assert Report.objects.count() == before


def test_posting_is_still_refused_where_only_reading_is_allowed(
    client: Client, report: Any
) -> None:
    assert client.post("/phan-anh/").status_code == 405
    assert client.post("/thong-ke/").status_code == 405
