"""Figures per commune, the commune filter and satisfaction per agency and category.

The expected numbers are worked out here from the rows the fixture made (and, for
the filter, checked against the straight scan of tests/stats/scan_figures.py).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from feedback.models import Rating, Report, Status
from feedback.selectors import satisfaction_by_agency, satisfaction_by_category
from places.loading import load_default_units
from places.models import AdministrativeUnit
from stats.selectors import Filters, compute_figures
from stats.summary import differences
from tests.factories import AgencyFactory, CategoryFactory, ReportFactory
from tests.stats.scan_figures import compute_figures_scan

NHA_TRANG, CAM_RANH = "22366", "22420"  # Phường Nha Trang, Phường Cam Ranh


def _resolved(**kwargs: Any) -> Report:
    return ReportFactory(status=Status.RESOLVED, **kwargs)


@pytest.fixture
def towns(db: None) -> dict[str, Any]:
    """Nha Trang: 2 on time (one rated satisfied, one not), 1 late (satisfied), 1
    overdue, 1 new. Cam Ranh: 1 on time (satisfied), 1 rejected. One report with
    no commune, answered on time and rated not satisfied."""
    load_default_units()
    nha_trang = AdministrativeUnit.objects.get(code=NHA_TRANG)
    cam_ranh = AdministrativeUnit.objects.get(code=CAM_RANH)
    roads = CategoryFactory(name="Giao thông", slug="giao-thong")
    waste = CategoryFactory(name="Môi trường", slug="moi-truong")
    transport = AgencyFactory(name="Sở Xây dựng", code="so-xd")
    committee = AgencyFactory(name="UBND phường Nha Trang", code="ubnd-nt")
    now = timezone.now()

    on_time = [
        _resolved(commune=nha_trang, category=roads, agency=transport),
        _resolved(commune=nha_trang, category=waste, agency=committee),
    ]
    late = _resolved(commune=nha_trang, category=roads, agency=transport)
    Report.objects.filter(pk=late.pk).update(
        deadline=late.resolved_at - timedelta(days=1)
    )
    overdue = ReportFactory(
        status=Status.IN_PROGRESS, commune=nha_trang, category=roads, agency=transport
    )
    Report.objects.filter(pk=overdue.pk).update(deadline=now - timedelta(days=1))
    ReportFactory(commune=nha_trang, category=waste)  # new, within its deadline
    Report.objects.filter(commune=nha_trang, status=Status.NEW).update(
        deadline=now + timedelta(days=1)
    )
    cam_ranh_answer = _resolved(commune=cam_ranh, category=waste, agency=committee)
    ReportFactory(status=Status.REJECTED, commune=cam_ranh, category=roads)
    nowhere = _resolved(commune=None, category=roads, agency=transport)
    for report, happy in [
        (on_time[0], True),
        (on_time[1], False),
        (late, True),
        (cam_ranh_answer, True),
        (nowhere, False),
    ]:
        Rating.objects.create(report=report, satisfied=happy)
    cache.clear()
    return {"nha_trang": nha_trang, "cam_ranh": cam_ranh, "roads": roads}


def test_figures_per_commune(towns: dict[str, Any]) -> None:
    rows = compute_figures(Filters())["by_commune"]
    assert rows == [
        {"commune": "Phường Nha Trang", "code": NHA_TRANG, "count": 5,
         "answered": 3, "on_time": 2, "late": 1, "overdue": 1, "on_time_rate": 50.0},
        {"commune": "Phường Cam Ranh", "code": CAM_RANH, "count": 2,
         "answered": 1, "on_time": 1, "late": 0, "overdue": 0, "on_time_rate": 100.0},
        # Reports without a commune come last, as their own row.
        {"commune": None, "code": None, "count": 1,
         "answered": 1, "on_time": 1, "late": 0, "overdue": 0, "on_time_rate": 100.0},
    ]  # fmt: skip


def test_commune_rows_add_up_to_the_province(towns: dict[str, Any]) -> None:
    data = compute_figures(Filters())
    for figure in ("count", "answered", "on_time", "late", "overdue"):
        total = data["total"] if figure == "count" else data[figure]
        assert sum(row[figure] for row in data["by_commune"]) == total


def test_the_commune_filter_restricts_every_figure(towns: dict[str, Any]) -> None:
    filters = Filters(commune=towns["nha_trang"])
    data = compute_figures(filters)
    scan = compute_figures_scan(filters)
    assert {key: data[key] for key in scan} == scan
    assert data["total"] == 5
    assert data["by_status"] == {"new": 1, "accepted": 0, "in_progress": 1,
                                 "resolved": 3, "rejected": 0}  # fmt: skip
    assert data["on_time_rate"] == 50.0
    assert [row["code"] for row in data["by_commune"]] == [NHA_TRANG]
    assert data["satisfaction"] == {"rated": 3, "satisfied": 2, "rate": 66.7}
    assert data["by_month"][-1]["count"] == 5
    # With the category too: both apply.
    both = Filters(commune=towns["nha_trang"], category=towns["roads"])
    scan = compute_figures_scan(both)
    assert {key: compute_figures(both)[key] for key in scan} == scan
    assert scan["total"] == 3


def test_satisfaction_per_agency_and_category(towns: dict[str, Any]) -> None:
    data = compute_figures(Filters())
    assert data["satisfaction_by_agency"] == [
        {"agency": "Sở Xây dựng", "rated": 3, "satisfied": 2, "rate": 66.7},
        {"agency": "UBND phường Nha Trang", "rated": 2, "satisfied": 1, "rate": 50.0},
    ]
    assert data["satisfaction_by_category"] == [
        {"category": "Giao thông", "slug": "giao-thong", "rated": 3, "satisfied": 2,
         "rate": 66.7},
        {"category": "Môi trường", "slug": "moi-truong", "rated": 2, "satisfied": 1,
         "rate": 50.0},
    ]  # fmt: skip
    # The same as feedback's own selectors (over every rating, unfiltered).
    for mine, theirs, name in [
        (data["satisfaction_by_agency"], satisfaction_by_agency(), "agency"),
        (data["satisfaction_by_category"], satisfaction_by_category(), "category"),
    ]:
        assert {
            row[name]: (row["rated"], row["satisfied"], row["rate"]) for row in mine
        } == {
            row["name"]: (row["rated"], row["satisfied"], row["rate"]) for row in theirs
        }


def test_json_carries_the_commune_figures_and_filter(
    towns: dict[str, Any], client: Client
) -> None:
    data = client.get("/thong-ke.json").json()
    assert data["filters"]["commune"] is None
    assert set(data["by_commune"][0]) == {
        "commune", "code", "count", "answered", "on_time", "late", "overdue",
        "on_time_rate",
    }  # fmt: skip
    assert set(data["satisfaction_by_agency"][0]) == {
        "agency",
        "rated",
        "satisfied",
        "rate",
    }
    assert set(data["satisfaction_by_category"][0]) == {
        "category",
        "slug",
        "rated",
        "satisfied",
        "rate",
    }
    assert data["by_commune"][-1]["code"] is None

    one = client.get("/thong-ke.json", {"commune": CAM_RANH}).json()
    assert one["filters"]["commune"] == CAM_RANH
    assert one["total"] == 2
    assert one["by_commune"] == [
        {"commune": "Phường Cam Ranh", "code": CAM_RANH, "count": 2, "answered": 1,
         "on_time": 1, "late": 0, "overdue": 0, "on_time_rate": 100.0}
    ]  # fmt: skip
    assert one["satisfaction_by_agency"] == [
        {"agency": "UBND phường Nha Trang", "rated": 1, "satisfied": 1, "rate": 100.0}
    ]


@pytest.mark.parametrize("code", ["99999", "01001", "nha-trang"])
def test_unknown_commune_is_refused_in_vietnamese(
    towns: dict[str, Any], client: Client, code: str
) -> None:
    if code == "01001":  # a real unit, but of another province
        AdministrativeUnit.objects.create(
            code=code, name="Phường Ba Đình", type="phường", short_codename="ba_dinh",
            province_code="01", province_name="Thành phố Hà Nội",
        )  # fmt: skip
    api = client.get("/thong-ke.json", {"commune": code})
    assert api.status_code == 400
    assert api.json()["errors"]["commune"][0]["message"] == (
        "Xã/phường đã chọn không có trong danh sách."
    )
    page = client.get("/thong-ke/", {"commune": code})
    assert page.status_code == 200
    assert page.context["figures"]["total"] == Report.objects.count()


def test_page_shows_the_commune_and_satisfaction_tables(
    towns: dict[str, Any], client: Client
) -> None:
    page = client.get("/thong-ke/", {"category": "giao-thong"}).content.decode()
    assert '<table class="table table-sm stats-table" id="table-commune">' in page
    assert '<caption id="by-commune-caption">' in page
    assert 'role="region" aria-labelledby="by-commune-caption" tabindex="0"' in page
    # Each commune links to its own figures, the other filters kept.
    assert f'href="?category=giao-thong&amp;commune={CAM_RANH}"' in page
    assert "Chưa xác định xã/phường" in page
    # Giao thông: satisfied 2 of 3 (Nha Trang on time, late); Vietnamese decimals.
    assert "66,7% (3 đánh giá)" in page
    assert page.count('<th scope="row">') >= 2
    page = client.get("/thong-ke/", {"commune": NHA_TRANG}).content.decode()
    assert '<dd id="figure-total">5</dd>' in page
    assert "50,0%" in page
    assert f'<option value="{NHA_TRANG}" selected>Phường Nha Trang</option>' in page


def test_pages_without_ratings_say_so(db: None, client: Client) -> None:
    ReportFactory()
    page = client.get("/thong-ke/").content.decode()
    assert page.count("Chưa có đánh giá nào.") == 2


@pytest.mark.django_db(transaction=True)
def test_the_migration_refills_the_summary_by_commune() -> None:
    """Back to the summary without communes, reports written then, forward again:
    the summary is keyed by commune, equal to a recount, kept by the triggers."""
    load_default_units()
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("stats")
    executor.migrate([("stats", "0003_report_summary_triggers")])
    try:
        before = ReportFactory(commune_id=NHA_TRANG, status=Status.RESOLVED)
        ReportFactory(commune=None)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
    assert differences() == []
    rows = compute_figures(Filters())["by_commune"]
    assert [(row["code"], row["count"]) for row in rows] == [(NHA_TRANG, 1), (None, 1)]
    ReportFactory(commune_id=NHA_TRANG)  # the new triggers carry on
    assert compute_figures(Filters())["by_commune"][0]["count"] == 2
    assert before.pk and differences() == []
