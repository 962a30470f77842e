from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from feedback.models import Report

URL = "/gui-phan-anh/"


@pytest.mark.django_db
def test_form_offers_communes_grouped_with_their_old_names(
    client: Client, units: Any
) -> None:
    html = client.get(URL).content.decode()
    assert '<select name="commune"' in html
    assert '<optgroup label="Khu vực tỉnh Ninh Thuận cũ">' in html
    # The old ward Kinh Dinh is an alias of the new Phường Phan Rang.
    assert "Phường Phan Rang (trước đây:" in html and "Kinh Dinh" in html
    assert 'name="latitude"' in html and 'name="longitude"' in html
    assert "Không dùng được bản đồ? Bỏ qua bước này" in html
    assert "Dùng vị trí hiện tại" in html


@pytest.mark.django_db
def test_report_is_saved_with_commune_and_coordinates(
    client: Client, units: Any, report_form: dict[str, str]
) -> None:
    data = {
        **report_form,
        "commune": "22759",
        "latitude": "11,5645123",  # a comma and extra places are accepted
        "longitude": "108.9881",
    }
    response = client.post(URL, data)
    assert response.status_code == 302, response.context["form"].errors
    report = Report.objects.get()
    assert report.commune_id == "22759"
    assert report.latitude == Decimal("11.564512")
    assert report.longitude == Decimal("108.988100")


@pytest.mark.django_db
def test_place_fields_are_optional_but_location_text_is_required(
    client: Client, units: Any, report_form: dict[str, str]
) -> None:
    assert client.post(URL, report_form).status_code == 302
    report = Report.objects.get()
    assert report.commune is None and report.latitude is None
    response = client.post(URL, {**report_form, "location": "", "commune": "22759"})
    assert response.status_code == 200
    assert "location" in response.context["form"].errors
    assert Report.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("place", "field", "message"),
    [
        (
            {"latitude": "10.7769", "longitude": "106.7009"},  # TP. Hồ Chí Minh
            "latitude",
            "nằm ngoài địa bàn tỉnh",
        ),
        ({"latitude": "11.5645", "longitude": ""}, "longitude", "cả vĩ độ và kinh độ"),
        ({"latitude": "", "longitude": "108.98"}, "latitude", "cả vĩ độ và kinh độ"),
        ({"latitude": "abc", "longitude": "108.98"}, "latitude", "số thập phân"),
        ({"latitude": "95", "longitude": "108.98"}, "latitude", "số thập phân"),
        ({"commune": "01001"}, "commune", "không có trong danh sách"),
    ],
)
def test_bad_place_is_refused_with_a_message_and_nothing_saved(
    client: Client,
    units: Any,
    report_form: dict[str, str],
    place: dict[str, str],
    field: str,
    message: str,
) -> None:
    response = client.post(URL, {**report_form, **place})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field])
    assert not Report.objects.exists()
    # What the citizen typed is kept.
    assert response.context["form"]["location"].value() == report_form["location"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", [URL, "/ban-do/"])
def test_leaflet_is_loaded_only_with_a_tile_server(
    client: Client, units: Any, settings: Any, url: str
) -> None:
    settings.MAP_TILE_URL = ""
    html = client.get(url).content.decode()
    assert "leaflet" not in html  # neither its script nor its stylesheet
    settings.MAP_TILE_URL = "https://tiles.example.vn/{z}/{x}/{y}.png"
    html = client.get(url).content.decode()
    assert "leaflet/leaflet.js" in html and "leaflet/leaflet.css" in html
