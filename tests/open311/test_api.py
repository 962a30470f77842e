"""Open311 GeoReport v2: every endpoint in JSON and XML, keys, errors, privacy."""

from __future__ import annotations

import http.server
import json
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from feedback.models import Channel, Report, Status
from open311.models import Partner, PartnerSubmission
from tests.factories import CategoryFactory, PartnerFactory, ReportFactory
from tests.feedback.files import EXECUTABLE, jpeg, png

BASE = "/open311/v2/"
PERSONAL = ["Trần Thị Bình", "058190004321", "binh@example.vn", "0987654321"]
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


@pytest.fixture
def category(db: None) -> Any:
    return CategoryFactory(name="Giao thông", slug="giao-thong")


@pytest.fixture
def partner(db: None) -> Partner:
    """A Zalo mini-app allowed 100 reports an hour."""
    return PartnerFactory()


@pytest.fixture
def post_data(category: Any, partner: Partner) -> dict[str, Any]:
    return {
        "api_key": partner.raw_key,
        "service_code": "giao-thong",
        "last_name": "Trần Thị",
        "first_name": "Bình",
        "email": "binh@example.vn",
        "phone": "0987 654 321",
        "attribute[id_number]": "058190004321",
        "attribute[consent]": "true",
        "address_string": "Đường 16/4, phường Mỹ Hải, Phan Rang - Tháp Chàm",
        "description": "Ổ gà lớn trên đường 16/4. Xe máy đi lại rất nguy hiểm về đêm.",
    }


def xml_of(response: Any) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml")
    return ET.fromstring(response.content)  # noqa: S314 - our own response


def json_of(response: Any) -> Any:
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def error_codes(response: Any, fmt: str) -> list[int]:
    if fmt == "json":
        return [item["code"] for item in json_of(response)]
    root = xml_of(response)
    assert root.tag == "errors"
    assert all(child.tag == "error" for child in root)
    return [int(child.findtext("code") or 0) for child in root]


