"""GET requests (the list): a fixed number of queries whatever the number of
reports, no personal column read, and one rendering shared by every caller for
PAGE_CACHE_SECONDS."""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from feedback.models import Attachment, Report, Status
from tests.factories import CategoryFactory, ReportFactory
from tests.feedback import files

pytestmark = pytest.mark.django_db

URL = "/open311/v2/requests.json"


def public_photo(report: Report) -> Attachment:
    attachment = Attachment(
        report=report,
        kind=Attachment.Kind.CITIZEN,
        original_name="anh.jpg",
        content_type="image/jpeg",
        size=10,
        sha256="0" * 64,
        is_public=True,
        alt_text="Ổ gà trên đường",
    )
    attachment.file.save("x.jpg", ContentFile(files.image_bytes()), save=False)
    attachment.save()
    return attachment


def file_reports(count: int) -> list[Report]:
    category = CategoryFactory()
    reports = []
    for n in range(count):
        status = Status.IN_PROGRESS if n % 2 else Status.ACCEPTED
        report = ReportFactory(status=status, allow_publish=True, category=category)
        public_photo(report)
        reports.append(report)
    return reports


@pytest.mark.parametrize("count", [2, 12])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_list_takes_two_queries_whatever_the_number_of_reports(
    client: Client,
    media: Any,
    settings: Any,
    django_assert_max_num_queries: Any,
    count: int,
    fmt: str,
) -> None:
    settings.PAGE_CACHE_SECONDS = 0  # every request renders
    file_reports(count)
    with django_assert_max_num_queries(2):  # the reports, their attachments
        response = client.get(f"/open311/v2/requests.{fmt}")
    assert response.status_code == 200
    assert response.content.count(b"/tep/") == count  # every photo's media_url


def test_list_reads_no_personal_column(
    client: Client, media: Any, settings: Any
) -> None:
    settings.PAGE_CACHE_SECONDS = 0
    file_reports(2)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "feedback_report" in sql
    for column in ("full_name", "id_number", "email", "phone", "search_text"):
        assert f'"{column}"' not in sql


def test_second_caller_is_answered_from_the_shared_cache_without_sql(
    client: Client, media: Any, django_assert_num_queries: Any
) -> None:
    reports = file_reports(3)
    first = client.get(URL)
    with django_assert_num_queries(0):
        second = Client().get(URL)
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Access-Control-Allow-Origin"] == "*"
    codes = [item["service_request_id"] for item in json.loads(second.content)]
    assert sorted(codes) == sorted(r.code for r in reports)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_gzip_clients_get_the_same_answer_compressed_once_for_everyone(
    client: Client, media: Any, django_assert_num_queries: Any, fmt: str
) -> None:
    file_reports(3)
    url = f"/open311/v2/requests.{fmt}"
    plain = client.get(url)
    assert "Content-Encoding" not in plain
    assert "Accept-Encoding" in plain["Vary"]
    with django_assert_num_queries(0):
        first = Client().get(url, HTTP_ACCEPT_ENCODING="gzip, deflate")
        second = Client().get(url, HTTP_ACCEPT_ENCODING="br;q=1, gzip;q=0.8")
    assert first["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in first["Vary"]
    assert gzip.decompress(first.content) == plain.content
    assert len(first.content) < len(plain.content)
    # Kept compressed, not compressed again per request (no random filler).
    assert second.content == first.content
    assert first["Content-Type"] == plain["Content-Type"]


def test_each_format_filter_and_host_is_its_own_answer(
    client: Client, media: Any, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = ["testserver", "api.example.vn"]
    file_reports(2)
    json_answer = client.get(URL)
    xml_answer = client.get("/open311/v2/requests.xml")
    assert xml_answer.content.startswith(b"<?xml")
    assert json.loads(client.get(URL, {"status": "closed"}).content) == []
    assert len(json.loads(client.get(URL, {"status": "open"}).content)) == 2
    other_host = client.get(URL, HTTP_HOST="api.example.vn")
    assert b"http://api.example.vn/phan-anh/" in other_host.content
    assert b"http://testserver/phan-anh/" in json_answer.content


def test_with_the_cache_off_a_report_hidden_leaves_the_list_at_once(
    client: Client, media: Any, settings: Any
) -> None:
    settings.PAGE_CACHE_SECONDS = 0
    shown, hidden = file_reports(2)
    assert len(json.loads(client.get(URL).content)) == 2
    Report.objects.filter(pk=hidden.pk).update(is_hidden=True)
    codes = [i["service_request_id"] for i in json.loads(client.get(URL).content)]
    assert codes == [shown.code]


def test_lookups_by_code_are_never_shared(
    client: Client, media: Any, django_assert_max_num_queries: Any
) -> None:
    (report,) = file_reports(1)
    params = {"service_request_id": report.code}
    client.get(URL, params)
    with CaptureQueriesContext(connection) as again:
        response = Client().get(URL, params)
    assert response.status_code == 200
    assert len(again.captured_queries) > 0  # looked up (and counted) every time


def test_an_answer_past_its_time_is_given_while_one_caller_renders_the_next(
    client: Client, media: Any, django_assert_num_queries: Any
) -> None:
    import time

    from django.core.cache import cache

    from open311.views import LIST_CACHE_PREFIX

    first, second = file_reports(2)
    client.get(URL)
    # The tests' cache is local memory; its keys are "<prefix>:<version>:<key>".
    (key,) = {
        k.split(":", 2)[2].rsplit(":", 1)[0]
        for k in cache._cache  # type: ignore[attr-defined]
        if LIST_CACHE_PREFIX in k
    }
    for variant in ("plain", "gzip"):
        body, _fresh_until = cache.get(f"{key}:{variant}")
        cache.set(f"{key}:{variant}", (body, time.time() - 1), 60)
    Report.objects.filter(pk=second.pk).update(is_hidden=True)
    cache.set(f"{key}:rendering", 1, 30)  # another caller is rendering it
    with django_assert_num_queries(0):
        stale = Client().get(URL)
        packed = Client().get(URL, HTTP_ACCEPT_ENCODING="gzip")
    assert len(json.loads(stale.content)) == 2
    assert json.loads(gzip.decompress(packed.content)) == json.loads(stale.content)
    cache.delete(f"{key}:rendering")  # nobody is: this caller renders
    fresh = Client().get(URL)
    codes = [item["service_request_id"] for item in json.loads(fresh.content)]
    assert codes == [first.code]
    assert cache.get(f"{key}:rendering") is None  # and frees it for the next time
    with django_assert_num_queries(0):  # fresh again: shared
        assert Client().get(URL).content == fresh.content
