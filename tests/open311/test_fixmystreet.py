"""FixMyStreet's Open311 client against the portal, in both directions.

The requests are built the way perllib/Open311.pm builds them
(``_populate_service_request_params``, ``_populate_service_request_update_params``,
``_request``: jurisdiction_id and api_key in every POST body, lat/long by
default, first_name/last_name split from one name, attribute[...] for what the
service definition asks, the W3CDTF dates of get_service_request_updates), and
every answer is read with ``xml_in``, XML::Simple with Open311.pm's ForceArray,
GroupTags, KeyAttr and SuppressEmpty options, then the same hash paths.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from feedback.models import Report, ReporterUpdate, Status
from feedback.workflow import set_published
from open311.models import Partner
from tests.factories import AgencyFactory
from tests.open311.helpers import BASE
from tests.open311.xml_simple import xml_in

JURISDICTION = "khanhhoa.gov.vn"


def w3cdtf(value: datetime) -> str:
    """DateTime::Format::W3CDTF->format_datetime of a UTC DateTime."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class FixMyStreet:
    """The calls of Open311.pm, endpoint configured with its trailing slash."""

    def __init__(self, client: Client, api_key: str) -> None:
        self.client = client
        self.api_key = api_key
        self.endpoint = BASE  # "…/open311/v2/": Open311.pm appends "services.xml"

    def _get(self, path: str, params: dict[str, str] | None = None) -> Any:
        query = {**(params or {}), "jurisdiction_id": JURISDICTION}
        response = self.client.get(self.endpoint + path, query)
        return response.status_code, xml_in(response.content)

    def _post(self, path: str, params: dict[str, Any]) -> Any:
        body = {**params, "jurisdiction_id": JURISDICTION, "api_key": self.api_key}
        response = self.client.post(self.endpoint + path, body)
        return response.status_code, xml_in(response.content)

    def get_service_list(self) -> Any:
        return self._get("services.xml")[1]

    def get_service_meta_info(self, code: str) -> Any:
        return self._get(f"services/{code}.xml")[1]

    def send_service_request(self, params: dict[str, Any]) -> str | int:
        status, obj = self._post("requests.xml", params)
        if status >= 300:
            return 0
        request_id = obj["request"][0]["service_request_id"]
        if request_id and not isinstance(request_id, dict | list):
            return str(request_id)
        token = obj["request"][0]["token"]
        return self.get_service_request_id_from_token(token) if token else 0

    def get_service_request_id_from_token(self, token: str) -> str | int:
        obj = self._get(f"tokens/{token}.xml")[1]
        return obj["request"][0]["service_request_id"] if obj else 0

    def get_service_requests(self, report_ids: list[str]) -> Any:
        return self._get("requests.xml", {"service_request_id": ",".join(report_ids)})[
            1
        ]

    def get_service_request_updates(self, start: datetime, end: datetime) -> Any:
        params = {
            "api_key": self.api_key,
            "start_date": w3cdtf(start),
            "end_date": w3cdtf(end),
        }
        obj = self._get("servicerequestupdates.xml", params)[1]
        return obj["request_update"] if obj else None

    def post_service_request_update(self, params: dict[str, Any]) -> str | int:
        status, obj = self._post("servicerequestupdates.xml", params)
        if status >= 300:
            return 0
        update_id = obj["request_update"][0]["update_id"]
        return str(update_id) if update_id and not isinstance(update_id, dict) else 0

    def process_error(self, content: bytes) -> str:
        """Open311.pm's _process_error: "code: description" per error."""
        obj = xml_in(content)
        return "".join(
            f"{e.get('code') or '???'}: {e.get('description') or 'unknown error'}\n"
            for e in obj["error"]
        )


@pytest.fixture
def fms(client: Client, app_partner: Partner) -> FixMyStreet:
    return FixMyStreet(client, app_partner.raw_key)


def problem_params(meta: Any) -> dict[str, Any]:
    """What Open311.pm sends for a problem: extended description, split name,
    coordinates truncated to 6 places, and one attribute per required one."""
    description = (
        "Ổ gà sâu trên đường 16/4\n\n"
        "Mặt đường có nhiều ổ gà, xe máy đi lại rất nguy hiểm về đêm.\n\n"
        "https://fixmystreet.example/report/123\n"
    )
    params: dict[str, Any] = {
        "description": description,
        "service_code": "giao-thong",
        "first_name": "Bình",
        "last_name": "Trần Thị",
        "email": "binh@example.vn",
        "lat": "11.567891",
        "long": "108.988765",
    }
    # PopulateServiceList stores each attribute; the reporter answers the
    # required ones in FixMyStreet's form.
    answers = {"id_number": "058190004321", "consent": "true"}
    for attribute in meta["attributes"]:
        if attribute["required"] == "true":
            params[f"attribute[{attribute['code']}]"] = answers[attribute["code"]]
    return params