# Discovery and services.
def test_discovery_in_json_and_xml(client: Client) -> None:
    data = json_of(client.get(BASE + "discovery.json"))
    assert (
        data["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    )
    # No trailing slash, as in the discovery specification's example: clients
    # append "/requests.xml".
    assert data["endpoints"][0]["url"].endswith("/open311/v2")
    root = xml_of(client.get(BASE + "discovery.xml"))
    assert root.tag == "discovery"
    assert {child.tag for child in root} >= {"changeset", "contact", "endpoints"}
    endpoint = root.find("endpoints/endpoint")
    assert endpoint is not None
    formats = [f.text for f in endpoint.findall("formats/format")]
    assert formats == ["text/xml", "application/json"]


def test_services_list_one_per_active_category(client: Client, category: Any) -> None:
    CategoryFactory(name="Cũ", slug="cu", is_active=False)
    data = json_of(client.get(BASE + "services.json"))
    assert [s["service_code"] for s in data] == ["giao-thong"]
    assert data[0]["service_name"] == "Giao thông"
    root = xml_of(client.get(BASE + "services.xml"))
    assert root.tag == "services"
    service = root.find("service")
    assert service is not None
    assert {c.tag for c in service} == {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }
    assert service.findtext("metadata") == "true"
    assert service.findtext("type") == "realtime"


def test_service_definition_names_the_portal_attributes(
    client: Client, category: Any
) -> None:
    data = json_of(client.get(BASE + "services/giao-thong.json"))
    assert data["service_code"] == "giao-thong"
    required = {a["code"] for a in data["attributes"] if a["required"]}
    assert required == {"id_number", "consent"}
    root = xml_of(client.get(BASE + "services/giao-thong.xml"))
    assert root.tag == "service_definition"
    attribute = root.find("attributes/attribute")
    assert attribute is not None
    assert {c.tag for c in attribute} >= {
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
    }
    consent = [a for a in root.iter("attribute") if a.findtext("code") == "consent"]
    assert consent[0].findtext("values/value/key") == "true"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_service_is_404(client: Client, db: None, fmt: str) -> None:
    response = client.get(BASE + f"services/khong-co.{fmt}")
    assert response.status_code == 404
    assert error_codes(response, fmt) == [404]


# Filing a report.
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_partner_files_report_with_photo(
    client: Client, post_data: dict[str, Any], partner: Partner, media: Any, fmt: str
) -> None:
    response = client.post(BASE + f"requests.{fmt}", {**post_data, "media": jpeg()})
    assert response.status_code == 201
    if fmt == "json":
        item = json_of(response)[0]
    else:
        root = xml_of(response)
        assert root.tag == "service_requests"
        element = root.find("request")
        assert element is not None
        item = {child.tag: child.text for child in element}
    report = Report.objects.get(code=item["service_request_id"])
    assert report.channel == Channel.ZALO
    assert report.full_name == "Trần Thị Bình"
    assert report.phone == "0987654321"
    assert report.location.startswith("Đường 16/4")
    assert report.title == "Ổ gà lớn trên đường 16/4"
    assert report.status == Status.NEW
    assert report.attachments.count() == 1
    submission = PartnerSubmission.objects.get(report=report)
    assert submission.partner == partner
    assert item["token"] == submission.token


def test_api_report_reaches_officials_and_web(
    client: Client, post_data: dict[str, Any], intake_officer: Any
) -> None:
    response = client.post(BASE + "requests.json", post_data)
    code = json_of(response)[0]["service_request_id"]
    assert Report.objects.visible_to(intake_officer).filter(code=code).exists()
    page = Client().get(f"/phan-anh/{code}/")
    assert page.status_code == 200
    assert code in page.content.decode()


def test_token_returns_the_request_id(
    client: Client, post_data: dict[str, Any]
) -> None:
    item = json_of(client.post(BASE + "requests.json", post_data))[0]
    found = json_of(client.get(BASE + f"tokens/{item['token']}.json"))
    assert found == [
        {"service_request_id": item["service_request_id"], "token": item["token"]}
    ]
    root = xml_of(client.get(BASE + f"tokens/{item['token']}.xml"))
    assert root.findtext("request/service_request_id") == item["service_request_id"]
    assert client.get(BASE + "tokens/khong-co.json").status_code == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_missing_key_is_403(
    client: Client, post_data: dict[str, Any], fmt: str
) -> None:
    del post_data["api_key"]
    response = client.post(BASE + f"requests.{fmt}", post_data)
    assert response.status_code == 403
    assert error_codes(response, fmt) == [403]
    assert not Report.objects.exists()


def test_wrong_key_is_403(client: Client, post_data: dict[str, Any]) -> None:
    post_data["api_key"] = "pa311_sai"
    response = client.post(BASE + "requests.json", post_data)
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_revoked_key_is_403(
    client: Client, post_data: dict[str, Any], partner: Partner
) -> None:
    partner.is_active = False
    partner.save()
    response = client.post(BASE + "requests.json", post_data)
    assert response.status_code == 403
    assert "thu hồi" in json_of(response)[0]["description"]
    assert not Report.objects.exists()


def test_rotated_key_replaces_the_old_one(
    client: Client, post_data: dict[str, Any], partner: Partner
) -> None:
    new_key = partner.issue_key()
    partner.save()
    assert client.post(BASE + "requests.json", post_data).status_code == 403
    post_data["api_key"] = new_key
    assert client.post(BASE + "requests.json", post_data).status_code == 201


def test_partner_over_its_limit_is_refused(
    client: Client, post_data: dict[str, Any], partner: Partner
) -> None:
    partner.rate_limit = 2
    partner.save()
    for _ in range(2):
        assert client.post(BASE + "requests.json", post_data).status_code == 201
    response = client.post(BASE + "requests.json", post_data)
    assert response.status_code == 429
    assert error_codes(response, "json") == [429]
    assert Report.objects.count() == 2
    # Another partner has its own budget.
    other = PartnerFactory()
    post_data["api_key"] = other.raw_key
    assert client.post(BASE + "requests.json", post_data).status_code == 201


def test_consent_is_required(client: Client, post_data: dict[str, Any]) -> None:
    del post_data["attribute[consent]"]
    response = client.post(BASE + "requests.json", post_data)
    assert response.status_code == 400
    descriptions = [e["description"] for e in json_of(response)]
    assert any(d.startswith("attribute[consent]:") for d in descriptions)
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "param"),
    [
        ("attribute[id_number]", "123", "attribute[id_number]"),
        ("phone", "12345", "phone"),
        ("email", "khong-phai-email", "email"),
    ],
)
def test_invalid_field_is_400_naming_the_parameter(
    client: Client, post_data: dict[str, Any], field: str, value: str, param: str
) -> None:
    post_data[field] = value
    response = client.post(BASE + "requests.xml", post_data)
    assert response.status_code == 400
    root = xml_of(response)
    assert any(
        (e.findtext("description") or "").startswith(param + ":")
        for e in root.findall("error")
    )
    assert not Report.objects.exists()


