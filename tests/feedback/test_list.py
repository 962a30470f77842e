from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from feedback.models import Report, Status
from tests.factories import CategoryFactory, ReportFactory

URL = "/phan-anh/"


@pytest.mark.django_db
def test_only_public_reports_are_listed_without_personal_data(
    client: Client,
) -> None:
    shown = ReportFactory(
        published=True, title="Đèn đường hỏng ở Mỹ Hải", full_name="Trần Thị Bình"
    )
    accepted = ReportFactory(title="Đã tiếp nhận thì hiện", status=Status.ACCEPTED)
    ReportFactory(title="Chờ tiếp nhận thì không hiện")
    ReportFactory(title="Bị từ chối thì không hiện", status=Status.REJECTED)
    ReportFactory(
        status=Status.RESOLVED,
        title="Không đồng ý công khai thì không hiện",
        allow_publish=False,
    )
    ReportFactory(published=True, title="Cán bộ đã ẩn thì không hiện", is_hidden=True)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert shown.title in html and accepted.title in html
    assert "không hiện" not in html
    for secret in ("Trần Thị Bình", "058190004321", "binh@example.vn", "0987654321"):
        assert secret not in html


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["duong", "ĐƯỜNG", "Đường   hong", "den duong"])
def test_search_ignores_accents_and_case(client: Client, query: str) -> None:
    ReportFactory(published=True, title="Đèn đường hỏng ở Mỹ Hải")
    ReportFactory(
        published=True,
        title="Rác thải ven biển Ninh Chữ",
        content="Nhiều rác nhựa ở bãi tắm.",
    )
    titles = [
        r.title for r in client.get(URL, {"q": query}).context["page"].object_list
    ]
    assert titles == ["Đèn đường hỏng ở Mỹ Hải"]


@pytest.mark.django_db
def test_search_finds_words_in_the_content(client: Client) -> None:
    ReportFactory(
        published=True,
        title="Rác thải ven biển",
        content="Nhiều rác nhựa ở bãi tắm Ninh Chữ.",
    )
    response = client.get(URL, {"q": "ninh chu"})
    assert response.context["page"].paginator.count == 1


@pytest.mark.django_db
def test_search_text_follows_title_changes() -> None:
    report = ReportFactory(published=True, title="Đèn đường hỏng ở Mỹ Hải")
    report.title = "Cây xanh ngã đổ"
    report.save(update_fields=["title"])
    assert list(Report.objects.public().ranked_search("cay xanh")) == [report]
    assert not Report.objects.public().ranked_search("den duong")


@pytest.mark.django_db
def test_filter_by_category_and_status(client: Client) -> None:
    roads = CategoryFactory(name="Giao thông", slug="giao-thong")
    waste = CategoryFactory(name="Môi trường", slug="moi-truong")
    ReportFactory(published=True, title="Ổ gà trên đường 16/4", category=roads)
    ReportFactory(published=True, title="Rác ở chợ Phan Rang", category=waste)
    page = client.get(URL, {"category": roads.pk}).context["page"]
    assert [r.title for r in page.object_list] == ["Ổ gà trên đường 16/4"]
    assert (
        client.get(URL, {"status": Status.RESOLVED}).context["page"].paginator.count
        == 2
    )
    # "new" can never be public: not offered, and ignored like any bad filter.
    response = client.get(URL, {"status": Status.NEW})
    assert "status" in response.context["form"].errors
    assert response.context["page"].paginator.count == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params", [{"category": "abc"}, {"status": "xoa"}, {"category": "999"}]
)
def test_bad_filters_are_ignored_not_500(
    client: Client, params: dict[str, str]
) -> None:
    ReportFactory(published=True)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page", "expected"),
    [("2", 2), ("99", 2), ("abc", 1), ("-1", 2), ("0", 2), ("", 1)],
)
def test_pagination_by_20_and_bad_page_numbers(
    client: Client, page: str, expected: int
) -> None:
    for n in range(25):
        ReportFactory(published=True, title=f"Phản ánh đã xử lý số {n}")
    response = client.get(URL, {"page": page})
    assert response.status_code == 200
    current = response.context["page"]
    assert current.number == expected
    assert len(current.object_list) == (20 if expected == 1 else 5)


