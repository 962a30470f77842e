"""Reading Open311 answers in tests, and the cast the Open311 tests share."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

BASE = "/open311/v2/"
FORMATS = ["xml", "json"]
# What a partner's citizen types, so that tests can check none of it leaks.
PERSONAL = ["Trần Thị Bình", "058190004321", "binh@example.vn", "0987654321"]
REQUEST_FIELDS = [
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
]


def xml_of(response: Any) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    # The specification: the root element is preceded by the UTF-8 declaration.
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(response.content)  # noqa: S314 - our own response


def json_of(response: Any) -> Any:
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def errors_of(response: Any, fmt: str) -> list[tuple[int, str]]:
    """The (code, description) pairs of an Open311 error answer."""
    if fmt == "json":
        items = json_of(response)
        assert isinstance(items, list)
        return [(item["code"], item["description"]) for item in items]
    root = xml_of(response)
    assert root.tag == "errors"
    assert [child.tag for child in root] == ["error"] * len(root)
    return [
        (int(e.findtext("code") or 0), e.findtext("description") or "") for e in root
    ]


def requests_of(response: Any, fmt: str) -> list[dict[str, Any]]:
    """The <request> items of a service_requests answer, as dicts of text."""
    if fmt == "json":
        items = json_of(response)
        assert isinstance(items, list)
        return list(items)
    root = xml_of(response)
    assert root.tag == "service_requests"
    return [{c.tag: c.text for c in element} for element in root.findall("request")]