def test_missing_location_is_400_and_unknown_service_404(
    client: Client, post_data: dict[str, Any]
) -> None:
    response = client.post(BASE + "requests.json", {**post_data, "address_string": ""})
    assert response.status_code == 400
    assert "lat" in json_of(response)[0]["description"]
    response = client.post(BASE + "requests.json", {**post_data, "service_code": "x"})
    assert response.status_code == 404
    assert error_codes(response, "json") == [404]
    assert not Report.objects.exists()


def test_bad_upload_is_refused_and_nothing_saved(
    client: Client, post_data: dict[str, Any], media: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("virus.jpg", EXECUTABLE)
    response = client.post(BASE + "requests.json", {**post_data, "media": bad})
    assert response.status_code == 400
    assert json_of(response)[0]["description"].startswith("media:")
    assert not Report.objects.exists()
    assert not any(p.is_file() for p in media.rglob("*"))


# media_url
@pytest.fixture
def photo_server() -> Iterator[str]:
    """A tiny HTTP server on 127.0.0.1 serving one PNG and one oversized file."""
    body = png().read()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            payload = body if self.path == "/anh.png" else b"x" * 5000
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            return None

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_media_url_from_other_host_kept_as_link_not_fetched(
    client: Client, post_data: dict[str, Any], photo_server: str, settings: Any
) -> None:
    settings.OPEN311_MEDIA_URL_HOSTS = []
    url = photo_server + "/anh.png"
    response = client.post(BASE + "requests.json", {**post_data, "media_url": url})
    assert response.status_code == 201
    notice = json_of(response)[0]["service_notice"]
    assert "media_url" in notice
    report = Report.objects.get()
    assert not report.attachments.exists()
    assert [m.url for m in report.external_media.all()] == [url]


def test_media_url_fetched_from_allowed_host(
    client: Client,
    post_data: dict[str, Any],
    photo_server: str,
    settings: Any,
    media: Any,
) -> None:
    settings.OPEN311_MEDIA_URL_HOSTS = ["127.0.0.1"]
    response = client.post(
        BASE + "requests.json", {**post_data, "media_url": photo_server + "/anh.png"}
    )
    assert response.status_code == 201
    report = Report.objects.get()
    assert report.attachments.get().content_type == "image/png"


def test_media_url_over_size_limit_is_kept_as_link(
    client: Client,
    post_data: dict[str, Any],
    photo_server: str,
    settings: Any,
) -> None:
    settings.OPEN311_MEDIA_URL_HOSTS = ["127.0.0.1"]
    settings.REPORT_MAX_FILE_SIZE = 1000
    response = client.post(
        BASE + "requests.json", {**post_data, "media_url": photo_server + "/lon.png"}
    )
    assert response.status_code == 201
    assert "lớn hơn" in json_of(response)[0]["service_notice"]
    report = Report.objects.get()
    assert not report.attachments.exists()
    assert report.external_media.count() == 1


# Reading requests.
@pytest.fixture
def reports(db: None, category: Any) -> dict[str, Report]:
    return {
        "published": ReportFactory(published=True, category=category),
        "new": ReportFactory(category=category),
        "rejected": ReportFactory(
            category=category,
            status=Status.REJECTED,
            rejection_reason="Trùng với phản ánh trước.",
        ),
    }


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_list_shows_only_published_reports_without_personal_data(
    client: Client, reports: dict[str, Report], fmt: str
) -> None:
    response = client.get(BASE + f"requests.{fmt}")
    assert response.status_code == 200
    text = response.content.decode()
    for value in PERSONAL:
        assert value not in text
    if fmt == "json":
        items = json_of(response)
        assert [i["service_request_id"] for i in items] == [reports["published"].code]
        assert set(items[0]) == REQUEST_FIELDS
        assert items[0]["status"] == "closed"
        assert items[0]["status_notes"] == reports["published"].answer
        assert items[0]["requested_datetime"].endswith("+07:00")
    else:
        root = xml_of(response)
        assert root.tag == "service_requests"
        requests = root.findall("request")
        assert len(requests) == 1
        assert {c.tag for c in requests[0]} == REQUEST_FIELDS
        assert requests[0].findtext("service_request_id") == reports["published"].code


def test_list_filters(client: Client, reports: dict[str, Report]) -> None:
    old = ReportFactory(published=True, category=reports["published"].category)
    Report.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=120)
    )
    codes = [
        i["service_request_id"] for i in json_of(client.get(BASE + "requests.json"))
    ]
    assert codes == [reports["published"].code]  # the 90-day window
    start = (timezone.now() - timedelta(days=200)).isoformat()
    found = json_of(client.get(BASE + "requests.json", {"start_date": start}))
    assert {i["service_request_id"] for i in found} == {
        reports["published"].code,
        old.code,
    }
    assert json_of(client.get(BASE + "requests.json", {"status": "open"})) == []
    assert len(json_of(client.get(BASE + "requests.json", {"status": "closed"}))) == 1
    assert json_of(client.get(BASE + "requests.json", {"service_code": "khac"})) == []


