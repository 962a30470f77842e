"""GeoReport v2 conformance, from the specification's text.

Each test quotes (in its name or a comment) the rule of wiki.open311.org
GeoReport_v2, its Service Discovery page or its JSON/XML conversion page that it
checks, for every endpoint in both formats, and every error in the standard's
error format.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from feedback.models import Attachment, Report, ReporterUpdate, Status, StatusChange
from open311.models import Partner
from places.models import AdministrativeUnit
from tests.factories import (
    AttachmentFactory,
    CategoryFactory,
    PartnerFactory,
    ReportFactory,
)
from tests.feedback.files import jpeg
from tests.open311.helpers import (
    BASE,
    FORMATS,
    PERSONAL,
    REQUEST_FIELDS,
    errors_of,
    json_of,
    requests_of,
    xml_of,
)


# Service Discovery: "url" is the endpoint's base; clients append the resource.
@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery_lists_an_endpoint_clients_can_append_paths_to(
    client: Client, service: Any, fmt: str
) -> None:
    response = client.get(BASE + f"discovery.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        data = json_of(response)
        assert {"changeset", "contact", "key_service", "endpoints"} <= set(data)
        endpoint = data["endpoints"][0]
        assert endpoint["formats"] == ["text/xml", "application/json"]
    else:
        root = xml_of(response)
        assert root.tag == "discovery"
        element = root.find("endpoints/endpoint")
        assert element is not None
        endpoint = {c.tag: c.text for c in element}
        assert [f.text for f in element.findall("formats/format")] == [
            "text/xml",
            "application/json",
        ]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["type"] == "production"
    url = endpoint["url"].removeprefix("http://testserver")
    # Appended with a slash, without one, and with one too many.
    for path in (url + "/services.xml", url + "services.xml", url + "//services.xml"):
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert xml_of(answer).findtext("service/service_code") == "giao-thong"


# GET services: service_code, service_name, description, metadata, type,
# keywords, group; "metadata: true if there are attributes".
@pytest.mark.parametrize("fmt", FORMATS)
def test_service_list_fields(client: Client, service: Any, fmt: str) -> None:
    response = client.get(BASE + f"services.{fmt}")
    fields = [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    if fmt == "json":
        (item,) = json_of(response)
        assert list(item) == fields
        assert item["metadata"] is True
        assert item["keywords"] is None  # absent: null, not ""
    else:
        root = xml_of(response)
        assert root.tag == "services"
        (element,) = root.findall("service")
        assert [c.tag for c in element] == fields
        assert element.findtext("metadata") == "true"
        item = {"type": element.findtext("type")}
    assert item["type"] == "realtime"


# GET service definition: the attributes; the portal declares what it requires.
@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition_declares_the_required_attributes(
    client: Client, service: Any, fmt: str
) -> None:
    response = client.get(BASE + f"services/giao-thong.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        data = json_of(response)
        attributes = data["attributes"]
    else:
        root = xml_of(response)
        assert root.tag == "service_definition"
        attributes = [
            {
                "code": a.findtext("code"),
                "required": a.findtext("required") == "true",
                "datatype": a.findtext("datatype"),
                "values": [v.findtext("key") for v in a.findall("values/value")],
            }
            for a in root.findall("attributes/attribute")
        ]
    required = {a["code"] for a in attributes if a["required"]}
    assert required == {"id_number", "consent"}
    consent = next(a for a in attributes if a["code"] == "consent")
    assert consent["datatype"] == "singlevaluelist"
    keys = [v if isinstance(v, str) else v["key"] for v in consent["values"]]
    assert keys == ["true"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_service_definition_is_404(client: Client, db: None, fmt: str) -> None:
    response = client.get(BASE + f"services/khong-co.{fmt}")
    assert response.status_code == 404
    assert [code for code, _ in errors_of(response, fmt)] == [404]


# POST requests: "location: lat & long, or address_string, or address_id —
# one of these is required".
@pytest.mark.parametrize("fmt", FORMATS)
def test_post_with_coordinates_only(
    client: Client, minimal_request: dict[str, str], fmt: str
) -> None:
    response = client.post(BASE + f"requests.{fmt}", minimal_request)
    assert response.status_code == 201
    (item,) = requests_of(response, fmt)
    assert set(item) == {"service_request_id", "token", "service_notice", "account_id"}
    report = Report.objects.get(code=item["service_request_id"])
    assert report.latitude == Decimal("11.567891")
    assert report.longitude == Decimal("108.988765")
    assert report.location  # officials always read a place
    # The optional contact fields were not sent and were not asked for.
    assert (report.email, report.phone, report.full_name) == ("", "", "")


def test_post_with_more_decimals_than_stored(
    client: Client, minimal_request: dict[str, str]
) -> None:
    params = {**minimal_request, "lat": "11.56789149", "long": "-108.98876551"}
    assert client.post(BASE + "requests.json", params).status_code == 201
    report = Report.objects.get()
    assert (report.latitude, report.longitude) == (
        Decimal("11.567891"),
        Decimal("-108.988766"),
    )


def test_post_with_commune_code_only(
    client: Client,
    minimal_request: dict[str, str],
    commune: AdministrativeUnit,
) -> None:
    del minimal_request["lat"], minimal_request["long"]
    response = client.post(
        BASE + "requests.json", {**minimal_request, "address_id": commune.code}
    )
    assert response.status_code == 201
    report = Report.objects.get()
    assert report.commune == commune
    assert report.location == commune.name
    assert report.latitude is None


def test_post_with_address_string_keeps_coordinates_too(
    client: Client, minimal_request: dict[str, str]
) -> None:
    response = client.post(
        BASE + "requests.json",
        {**minimal_request, "address_string": "Đường 16/4, phường Mỹ Hải"},
    )
    assert response.status_code == 201
    report = Report.objects.get()
    assert report.location == "Đường 16/4, phường Mỹ Hải"
    assert report.latitude == Decimal("11.567891")


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_without_any_location_names_what_is_missing(
    client: Client, minimal_request: dict[str, str], fmt: str
) -> None:
    del minimal_request["lat"], minimal_request["long"]
    response = client.post(BASE + f"requests.{fmt}", minimal_request)
    assert response.status_code == 400
    ((code, description),) = errors_of(response, fmt)
    assert code == 400
    for name in ("lat", "long", "address_string", "address_id"):
        assert name in description
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"long": ""}, "long"),
        ({"lat": "91"}, "lat"),
        ({"long": "khong-phai-so"}, "long"),
        ({"address_id": "99999"}, "address_id"),
    ],
)
def test_bad_location_is_400_naming_the_parameter(
    client: Client,
    minimal_request: dict[str, str],
    params: dict[str, str],
    named: str,
) -> None:
    response = client.post(BASE + "requests.json", {**minimal_request, **params})
    assert response.status_code == 400
    assert any(d.startswith(named + ":") for _, d in errors_of(response, "json"))
    assert not Report.objects.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_error_of_a_request_is_reported_at_once(
    client: Client, minimal_request: dict[str, str], fmt: str
) -> None:
    del minimal_request["attribute[consent]"]
    response = client.post(
        BASE + f"requests.{fmt}",
        {
            **minimal_request,
            "attribute[id_number]": "123",
            "email": "khong-phai-email",
            "phone": "12345",
            "lat": "",
        },
    )
    assert response.status_code == 400
    found = errors_of(response, fmt)
    assert {code for code, _ in found} == {400}
    prefixes = {d.split(":", 1)[0] for _, d in found}
    assert {
        "attribute[consent]",
        "attribute[id_number]",
        "email",
        "phone",
        "lat",
    } <= prefixes
    assert not Report.objects.exists()


def test_description_is_stored_as_written_and_title_from_it(
    client: Client, minimal_request: dict[str, str]
) -> None:
    text = "Ổ gà lớn trên đường 16/4. Xe máy đi lại rất nguy hiểm về đêm."
    client.post(BASE + "requests.json", {**minimal_request, "description": text})
    report = Report.objects.get()
    assert report.content == text
    assert report.title == "Ổ gà lớn trên đường 16/4"


# "api_key: ... obtained from the city" — accepted in the body or the query.
def test_api_key_in_query_string(
    client: Client, minimal_request: dict[str, str]
) -> None:
    key = minimal_request.pop("api_key")
    response = client.post(BASE + f"requests.json?api_key={key}", minimal_request)
    assert response.status_code == 201


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("key", [None, "pa311_sai"])
def test_missing_or_wrong_key_is_403(
    client: Client, minimal_request: dict[str, str], fmt: str, key: str | None
) -> None:
    if key is None:
        del minimal_request["api_key"]
    else:
        minimal_request["api_key"] = key
    response = client.post(BASE + f"requests.{fmt}", minimal_request)
    assert response.status_code == 403
    assert [code for code, _ in errors_of(response, fmt)] == [403]
    assert not Report.objects.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_service_code_on_post_is_404(
    client: Client, minimal_request: dict[str, str], fmt: str
) -> None:
    response = client.post(
        BASE + f"requests.{fmt}", {**minimal_request, "service_code": "nope"}
    )
    assert response.status_code == 404
    assert [code for code, _ in errors_of(response, fmt)] == [404]
    assert not Report.objects.exists()


def test_missing_service_code_is_400_with_the_other_errors(
    client: Client, minimal_request: dict[str, str]
) -> None:
    del minimal_request["service_code"], minimal_request["attribute[id_number]"]
    response = client.post(BASE + "requests.json", minimal_request)
    assert response.status_code == 400
    descriptions = [d for _, d in errors_of(response, "json")]
    assert any(d.startswith("service_code:") for d in descriptions)
    assert any(d.startswith("attribute[id_number]:") for d in descriptions)


@pytest.mark.parametrize("fmt", FORMATS)
def test_partner_over_its_hourly_limit_is_429(
    client: Client, minimal_request: dict[str, str], app_partner: Partner, fmt: str
) -> None:
    app_partner.rate_limit = 1
    app_partner.save()
    assert client.post(BASE + f"requests.{fmt}", minimal_request).status_code == 201
    response = client.post(BASE + f"requests.{fmt}", minimal_request)
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert [code for code, _ in errors_of(response, fmt)] == [429]
    assert Report.objects.count() == 1


def test_post_with_photo_file(
    client: Client, minimal_request: dict[str, str], media: Any
) -> None:
    response = client.post(BASE + "requests.xml", {**minimal_request, "media": jpeg()})
    assert response.status_code == 201
    assert Report.objects.get().attachments.count() == 1


# GET requests: every field of the response, null (JSON) / empty (XML) if absent.
@pytest.fixture
def located_report(service: Any, commune: AdministrativeUnit, media: Any) -> Report:
    """A published report with coordinates, its commune, a public photo, a
    private photo and an answer photo."""
    report = ReportFactory(
        published=True,
        category=service,
        commune=commune,
        latitude=Decimal("11.567891"),
        longitude=Decimal("108.988765"),
        content="Ổ gà sâu trước số nhà 12, xe máy dễ ngã khi trời mưa.",
    )
    AttachmentFactory(report=report, is_public=False)
    AttachmentFactory(report=report, is_public=True)
    AttachmentFactory(report=report, kind=Attachment.Kind.ANSWER)
    return report


@pytest.mark.parametrize("fmt", FORMATS)
def test_request_fields_place_photo_and_description(
    client: Client, located_report: Report, fmt: str
) -> None:
    response = client.get(BASE + f"requests/{located_report.code}.{fmt}")
    assert response.status_code == 200
    (item,) = requests_of(response, fmt)
    assert list(item) == REQUEST_FIELDS
    assert item["description"] == located_report.content  # as the citizen wrote it
    assert float(item["lat"]) == pytest.approx(11.568)  # about 100 m, for the public
    assert float(item["long"]) == pytest.approx(108.989)
    assert item["address_id"] == "22738"
    public_photo = located_report.attachments.get(is_public=True)
    assert item["media_url"] == (
        f"http://testserver/phan-anh/{located_report.code}/tep/{public_photo.pk}/"
    )
    assert item["status_notes"] == located_report.answer
    text = response.content.decode()
    for value in PERSONAL:
        assert value not in text


def test_absent_values_are_null_in_json_and_empty_in_xml(
    client: Client, service: Any
) -> None:
    report = ReportFactory(published=True, category=service)  # no coordinates, no photo
    (item,) = json_of(client.get(BASE + f"requests/{report.code}.json"))
    assert item["lat"] is None and item["long"] is None
    assert item["media_url"] is None and item["zipcode"] is None
    root = xml_of(client.get(BASE + f"requests/{report.code}.xml"))
    lat = root.find("request/lat")
    assert lat is not None and lat.text is None


def test_answer_photo_counts_once_the_answer_is_published(
    client: Client, service: Any, media: Any
) -> None:
    report = ReportFactory(published=True, category=service)
    answer = AttachmentFactory(report=report, kind=Attachment.Kind.ANSWER)
    (item,) = json_of(client.get(BASE + f"requests/{report.code}.json"))
    assert item["media_url"].endswith(f"/tep/{answer.pk}/")
    Report.objects.filter(pk=report.pk).update(is_published=False)
    (item,) = json_of(client.get(BASE + f"requests/{report.code}.json"))
    assert item["media_url"] is None


# GET requests: "status: open, closed ... can be declared multiple times, comma
# delimited".
@pytest.fixture
def open_and_closed(service: Any) -> dict[str, Report]:
    return {
        "open": ReportFactory(
            category=service, status=Status.IN_PROGRESS, allow_publish=True
        ),
        "closed": ReportFactory(published=True, category=service),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=open", {"open"}),
        ("status=OPEN", {"open"}),
        ("status=Closed", {"closed"}),
        ("status=closed&status=open", {"open", "closed"}),
        ("status=open,closed", {"open", "closed"}),
        ("", {"open", "closed"}),
    ],
)
def test_status_filter(
    client: Client, open_and_closed: dict[str, Report], query: str, expected: set[str]
) -> None:
    items = json_of(client.get(BASE + "requests.json?" + query))
    codes = {i["service_request_id"] for i in items}
    assert codes == {open_and_closed[name].code for name in expected}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "query",
    [
        "status=dang-xu-ly",
        "start_date=2026-13-45T00:00:00",
        "start_date=2026-11-01T00:00:00%2B99:00",
        "start_date=0001-01-01T00:00:00-23:59",
        "end_date=9999-12-31T23:59:59-23:59",
        "start_date=h%C3%B4m+qua",
        "start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z",
    ],
)
def test_bad_filters_are_400_with_a_description(
    client: Client, db: None, fmt: str, query: str
) -> None:
    response = client.get(BASE + f"requests.{fmt}?{query}")
    assert response.status_code == 400
    ((code, description),) = errors_of(response, fmt)
    assert code == 400
    assert description.split(":", 1)[0] in ("status", "start_date", "end_date")


def test_dates_with_offsets_and_utc_select_the_window(
    client: Client, service: Any
) -> None:
    report = ReportFactory(published=True, category=service)
    Report.objects.filter(pk=report.pk).update(
        created_at=timezone.now() - timedelta(days=120)
    )
    assert json_of(client.get(BASE + "requests.json")) == []  # the 90-day default
    start = (timezone.now() - timedelta(days=130)).strftime("%Y-%m-%dT%H:%M:%SZ")
    found = json_of(client.get(BASE + "requests.json", {"start_date": start}))
    assert [i["service_request_id"] for i in found] == [report.code]


def test_list_shows_only_public_reports(client: Client, service: Any) -> None:
    shown = ReportFactory(category=service, status=Status.ACCEPTED, allow_publish=True)
    ReportFactory(
        category=service, status=Status.ACCEPTED, allow_publish=False
    )  # no consent
    ReportFactory(category=service, allow_publish=True)  # not accepted yet
    ReportFactory(
        category=service, status=Status.ACCEPTED, allow_publish=True, is_hidden=True
    )
    items = json_of(client.get(BASE + "requests.json"))
    assert [i["service_request_id"] for i in items] == [shown.code]


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_request_and_token_are_404(client: Client, db: None, fmt: str) -> None:
    for path in (f"requests/PA-ZZZZ-ZZZZ.{fmt}", f"tokens/khong-co.{fmt}"):
        response = client.get(BASE + path)
        assert response.status_code == 404
        assert [code for code, _ in errors_of(response, fmt)] == [404]


@pytest.mark.parametrize("fmt", FORMATS)
def test_token_gives_the_request_id(
    client: Client, minimal_request: dict[str, str], fmt: str
) -> None:
    (made,) = json_of(client.post(BASE + "requests.json", minimal_request))
    (item,) = requests_of(client.get(BASE + f"tokens/{made['token']}.{fmt}"), fmt)
    assert item == {
        "service_request_id": made["service_request_id"],
        "token": made["token"],
    }


# Every error under /open311/ in the Open311 format, never an HTML page.
@pytest.mark.parametrize(
    ("method", "path", "status", "fmt"),
    [
        ("get", "services.XML", 200, "xml"),
        ("get", "Services.Json", 404, "json"),
        ("get", "requests.html", 404, "xml"),
        ("get", "requests", 404, "xml"),
        ("get", "nope.json", 404, "json"),
        ("get", "", 404, "xml"),
        ("put", "requests.json", 405, "json"),
        ("delete", "requests.xml", 405, "xml"),
        ("post", "services.json", 405, "json"),
        ("post", "discovery.xml", 405, "xml"),
        ("patch", "servicerequestupdates.json", 405, "json"),
        ("post", "tokens/abc.json", 405, "json"),
    ],
)
def test_every_path_answers_in_open311_format(
    client: Client, service: Any, method: str, path: str, status: int, fmt: str
) -> None:
    response = getattr(client, method)(BASE + path)
    assert response.status_code == status
    if status == 200:
        assert xml_of(response).tag == "services"
        return
    assert [code for code, _ in errors_of(response, fmt)] == [status]
    if status == 405:
        assert "GET" in response["Allow"] or "POST" in response["Allow"]


def test_csrf_never_applies(service: Any) -> None:
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(BASE + "services.json")
    assert response.status_code == 405
    assert errors_of(response, "json")[0][0] == 405


def test_docs_path_other_method_is_open311_405(client: Client, db: None) -> None:
    response = client.post("/open311/")
    assert response.status_code == 405
    assert errors_of(response, "xml")[0][0] == 405


@pytest.mark.parametrize("fmt", FORMATS)
def test_server_failure_is_open311_500(
    client: Client, db: None, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from open311 import selectors

    def broken() -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(selectors, "services", broken)
    response = client.get(BASE + f"services.{fmt}")
    assert response.status_code == 500
    ((code, description),) = errors_of(response, fmt)
    assert code == 500
    assert "database went away" not in description


# The servicerequestupdates extension (mySociety's, as FixMyStreet uses it).
@pytest.fixture
def filed(client: Client, minimal_request: dict[str, str]) -> Report:
    """A report this partner filed through the API."""
    (made,) = json_of(client.post(BASE + "requests.json", minimal_request))
    return Report.objects.get(code=made["service_request_id"])


def _move(report: Report, *steps: str, note: str = "") -> None:
    for step in steps:
        report.transition(step, by=None, note=note if step == steps[-1] else "")


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_updates_lists_status_changes_and_published_answer(
    client: Client, filed: Report, app_partner: Partner, fmt: str, admin_user: Any
) -> None:
    from feedback.workflow import set_published

    Report.objects.filter(pk=filed.pk).update(allow_publish=True)
    filed.refresh_from_db()
    _move(filed, Status.ACCEPTED, Status.IN_PROGRESS, Status.RESOLVED, note="Đã vá.")
    filed.refresh_from_db()
    set_published(report=filed, publish=True, by=admin_user)
    response = client.get(
        BASE + f"servicerequestupdates.{fmt}", {"api_key": app_partner.raw_key}
    )
    assert response.status_code == 200
    if fmt == "json":
        items = json_of(response)
    else:
        root = xml_of(response)
        assert root.tag == "service_request_updates"
        items = [{c.tag: c.text for c in e} for e in root.findall("request_update")]
    assert [i["status"] for i in items] == ["open", "open", "closed", "closed"]
    assert [i["external_status_code"] for i in items][:3] == [
        "accepted",
        "in_progress",
        "resolved",
    ]
    assert {i["service_request_id"] for i in items} == {filed.code}
    assert items[-1]["description"] == "Đã vá."
    assert len({i["update_id"] for i in items}) == 4
    for item in items:
        assert {
            "update_id",
            "service_request_id",
            "status",
            "updated_datetime",
            "description",
            "media_url",
        } <= set(item)


def test_get_updates_window_and_other_partners(
    client: Client, filed: Report, app_partner: Partner
) -> None:
    _move(filed, Status.ACCEPTED)
    StatusChange.objects.filter(report=filed).update(
        created_at=timezone.now() - timedelta(days=2)
    )
    key = app_partner.raw_key
    url = BASE + "servicerequestupdates.json"
    assert json_of(client.get(url, {"api_key": key}))  # within 90 days
    recent = (timezone.now() - timedelta(days=1)).isoformat()
    assert json_of(client.get(url, {"api_key": key, "start_date": recent})) == []
    other = PartnerFactory()
    assert json_of(client.get(url, {"api_key": other.raw_key})) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_updates_need_a_key_and_valid_dates(client: Client, db: None, fmt: str) -> None:
    response = client.get(BASE + f"servicerequestupdates.{fmt}")
    assert response.status_code == 403
    assert errors_of(response, fmt)[0][0] == 403
    partner = PartnerFactory()
    response = client.get(
        BASE + f"servicerequestupdates.{fmt}",
        {"api_key": partner.raw_key, "end_date": "2026-02-30T00:00:00Z"},
    )
    assert response.status_code == 400


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_update_becomes_a_reporter_update(
    client: Client, filed: Report, app_partner: Partner, fmt: str
) -> None:
    params = {
        "api_key": app_partner.raw_key,
        "service_request_id": filed.code,
        "description": "Ổ gà đã to hơn sau trận mưa tối qua.",
        "update_id": "fms-42",
        "status": "OPEN",
        "updated_datetime": "2026-12-01T08:00:00+07:00",
    }
    response = client.post(BASE + f"servicerequestupdates.{fmt}", params)
    assert response.status_code == 200
    update = ReporterUpdate.objects.get(report=filed)
    assert update.text == params["description"]
    assert update.channel == app_partner.channel
    if fmt == "json":
        (item,) = json_of(response)
    else:
        root = xml_of(response)
        assert root.tag == "service_request_updates"
        item = {"update_id": root.findtext("request_update/update_id")}
    assert item["update_id"] == f"reporter-{update.pk}"
    # Sent again (a retry): stored once, the same answer.
    again = client.post(BASE + f"servicerequestupdates.{fmt}", params)
    assert again.content == response.content
    assert ReporterUpdate.objects.count() == 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_update_errors(
    client: Client, filed: Report, app_partner: Partner, fmt: str
) -> None:
    url = BASE + f"servicerequestupdates.{fmt}"
    base = {"service_request_id": filed.code, "description": "Thêm thông tin."}
    assert client.post(url, base).status_code == 403
    other = PartnerFactory()
    response = client.post(url, {**base, "api_key": other.raw_key})
    assert response.status_code == 403
    assert errors_of(response, fmt)[0][0] == 403
    key = app_partner.raw_key
    response = client.post(
        url, {**base, "api_key": key, "service_request_id": "PA-ZZZZ-ZZZZ"}
    )
    assert response.status_code == 404
    response = client.post(url, {"api_key": key})
    assert response.status_code == 400
    names = {d.split(":", 1)[0] for _, d in errors_of(response, fmt)}
    assert names == {"service_request_id", "description"}
    assert not ReporterUpdate.objects.exists()


def test_report_lookups_by_code_share_one_function() -> None:
    """The guessing limit hooks into one place: every by-code read calls it."""
    import inspect

    from open311 import views

    source = inspect.getsource(views)
    assert source.count("reports_by_code(request,") == 3
    assert source.count("selectors.by_codes") == 1
    assert "Report.objects" not in source


def test_services_of_inactive_categories_are_not_listed(
    client: Client, service: Any
) -> None:
    CategoryFactory(name="Cũ", slug="cu", is_active=False)
    items = json_of(client.get(BASE + "services.json"))
    assert [s["service_code"] for s in items] == ["giao-thong"]
    assert client.get(BASE + "services/cu.json").status_code == 404


def test_post_update_with_photo_and_foreign_link(
    client: Client, filed: Report, app_partner: Partner, media: Any, settings: Any
) -> None:
    settings.OPEN311_MEDIA_URL_HOSTS = []
    response = client.post(
        BASE + "servicerequestupdates.json",
        {
            "api_key": app_partner.raw_key,
            "service_request_id": filed.code,
            "description": "Ảnh chụp sáng nay.",
            "media": jpeg(),
            "media_url": "https://photos.example.org/p/2.jpg",
        },
    )
    assert response.status_code == 200
    (item,) = json_of(response)
    assert "media_url" in item["service_notice"]
    update = ReporterUpdate.objects.get(report=filed)
    assert filed.attachments.filter(kind=Attachment.Kind.UPDATE).count() == 1
    assert update.text == "Ảnh chụp sáng nay."
    assert [m.url for m in filed.external_media.all()] == [
        "https://photos.example.org/p/2.jpg"
    ]


def test_post_update_on_closed_report_is_400_and_keeps_nothing(
    client: Client, filed: Report, app_partner: Partner
) -> None:
    _move(filed, Status.REJECTED, note="Trùng với phản ánh trước.")
    response = client.post(
        BASE + "servicerequestupdates.xml",
        {
            "api_key": app_partner.raw_key,
            "service_request_id": filed.code,
            "description": "Thêm thông tin.",
            "media_url": "https://photos.example.org/p/3.jpg",
        },
    )
    assert response.status_code == 400
    assert errors_of(response, "xml")[0][0] == 400
    assert not ReporterUpdate.objects.exists()
    assert not filed.external_media.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_refusal_inside_a_lookup_is_an_open311_error(
    client: Client, db: None, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a look-up limit hooked into reports_by_code answers: its own status."""
    from open311 import views

    def refuse(request: Any, raw_codes: list[str]) -> list[Report]:
        raise views.ApiError(429, "Quá nhiều lần tra mã.")

    monkeypatch.setattr(views, "reports_by_code", refuse)
    response = client.get(BASE + f"requests/PA-ZZZZ-ZZZZ.{fmt}")
    assert response.status_code == 429
    assert errors_of(response, fmt) == [(429, "Quá nhiều lần tra mã.")]


def test_query_budgets_do_not_grow_with_the_results(
    client: Client,
    filed: Report,
    app_partner: Partner,
    service: Any,
    media: Any,
    django_assert_max_num_queries: Any,
) -> None:
    reports = [ReportFactory(published=True, category=service) for _ in range(5)]
    for report in reports:
        AttachmentFactory(report=report, kind=Attachment.Kind.ANSWER)
    _move(filed, Status.ACCEPTED, Status.IN_PROGRESS)
    codes = ",".join(r.code for r in reports)
    with django_assert_max_num_queries(4):
        client.get(BASE + "requests.xml", {"service_request_id": codes})
    with django_assert_max_num_queries(4):
        client.get(BASE + "requests.json")
    with django_assert_max_num_queries(5):
        client.get(BASE + "servicerequestupdates.xml", {"api_key": app_partner.raw_key})
