from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback.models import Report, Status
from feedback.nearby import duplicate_reason, possible_duplicates, within
from places.geo import box_around, haversine_m
from tests.factories import CategoryFactory, ReportFactory

pytestmark = pytest.mark.django_db

URL = "/phan-anh/gan-day.json"
HERE = (11.5645, 108.9881)
# About 111 m north per 0.001° of latitude.
NORTH_100 = Decimal("11.565400")
NORTH_300 = Decimal("11.567200")


def at(lat: Decimal, **kwargs: Any) -> Report:
    kwargs.setdefault("status", Status.ACCEPTED)
    return ReportFactory(latitude=lat, longitude=Decimal("108.988100"), **kwargs)


def get(client: Client, **params: Any) -> Any:
    return client.get(URL, {"lat": HERE[0], "long": HERE[1], **params})


def test_haversine_and_box_agree_with_known_distances() -> None:
    # Phan Rang to Nha Trang: about 77 km as the crow flies.
    assert 76_000 < haversine_m(11.5645, 108.9881, 12.2388, 109.1967) < 79_000
    box = box_around(*HERE, 200)
    for bearing_point in ((box.north, HERE[1]), (HERE[0], box.east)):
        assert haversine_m(*HERE, *bearing_point) >= 200


def test_answers_public_reports_within_radius_nearest_first(client: Client) -> None:
    category = CategoryFactory()
    far = at(NORTH_300, category=category)
    near = at(NORTH_100, category=category, status=Status.RESOLVED)
    response = get(client)
    assert response.status_code == 200
    body = response.json()
    assert [r["code"] for r in body["reports"]] == [near.code]
    item = body["reports"][0]
    assert set(item) == {"code", "title", "status", "status_label", "distance_m", "url"}
    assert 95 <= item["distance_m"] <= 105
    assert item["url"] == f"/phan-anh/{near.code}/"
    assert item["status"] == "resolved"
    wide = get(client, radius=500).json()["reports"]
    assert [r["code"] for r in wide] == [near.code, far.code]


def test_never_shows_private_hidden_new_rejected_or_old_reports(client: Client) -> None:
    at(NORTH_100, status=Status.NEW)
    at(NORTH_100, status=Status.REJECTED)
    at(NORTH_100, allow_publish=False)
    at(NORTH_100, is_hidden=True)
    at(NORTH_100, created_at=timezone.now() - timedelta(days=91))
    shown = at(NORTH_100, status=Status.IN_PROGRESS)
    body = get(client).content.decode()
    assert [r["code"] for r in get(client).json()["reports"]] == [shown.code]
    # No personal data in the answer.
    for value in (shown.full_name, shown.email, shown.phone, shown.id_number):
        assert value not in body
    assert shown.location not in body


def test_category_filter(client: Client) -> None:
    roads, waste = CategoryFactory(), CategoryFactory()
    road = at(NORTH_100, category=roads)
    at(NORTH_100, category=waste)
    codes = [r["code"] for r in get(client, category=roads.pk).json()["reports"]]
    assert codes == [road.code]


@pytest.mark.parametrize(
    "params",
    [
        {"lat": "", "long": "108.98"},
        {"lat": "abc", "long": "108.98"},
        {"lat": "91", "long": "108.98"},
        {"lat": "11.5", "long": "200"},
        {"lat": "11.5"},
        {"lat": "11.5", "long": "108.98", "radius": "0"},
        {"lat": "11.5", "long": "108.98", "radius": "100000"},
        {"lat": "11.5", "long": "108.98", "radius": "x"},
        {"lat": "11.5", "long": "108.98", "category": "999999"},
    ],
)
def test_bad_parameters_answer_400_with_messages(
    client: Client, params: dict[str, str]
) -> None:
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response.json()["errors"]


def test_nearby_query_budget(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    for _ in range(5):
        at(NORTH_100)
    with django_assert_max_num_queries(2):
        assert len(get(client).json()["reports"]) == 5


def test_the_same_pin_asked_again_costs_no_query_until_a_report_is_saved(
    django_assert_num_queries: Any, django_capture_on_commit_callbacks: Any
) -> None:
    at(NORTH_100)
    assert len(get(Client()).json()["reports"]) == 1
    with django_assert_num_queries(0):
        again = get(Client())
    assert again["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        at(NORTH_100)
    assert len(get(Client()).json()["reports"]) == 2


def test_possible_duplicates_any_status_same_category_nearby_recent() -> None:
    category = CategoryFactory()
    original = at(NORTH_100, category=category, status=Status.NEW, allow_publish=False)
    other_category = at(NORTH_100)
    far = at(NORTH_300, category=category)
    old = at(
        NORTH_100, category=category, created_at=timezone.now() - timedelta(days=60)
    )
    report = ReportFactory(
        category=category,
        latitude=Decimal(str(HERE[0])),
        longitude=Decimal(str(HERE[1])),
    )
    found = [item.report for item in possible_duplicates(report)]
    assert found == [original]
    assert other_category not in found and far not in found and old not in found


def test_within_limits_candidates_by_box_before_distance() -> None:
    at(NORTH_100)
    at(Decimal("11.600000"))
    found = within(Report.objects.all(), lat=HERE[0], long=HERE[1], radius_m=150)
    assert len(found) == 1


def test_intake_officer_sees_duplicates_and_rejects_naming_the_original(
    client: Client,
    intake_officer: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.OFFICIALS_2FA = False
    category = CategoryFactory()
    original = at(NORTH_100, category=category)
    report = ReportFactory(
        category=category,
        latitude=Decimal(str(HERE[0])),
        longitude=Decimal(str(HERE[1])),
    )
    client.force_login(intake_officer)
    url = f"/admin/feedback/report/{report.pk}/change/"
    html = client.get(url).content.decode()
    assert "Có thể trùng" in html and original.code in html
    assert f"Không tiếp nhận: trùng với {original.code}" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:feedback_report_workflow", args=[report.pk]),
            {
                "action": "rejected",
                "expected": "new",
                "note": duplicate_reason(original),
            },
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.REJECTED
    assert original.code in report.rejection_reason
    assert f"/phan-anh/{original.code}/" in report.rejection_reason