@pytest.mark.parametrize(
    "params",
    [
        {"status": "dang-xu-ly"},
        {"start_date": "hôm qua"},
        {
            "start_date": "2026-02-01T00:00:00+07:00",
            "end_date": "2026-01-01T00:00:00+07:00",
        },
    ],
)
def test_bad_filters_are_400(client: Client, db: None, params: dict[str, str]) -> None:
    response = client.get(BASE + "requests.xml", params)
    assert response.status_code == 400
    assert error_codes(response, "xml") == [400]


def test_unpublished_report_by_code_shows_status_only(
    client: Client, reports: dict[str, Report]
) -> None:
    new, rejected = reports["new"], reports["rejected"]
    items = json_of(
        client.get(
            BASE + "requests.json",
            {"service_request_id": f"{new.code},{rejected.code}"},
        )
    )
    by_code = {i["service_request_id"]: i for i in items}
    assert by_code[new.code]["status"] == "open"
    assert by_code[new.code]["description"] is None
    assert by_code[rejected.code]["status"] == "closed"
    assert by_code[rejected.code]["status_notes"] == "Trùng với phản ánh trước."
    text = json.dumps(items, ensure_ascii=False)
    for value in [*PERSONAL, new.title, new.content]:
        assert value not in text


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_single_request(client: Client, reports: dict[str, Report], fmt: str) -> None:
    report = reports["published"]
    response = client.get(BASE + f"requests/{report.code.lower()}.{fmt}")
    assert response.status_code == 200
    text = response.content.decode()
    assert report.content in text
    for value in PERSONAL:
        assert value not in text
    missing = client.get(BASE + f"requests/PA-ZZZZ-ZZZZ.{fmt}")
    assert missing.status_code == 404
    assert error_codes(missing, fmt) == [404]


def test_list_query_budget(
    client: Client, reports: dict[str, Report], django_assert_max_num_queries: Any
) -> None:
    for _ in range(5):
        ReportFactory(published=True, category=reports["published"].category)
    with django_assert_max_num_queries(3):
        client.get(BASE + "requests.json")


def test_admin_shows_new_key_once(admin_client: Client, db: None) -> None:
    response = admin_client.post(
        "/admin/open311/partner/add/",
        {
            "name": "Facebook bot",
            "contact": "",
            "channel": "facebook",
            "is_active": "on",
            "rate_limit": "50",
        },
        follow=True,
    )
    assert response.status_code == 200
    partner = Partner.objects.get(name="Facebook bot")
    shown = [str(m) for m in response.context["messages"]]
    key = next(word for m in shown for word in m.split() if word.startswith("pa311_"))
    assert Partner.objects.by_key(key) == partner
    assert key not in (partner.key_hash or "")
    page = admin_client.get(f"/admin/open311/partner/{partner.pk}/change/")
    assert key not in page.content.decode()


def test_docs_page(client: Client, category: Any) -> None:
    response = client.get("/open311/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "attribute[consent]" in text
    assert "curl" in text
    assert "In English" in text


def test_uploaded_and_fetched_photos_are_each_decoded_once(
    client: Client,
    post_data: dict[str, Any],
    photo_server: str,
    settings: Any,
    media: Any,
    decodes: list[str],
) -> None:
    settings.OPEN311_MEDIA_URL_HOSTS = ["127.0.0.1"]
    response = client.post(
        BASE + "requests.json",
        {**post_data, "media": jpeg(), "media_url": photo_server + "/anh.png"},
    )
    assert response.status_code == 201
    assert sorted(decodes) == ["anh.jpg", "anh.png"]
    types = [a.content_type for a in Report.objects.get().attachments.order_by("pk")]
    assert types == ["image/jpeg", "image/png"]


def test_uploaded_and_fetched_photos_together_keep_to_the_file_limit(
    client: Client,
    post_data: dict[str, Any],
    photo_server: str,
    settings: Any,
    media: Any,
) -> None:
    settings.OPEN311_MEDIA_URL_HOSTS = ["127.0.0.1"]
    settings.REPORT_MAX_FILES = 1
    response = client.post(
        BASE + "requests.json",
        {**post_data, "media": jpeg(), "media_url": photo_server + "/anh.png"},
    )
    assert response.status_code == 400
    assert "tối đa 1 tệp" in json_of(response)[0]["description"]
    assert not Report.objects.exists()
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
