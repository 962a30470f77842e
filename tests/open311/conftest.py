"""The cast of the Open311 tests: a service, a partner, a commune, a request."""

from __future__ import annotations

from typing import Any

import pytest

from open311.models import Partner
from places.models import AdministrativeUnit
from tests.factories import CategoryFactory, PartnerFactory


@pytest.fixture
def service(db: None) -> Any:
    """The "giao-thong" service: an active report category."""
    return CategoryFactory(name="Giao thông", slug="giao-thong")


@pytest.fixture
def app_partner(db: None) -> Partner:
    """A partner app with a valid key (``raw_key``), 100 requests an hour."""
    return PartnerFactory()


@pytest.fixture
def commune(db: None) -> AdministrativeUnit:
    """Phường Đô Vinh, the commune code a partner sends as address_id."""
    unit, _created = AdministrativeUnit.objects.get_or_create(
        code="22738",
        defaults={
            "name": "Phường Đô Vinh",
            "type": "phường",
            "short_codename": "do_vinh",
            "province_code": "56",
            "province_name": "Tỉnh Khánh Hòa",
        },
    )
    return unit


@pytest.fixture
def minimal_request(service: Any, app_partner: Partner) -> dict[str, str]:
    """The least a partner may send: service, location, the two required
    attributes of the service definition, and its key."""
    return {
        "api_key": app_partner.raw_key,
        "service_code": "giao-thong",
        "lat": "11.567891",
        "long": "108.988765",
        "attribute[id_number]": "058190004321",
        "attribute[consent]": "true",
    }
