"""manage.py create_partner: the key alone on the last line, stored hashed."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from open311.models import Partner


@pytest.mark.django_db
def test_create_partner_prints_a_working_key(client: Client) -> None:
    out = io.StringIO()
    call_command("create_partner", "Zalo mini-app", "--channel", "zalo", stdout=out)
    key = out.getvalue().splitlines()[-1]
    partner = Partner.objects.get(name="Zalo mini-app")
    assert partner.channel == "zalo"
    assert Partner.objects.by_key(key) == partner
    assert key not in (partner.key_hash or "")
    response = client.get("/open311/v2/servicerequestupdates.json", {"api_key": key})
    assert response.status_code == 200


@pytest.mark.django_db
def test_create_partner_refuses_a_taken_name() -> None:
    call_command("create_partner", "Bot", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("create_partner", "Bot", stdout=io.StringIO())
    assert Partner.objects.count() == 1
