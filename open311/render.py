"""Open311 answers as JSON or XML, from the same plain Python values.

The two formats follow the specification's JSON/XML conversion rules: the XML root
element is dropped in JSON, a list becomes repeated child elements named by
CHILD_TAGS (``services`` -> ``service`` ...), and an absent value is ``null`` in
JSON and an empty element in XML. XML is built with ElementTree, so text is always
escaped, and starts with the UTF-8 declaration the specification asks for.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

CHILD_TAGS = {
    "services": "service",
    "service_requests": "request",
    "service_request_updates": "request_update",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}
CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "xml": "text/xml; charset=utf-8",
}
FORMATS = tuple(CONTENT_TYPES)
DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def fmt_of(raw: str | None) -> str:
    """The answer format for an extension; XML, the required one, by default."""
    value = (raw or "").lower()
    return value if value in CONTENT_TYPES else "xml"


def iso(value: datetime | None) -> str | None:
    """ISO 8601 with the province's UTC offset, e.g. 2026-11-28T21:05:00+07:00."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(ET.SubElement(element, key), item)
    elif isinstance(value, list):
        tag = CHILD_TAGS.get(element.tag, "item")
        for item in value:
            _fill(ET.SubElement(element, tag), item)
    else:
        element.text = _text(value)


def to_xml(root: str, value: Any) -> bytes:
    element = ET.Element(root)
    _fill(element, value)
    # The declaration with double quotes, word for word as the specification
    # writes it (ElementTree's own uses single quotes).
    return DECLARATION + ET.tostring(element, encoding="unicode").encode()


def body_of(fmt: str, root: str, value: Any) -> bytes:
    """``value`` as JSON, or as XML under the element ``root``."""
    if fmt == "xml":
        return to_xml(root, value)
    return json.dumps(value, ensure_ascii=False).encode()


def respond_body(fmt: str, body: bytes, status: int = 200) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])
    response["Access-Control-Allow-Origin"] = "*"
    return response


def compressed(body: bytes) -> bytes:
    """``body`` gzipped once, to be kept beside it and sent as it is."""
    return compress_string(body)


def accepts_gzip(request: HttpRequest) -> bool:
    return bool(re_accepts_gzip.search(request.headers.get("Accept-Encoding", "")))


def respond_shared(fmt: str, body: bytes, *, gzipped: bool) -> HttpResponse:
    """A shared answer, ``body`` gzipped already if ``gzipped`` (see
    ``compressed``).

    The public list is the same for every caller and holds no secret, so the
    random bytes that TextGZipMiddleware adds against BREACH are not needed and
    it is compressed once per cache period instead of once per request (the
    middleware leaves an answer with a Content-Encoding alone).
    """
    response = respond_body(fmt, body)
    if gzipped:
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def respond(fmt: str, root: str, value: Any, status: int = 200) -> HttpResponse:
    """``value`` as JSON, or as XML under the element ``root``."""
    return respond_body(fmt, body_of(fmt, root, value), status)


def errors(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    """The standard's error list: one code/description pair per problem."""
    items = [{"code": status, "description": str(text)} for text in descriptions]
    return respond(fmt, "errors", items, status=status)
