from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from feedback.models import Status
from places.loading import load_default_units
from tests.factories import CategoryFactory, ReportFactory

pytestmark = pytest.mark.django_db

VIEW = {"south": 11.0, "west": 108.0, "north": 13.0, "east": 110.0}


def pin(lat: str, long: str, **kwargs: Any) -> Any:
    kwargs.setdefault("status", Status.ACCEPTED)
    return ReportFactory(latitude=Decimal(lat), longitude=Decimal(long), **kwargs)


def test_map_page_lists_the_same_public_results_without_a_tile_server(
    client: Client,
) -> None:
    load_default_units()
    shown = pin("11.5645", "108.9881", commune_id="22759", title="Ổ gà chợ Phan Rang")
    pin("11.5645", "108.9881", status=Status.NEW, title="Mới gửi không hiện")
    pin("11.5645", "108.9881", allow_publish=False, title="Riêng tư không hiện")
    response = client.get("/ban-do/")
    html = response.content.decode()
    assert response.status_code == 200
    assert shown.title in html and "không hiện" not in html
    assert "Bản đồ nền chưa được cấu hình" in html
    assert 'href="/ban-do/"' in html  # in the menu


def test_map_filters_by_category_status_and_commune(client: Client) -> None:
    load_default_units()
    roads = CategoryFactory()
    a = pin("11.5645", "108.9881", category=roads, commune_id="22759")
    pin("11.5645", "108.9881", commune_id="22759", status=Status.RESOLVED)
    pin("11.5800", "109.0200", commune_id="22780")
    codes = lambda **q: [r.code for r in client.get("/ban-do/", q).context["page"]]  # noqa: E731
    assert codes(category=roads.pk) == [a.code]
    assert len(codes(commune="22759")) == 2
    assert len(codes(status="resolved")) == 1


def test_map_data_clusters_at_low_zoom_and_points_up_close(client: Client) -> None:
    for _ in range(3):
        pin("11.5645", "108.9881")
    pin("12.2388", "109.1967")  # Nha Trang
    pin("11.5645", "108.9881", status=Status.REJECTED)
    low = client.get("/ban-do/du-lieu.json", {**VIEW, "zoom": 8}).json()
    assert low["points"] == []
    assert sorted(c["count"] for c in low["clusters"]) == [1, 3]
    close = client.get(
        "/ban-do/du-lieu.json",
        {"south": 11.56, "west": 108.98, "north": 11.57, "east": 108.99, "zoom": 16},
    ).json()
    assert len(close["points"]) == 3 and close["clusters"] == []
    point = close["points"][0]
    assert set(point) == {
        "code",
        "title",
        "status",
        "status_label",
        "lat",
        "long",
        "url",
    }
    assert (point["lat"], point["long"]) == (11.565, 108.988)  # approximate


@pytest.mark.parametrize(
    "params",
    [
        {"zoom": 8},
        {**VIEW, "zoom": 99},
        {**VIEW, "zoom": "x"},
        {**VIEW, "south": 14, "zoom": 8},
        {**VIEW, "status": "new", "zoom": 8},
    ],
)
def test_map_data_refuses_bad_parameters(
    client: Client, params: dict[str, Any]
) -> None:
    response = client.get("/ban-do/du-lieu.json", params)
    assert response.status_code == 400
    assert response.json()["errors"]


def test_map_cells_are_counted_once_per_block_then_cached(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    for n in range(20):
        pin(f"11.{5000 + n * 37}", "108.9881")
    # The view spans 4 blocks of 32 × 32 cells at zoom 10: one GROUP BY each.
    with django_assert_max_num_queries(4):
        first = client.get("/ban-do/du-lieu.json", {**VIEW, "zoom": 10}).json()
    assert sum(cell["count"] for cell in first["clusters"]) == 20
    with django_assert_max_num_queries(0):
        again = client.get("/ban-do/du-lieu.json", {**VIEW, "zoom": 10}).json()
    assert again == first


def test_an_old_block_is_recounted_by_one_request_while_others_keep_the_old_count(
    client: Client, django_assert_num_queries: Any
) -> None:
    from django.core.cache import cache

    for n in range(3):
        pin(f"11.{5000 + n * 37}", "108.9881")
    url, params = "/ban-do/du-lieu.json", {**VIEW, "zoom": 10}
    assert sum(c["count"] for c in client.get(url, params).json()["clusters"]) == 3
    pin("11.5400", "108.9881")
    keys = [k.split(":", 2)[2] for k in cache._cache if ":map:cells:" in k]  # type: ignore[attr-defined]
    assert keys
    for key in keys:  # the counts are now older than STATS_CACHE_SECONDS
        fresh_until, cells = cache.get(key)
        cache.set(key, (fresh_until - 3600, cells), timeout=600)
        cache.set(f"{key}:counting", 1, timeout=60)  # another request recounts
    with django_assert_num_queries(0):
        waiting = client.get(url, params).json()
    assert sum(c["count"] for c in waiting["clusters"]) == 3  # the old count, at once
    for key in keys:
        cache.delete(f"{key}:counting")  # that recount is done or gave up
    recounted = client.get(url, params).json()
    assert sum(c["count"] for c in recounted["clusters"]) == 4


def test_map_data_refuses_a_view_too_large_for_its_zoom(client: Client) -> None:
    wide = {"south": 6, "west": 108, "north": 13, "east": 118, "zoom": 14}
    response = client.get("/ban-do/du-lieu.json", wide)
    assert response.status_code == 400
    assert "quá lớn" in response.json()["errors"]["__all__"][0]
