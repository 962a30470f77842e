"""The report form's nearby step without JavaScript: public reports near the
point in the same category are shown before filing; "Vẫn gửi phản ánh mới"
files the same submission once, with its photos, without a second captcha."""

from __future__ import annotations

import re
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from captcha.models import CaptchaStore
from django.db import connections
from django.test import Client

from feedback.models import Follow, HeldUpload, Report, Status
from tests.conftest import REPORT_FIELDS
from tests.factories import CategoryFactory, ReportFactory
from tests.feedback import files

URL = "/gui-phan-anh/"
POINT = {"latitude": "11.564500", "longitude": "108.988100"}


@pytest.fixture
def roads(db: None) -> Any:
    return CategoryFactory(name="Giao thông (thử)")


@pytest.fixture
def nearby(roads: Any) -> Report:
    """A public report about 20 m from POINT, same category, a week old."""
    return ReportFactory(
        category=roads,
        status=Status.IN_PROGRESS,
        title="Ổ gà trước chợ Phan Rang",
        full_name="Lê Văn Cường",
        email="cuong@example.vn",
        phone="0912345678",
        location="Trước nhà số 7 đường Thống Nhất",
        latitude=Decimal("11.564650"),
        longitude=Decimal("108.988150"),
    )


@pytest.fixture
def filing(report_form: dict[str, str], roads: Any) -> dict[str, Any]:
    """The report form with a point and the category of ``nearby``."""
    return {**report_form, **POINT, "category": str(roads.pk)}


def carried(response: Any) -> dict[str, list[str]]:
    """What "Vẫn gửi phản ánh mới" posts: the step page's hidden inputs."""
    html = response.content.decode()
    form = html[html.index('action="/gui-phan-anh/"') :]
    data: dict[str, list[str]] = {}
    for name, value in re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form
    ):
        data.setdefault(name, []).append(value)
    data.pop("csrfmiddlewaretoken", None)
    return data


def test_step_lists_the_nearby_reports_and_files_nothing_yet(
    client: Client, filing: dict[str, Any], nearby: Report, media: Path
) -> None:
    response = client.post(
        URL, {**filing, "attachments": [files.jpeg("a.jpg"), files.png("b.png")]}
    )
    assert response.status_code == 200
    assert response.templates[0].name == "feedback/submit_nearby.html"
    html = response.content.decode()
    assert "Đã có phản ánh gần đây cùng lĩnh vực" in html
    assert nearby.code in html and nearby.title in html
    assert "Đang xử lý" in html
    assert re.search(r"cách khoảng \d+ m", html)
    assert f'href="/phan-anh/{nearby.code}/"' in html
    assert f'action="/phan-anh/{nearby.code}/theo-doi/"' in html
    assert "Theo dõi phản ánh này" in html and "Vẫn gửi phản ánh mới" in html
    assert "a.jpg" in html and "b.png" in html
    # Nothing filed; the photos wait for the session, the captcha is not carried.
    assert list(Report.objects.all()) == [nearby]
    assert HeldUpload.objects.count() == 2
    data = carried(response)
    assert "captcha_0" not in data and "captcha_1" not in data
    assert data["title"] == [filing["title"]] and data["nearby_step"][0]
    # Nothing of the nearby report's reporter; the page itself is never cached.
    for secret in (nearby.full_name, nearby.email, nearby.phone, nearby.location):
        assert secret not in html
    assert "no-store" in response["Cache-Control"]


def test_no_step_without_a_point_or_without_a_nearby_report(
    client: Client, filing: dict[str, Any], nearby: Report, media: Path
) -> None:
    without_point = {**filing, "latitude": "", "longitude": ""}
    assert client.post(URL, without_point).status_code == 302
    other = CategoryFactory()
    assert client.post(URL, {**filing, "category": str(other.pk)}).status_code == 302
    far = {**filing, "latitude": "11.580000"}  # about 1.7 km north
    assert client.post(URL, far).status_code == 302
    assert Report.objects.count() == 4


def test_no_step_when_the_page_script_listed_them_for_this_point(
    client: Client, filing: dict[str, Any], nearby: Report, media: Path
) -> None:
    seen = "|".join([POINT["latitude"], POINT["longitude"], filing["category"]])
    response = client.post(URL, {**filing, "nearby_checked": seen})
    assert response.status_code == 302
    assert Report.objects.count() == 2
    # Listed for another point (the pin moved since): the step again.
    stale = "|".join(["11.570000", POINT["longitude"], filing["category"]])
    response = client.post(URL, {**filing, "nearby_checked": stale})
    assert response.status_code == 200
    assert Report.objects.count() == 2


