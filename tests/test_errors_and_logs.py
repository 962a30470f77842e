from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.test import Client

from portal.lib.logs import JsonFormatter, PersonalDataFilter, RequestIdFilter, mask

pytestmark = pytest.mark.django_db


def test_404_is_vietnamese_in_the_layout_with_a_request_id(client: Client) -> None:
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Không tìm thấy trang" in content
    assert "Trang chủ" in content  # the site menu is there
    assert response["X-Request-ID"] in content


def test_incoming_request_id_is_kept_when_well_formed(client: Client) -> None:
    good = client.get("/healthz", headers={"x-request-id": "lb-1234abcd"})
    assert good["X-Request-ID"] == "lb-1234abcd"
    bad = client.get("/healthz", headers={"x-request-id": "<script>"})
    assert bad["X-Request-ID"] != "<script>"
    assert len(bad["X-Request-ID"]) == 32


def test_csrf_failure_page_is_vietnamese() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/dang-nhap/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.content.decode()


def test_oversized_body_gets_413_before_it_is_read(client: Client) -> None:
    response = client.generic(
        "POST",
        "/dang-nhap/",
        b"x" * 100,
        content_type="application/octet-stream",
        CONTENT_LENGTH=str(30 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "quá lớn" in response.content.decode()


@pytest.mark.urls("tests.error_urls")
def test_500_page_shows_no_trace_and_the_id_is_logged(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    client.raise_request_exception = False
    caplog.handler.addFilter(RequestIdFilter())
    caplog.handler.addFilter(PersonalDataFilter())
    with caplog.at_level(logging.ERROR):
        response = client.get("/test-crash/")
    assert response.status_code == 500
    content = response.content.decode()
    assert "Lỗi hệ thống" in content
    assert "RuntimeError" not in content and "Traceback" not in content
    assert response["X-Request-ID"] in content
    logged = [r for r in caplog.records if r.name == "django.request"]
    assert logged[0].request_id == response["X-Request-ID"]  # type: ignore[attr-defined]
    assert "0912345678" not in caplog.text and "an@example.vn" not in caplog.text


@pytest.mark.parametrize(
    ("raw", "leak"),
    [
        ("phone 0912345678 called", "0912345678"),
        ("phone +84 912 345 678 called", "912 345 678"),
        ("cccd=058090001234", "058090001234"),
        ("cmnd 123456789 here", "123456789"),
        ("mail An.Nguyen@Example.vn", "An.Nguyen@Example.vn"),
        ("password=Bi-mat-2026&x=1", "Bi-mat-2026"),
        ('{"password1": "Bi-mat-2026"}', "Bi-mat-2026"),
    ],
)
def test_mask_removes_personal_data(raw: str, leak: str) -> None:
    assert leak not in mask(raw)


def test_log_record_is_masked_and_json_formatted() -> None:
    record = logging.LogRecord(
        "portal",
        logging.WARNING,
        __file__,
        1,
        "report from %s (%s)",
        ("an@example.vn", "0987654321"),
        None,
    )
    for log_filter in (RequestIdFilter(), PersonalDataFilter()):
        log_filter.filter(record)
    line = JsonFormatter().format(record)
    entry: dict[str, Any] = json.loads(line)
    assert entry["level"] == "WARNING"
    assert "an@example.vn" not in line and "0987654321" not in line
    assert entry["message"] == "report from [email] ([phone])"