def test_fixmystreet_reads_services_and_definitions(
    fms: FixMyStreet, service: Any
) -> None:
    services = fms.get_service_list()
    (item,) = services["service"]
    assert item["service_code"] == "giao-thong"
    assert item["metadata"] == "true"
    assert item["keywords"] is None  # an empty element is undef
    meta = fms.get_service_meta_info("giao-thong")
    assert meta["service_code"] == "giao-thong"
    codes = [a["code"] for a in meta["attributes"]]  # GroupTags: a plain list
    assert codes == ["id_number", "consent", "title", "allow_publish"]
    consent = meta["attributes"][1]
    assert consent["values"] == [{"key": "true", "name": "Đồng ý"}]
    assert consent["required"] == "true"


def test_fixmystreet_files_follows_and_syncs_a_report(
    fms: FixMyStreet, service: Any, admin_user: Any
) -> None:
    meta = fms.get_service_meta_info("giao-thong")
    code = fms.send_service_request(problem_params(meta))
    assert isinstance(code, str) and code.startswith("PA-")
    report = Report.objects.get(code=code)
    assert report.latitude is not None and report.email == "binh@example.vn"
    assert report.full_name == "Trần Thị Bình"

    # The token path gives the same id.
    token = report.partner_submission.token
    assert fms.get_service_request_id_from_token(token) == code

    # Following: the request's status by its id.
    (found,) = fms.get_service_requests([code])["request"]
    assert found["service_request_id"] == code
    assert found["status"] == "open"
    assert found["lat"] is None  # not public yet: nothing but the status

    # An official accepts, works on and answers it; the answer is published.
    Report.objects.filter(pk=report.pk).update(allow_publish=True)
    report.refresh_from_db()
    start = timezone.now() - timedelta(minutes=5)
    report.transition(Status.ACCEPTED, by=admin_user)
    report.transition(Status.IN_PROGRESS, by=admin_user, agency=AgencyFactory())
    # While it is worked on, the citizen adds an update on FixMyStreet.
    sent = fms.post_service_request_update(
        {
            "updated_datetime": w3cdtf(timezone.now()),
            "service_request_id": code,
            "status": "OPEN",
            "description": "Ổ gà đã to hơn sau trận mưa tối qua.",
            "last_name": "Trần Thị",
            "first_name": "Bình",
            "email": "binh@example.vn",
            "update_id": "9001",
        }
    )
    update = ReporterUpdate.objects.get(report=report)
    assert sent == f"reporter-{update.pk}"
    assert update.text == "Ổ gà đã to hơn sau trận mưa tối qua."

    report.transition(Status.RESOLVED, by=admin_user, note="Đã vá ổ gà.")
    report.refresh_from_db()
    set_published(report=report, publish=True, by=admin_user)
    # W3CDTF drops the fraction of a second: the window ends at the next second.
    end = timezone.now() + timedelta(seconds=1)
    updates = fms.get_service_request_updates(start, end)
    assert [u["status"] for u in updates] == ["open", "open", "closed", "closed"]
    assert all(u["service_request_id"] == code for u in updates)
    assert updates[-1]["description"] == "Đã vá ổ gà."
    assert updates[0]["description"] is None and updates[0]["media_url"] is None
    for update in updates:
        # UpdatesBase.check_date parses it with DateTime::Format::W3CDTF.
        parsed = datetime.fromisoformat(update["updated_datetime"])
        assert parsed.tzinfo is not None

    # Once answered, the report takes no more updates: FixMyStreet reads the
    # refusal as an error (0) and nothing is stored.
    late = {
        "service_request_id": code,
        "description": "Cảm ơn, đường đã đi lại được.",
        "update_id": "9002",
    }
    assert fms.post_service_request_update(late) == 0
    assert ReporterUpdate.objects.filter(report=report).count() == 1


def test_fixmystreet_reads_the_errors(fms: FixMyStreet, service: Any) -> None:
    params = problem_params(fms.get_service_meta_info("giao-thong"))
    del params["lat"], params["long"]
    params["attribute[id_number]"] = "123"
    response = fms.client.post(
        BASE + "requests.xml", {**params, "api_key": fms.api_key}
    )
    assert response.status_code == 400
    message = fms.process_error(response.content)
    lines = message.splitlines()
    assert len(lines) == 2  # both problems at once, one error element each
    assert all(line.startswith("400: ") for line in lines)
    assert fms.send_service_request(params) == 0
    assert not Report.objects.exists()
    # A single error is still a list (ForceArray "error").
    bad_key = FixMyStreet(fms.client, "pa311_sai")
    response = bad_key.client.post(BASE + "requests.xml", {"api_key": "pa311_sai"})
    assert fms.process_error(response.content).startswith("403: ")


def test_fixmystreet_gets_no_updates_as_an_empty_answer(
    fms: FixMyStreet, service: Any
) -> None:
    now = timezone.now()
    assert fms.get_service_request_updates(now - timedelta(hours=1), now) is None
