"""One limit on tracking-code look-ups: web and Open311, single and batch."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from portal.lib.codes import ALPHABET
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def _guesses(n: int, prefix: str = "Q") -> list[str]:
    return [
        f"PA-{prefix}{ALPHABET[i // 32 % 32]}{ALPHABET[i % 32]}Z-XXXX" for i in range(n)
    ]


def _batch(client: Client, codes: list[str], **extra: Any) -> Any:
    return client.get(
        "/open311/v2/requests.json", {"service_request_id": ",".join(codes)}, **extra
    )


def test_the_reported_attack_a_150_code_batch_is_refused(client: Client) -> None:
    planted = ReportFactory(title="Phản ánh chưa công khai")
    response = _batch(client, [*_guesses(149), planted.code])
    assert response.status_code == 400
    assert planted.code not in response.content.decode()


def test_a_batch_of_n_codes_counts_as_n_look_ups(client: Client, settings: Any) -> None:
    settings.CODE_MISS_LIMIT = 30
    planted = ReportFactory(title="Phản ánh chưa công khai")
    assert _batch(client, _guesses(20, "A")).status_code == 200
    refused = _batch(client, [*_guesses(19, "B"), planted.code])
    assert refused.status_code == 429
    assert planted.code not in refused.content.decode()
    # The web look-up shares the same limit (10 left, and they are spent).
    for code in _guesses(10, "C"):
        assert client.get("/tra-cuu/", {"code": code}).status_code == 200
    assert client.get(f"/phan-anh/{planted.code}/").status_code == 429


def test_open311_single_request_misses_are_counted(
    client: Client, settings: Any
) -> None:
    settings.CODE_MISS_LIMIT = 3
    report = ReportFactory()
    statuses = [
        client.get(f"/open311/v2/requests/{code}.json").status_code
        for code in _guesses(3)
    ]
    assert statuses == [404, 404, 404]
    blocked = client.get(f"/open311/v2/requests/{report.code}.json")
    assert blocked.status_code == 429
    assert report.code not in blocked.content.decode()
    assert client.get("/tra-cuu/", {"code": report.code}).status_code == 429


def test_hits_in_a_batch_are_not_misses(client: Client, settings: Any) -> None:
    settings.CODE_MISS_LIMIT = 5
    codes = [ReportFactory().code for _ in range(3)]
    for _ in range(10):
        response = _batch(client, codes)
        assert response.status_code == 200
        assert len(response.json()) == 3


def test_an_address_over_the_limit_still_opens_the_codes_it_knows(
    client: Client, citizen: Any, settings: Any
) -> None:
    """Carrier NAT: one busy address, many citizens, each with their own codes."""
    settings.CODE_MISS_LIMIT = 3
    mine = ReportFactory()
    own = ReportFactory(reporter=citizen)
    other = ReportFactory()
    assert client.get("/tra-cuu/", {"code": mine.code}).status_code == 302
    for code in _guesses(3):
        client.get(f"/phan-anh/{code}/")  # someone else on the same address guesses
    assert client.get(f"/phan-anh/{mine.code}/").status_code == 200
    assert client.get(f"/phan-anh/{other.code}/").status_code == 429
    reporter = Client()
    reporter.force_login(citizen)
    assert reporter.get(f"/phan-anh/{own.code}/").status_code == 200
    assert reporter.get(f"/phan-anh/{other.code}/").status_code == 429
    # Another address is not affected at all.
    away = client.get(f"/phan-anh/{other.code}/", REMOTE_ADDR="10.9.9.9")
    assert away.status_code == 200