def test_file_anyway_files_once_with_the_photos(
    client: Client,
    filing: dict[str, Any],
    nearby: Report,
    media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    step = client.post(
        URL, {**filing, "attachments": [files.jpeg("a.jpg"), files.png("b.png")]}
    )
    data = carried(step)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, data)
    assert response.status_code == 302
    report = Report.objects.exclude(pk=nearby.pk).get()
    assert response["Location"] == f"/gui-phan-anh/da-gui/{report.code}/"
    assert report.title == filing["title"] and report.email == filing["email"]
    assert report.category_id == int(filing["category"])
    assert (report.latitude, report.longitude) == (
        Decimal(POINT["latitude"]),
        Decimal(POINT["longitude"]),
    )
    names = sorted(a.original_name for a in report.attachments.all())
    assert names == ["a.jpg", "b.png"]
    assert HeldUpload.objects.count() == 0
    assert client.get(response["Location"]).status_code == 200
    # Sent again (back button, double click): the same report, not a second one.
    again = client.post(URL, data)
    assert again.status_code == 302
    assert again["Location"] == response["Location"]
    assert Report.objects.count() == 2


def test_following_from_the_step_uses_the_follow_flow_and_files_nothing(
    client: Client, filing: dict[str, Any], nearby: Report
) -> None:
    step = client.post(URL, filing)
    assert f'value="{filing["email"]}"' in step.content.decode()  # prefilled
    response = client.post(
        f"/phan-anh/{nearby.code}/theo-doi/", {"email": filing["email"]}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/phan-anh/{nearby.code}/"
    assert Follow.objects.get().report == nearby
    assert list(Report.objects.all()) == [nearby]


@pytest.mark.django_db
def test_the_captcha_is_solved_once_and_cannot_be_skipped(
    roads: Any, nearby: Report, media: Path
) -> None:
    client = Client()
    page = client.get(URL).content.decode()
    key = re.search(r'name="captcha_0" value="([^"]+)"', page)
    assert key
    answer = CaptchaStore.objects.get(hashkey=key.group(1)).response
    form = {**REPORT_FIELDS, "consent": "on", "category": str(roads.pk), **POINT}
    step = client.post(URL, {**form, "captcha_0": key.group(1), "captcha_1": answer})
    assert step.status_code == 200
    data = carried(step)
    # A made-up token, or this one from another browser, files nothing.
    forged = client.post(URL, {**data, "nearby_step": "gia-mao"})
    assert forged.status_code == 200
    assert "captcha" in forged.context["form"].errors
    assert any("hết hạn" in str(m) for m in forged.context["messages"])
    other = Client().post(URL, data)
    assert other.status_code == 200
    assert "captcha" in other.context["form"].errors
    assert list(Report.objects.all()) == [nearby]
    # The citizen's own token: filed without a second captcha.
    response = client.post(URL, data)
    assert response.status_code == 302
    assert Report.objects.count() == 2


def test_the_step_counts_once_towards_the_rate_limit(
    client: Client, filing: dict[str, Any], nearby: Report, media: Path, settings: Any
) -> None:
    settings.REPORT_RATE_LIMIT = (1, 3600)
    step = client.post(URL, filing)
    assert client.post(URL, carried(step)).status_code == 302
    # The next submission is over the limit: the step was not a free pass.
    refused = client.post(URL, filing)
    assert refused.status_code == 200
    assert "quá nhiều phản ánh" in str(refused.context["form"].non_field_errors())
    assert Report.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_double_submit_of_the_step_files_one_report(
    filing: dict[str, Any], nearby: Report, media: Path
) -> None:
    first = Client()
    step = first.post(URL, {**filing, "attachments": [files.jpeg("a.jpg")]})
    data = carried(step)
    second = Client()
    second.cookies = first.cookies  # the same browser, the button clicked twice
    start = threading.Barrier(2)
    answers: list[str] = []
    errors: list[BaseException] = []

    def click(client: Client) -> None:
        try:
            start.wait()
            response = client.post(URL, data)
            answers.append(f"{response.status_code} {response.get('Location')}")
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click, args=(c,)) for c in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    report = Report.objects.exclude(pk=nearby.pk).get()
    assert answers == [f"302 /gui-phan-anh/da-gui/{report.code}/"] * 2
    assert report.attachments.count() == 1