@pytest.mark.django_db
def test_page_links_keep_the_filters(client: Client) -> None:
    for n in range(21):
        ReportFactory(published=True, title=f"Đường hỏng số {n}")
    html = client.get(URL, {"q": "duong"}).content.decode()
    assert "?q=duong&amp;page=2" in html


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 50])
def test_list_query_count_does_not_grow(
    client: Client,
    django_assert_max_num_queries: Any,
    django_assert_num_queries: Any,
    page_queries: Any,
    rows: int,
    settings: Any,
) -> None:
    category = CategoryFactory()
    for _ in range(rows):
        ReportFactory(published=True, category=category)
    settings.PAGE_CACHE_SECONDS = 0  # every request renders
    baseline = page_queries(client, "/tra-cuu/")
    client.get(URL, {"category": category.pk})
    # Checking the chosen category, count, one page of reports with their
    # category, the category and commune lists of the filter.
    with django_assert_max_num_queries(baseline + 5):
        response = client.get(URL, {"category": category.pk})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(rows, 20)
    # With the page cache on, the next anonymous visitor costs no query at all.
    settings.PAGE_CACHE_SECONDS = 5
    Client().get(URL, {"category": category.pk})
    with django_assert_num_queries(0):
        hit = Client().get(URL, {"category": category.pk})
    assert hit["X-Page-Cache"] == "hit"


@pytest.mark.django_db
def test_filter_menus_are_rendered_once_and_follow_a_rename(
    client: Client, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PAGE_CACHE_SECONDS = 0  # every request renders; the menus need not
    roads = CategoryFactory(name="Giao thông", slug="giao-thong")
    ReportFactory(published=True, category=roads)

    def reads(table: str, queries: CaptureQueriesContext) -> int:
        return sum(f'FROM "{table}"' in q["sql"] for q in queries.captured_queries)

    with CaptureQueriesContext(connection) as first:
        client.get(URL, {"q": "duong"})
    with CaptureQueriesContext(connection) as second:
        html = client.get(URL, {"q": "duong"}).content.decode()
    for table in ("feedback_category", "places_administrativeunit"):
        assert reads(table, first) == 1 and reads(table, second) == 0
    assert f'<option value="{roads.pk}">Giao thông</option>' in html
    with django_capture_on_commit_callbacks(execute=True):
        roads.name = "Giao thông, đô thị"
        roads.save()
    html = client.get(URL, {"q": "duong"}).content.decode()
    assert "Giao thông, đô thị</option>" in html
    # The chosen filter is part of what is kept: it stays selected.
    chosen = client.get(URL, {"category": roads.pk}).content.decode()
    assert f'<option value="{roads.pk}" selected>' in chosen


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_status_is_shown_as_django_s_own_display_shows_it(language: str) -> None:
    # Report.get_status_display replaces Django's generated one (which rebuilds
    # the choices on each call): the same labels, in each language.
    field = Report._meta.get_field("status")
    with translation.override(language):
        for status in [*Status.values, "not-a-status"]:
            report = Report(status=status)
            assert report.get_status_display() == report._get_FIELD_display(field)
        label = Report(status=Status.IN_PROGRESS).get_status_display()
    assert label == {"vi": "Đang xử lý", "en": "In progress"}[language]


@pytest.mark.django_db
def test_each_row_shows_its_status_as_a_badge(client: Client) -> None:
    ReportFactory(title="Đèn đường hỏng", status=Status.IN_PROGRESS)
    html = client.get(URL).content.decode()
    assert (
        '<span class="badge status-badge status-in_progress">Đang xử lý</span>' in html
    )
