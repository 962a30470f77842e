"""The partners' guide at /open311/ and what officials see of partner input."""

from __future__ import annotations

from typing import Any

from django.test import Client

from open311.models import ExternalMedia
from tests.factories import ReportFactory


def test_guide_shows_a_session_against_this_host(client: Client, service: Any) -> None:
    response = client.get("/open311/")
    assert response.status_code == 200
    text = response.content.decode()
    for step in (
        "http://testserver/open311/v2/discovery.json",
        "http://testserver/open311/v2/services/giao-thong.xml",
        "-F media=@anh.jpg",
        "http://testserver/open311/v2/tokens/",
        "servicerequestupdates.xml?api_key=",
    ):
        assert step in text, step
    # What the portal requires beyond the specification, and why.
    assert "attribute[id_number]" in text and "91/2025/QH15" in text
    assert "jurisdiction_id" in text


def test_external_photo_link_is_shown_to_officials_not_fetched(
    admin_client: Client, db: None
) -> None:
    report = ReportFactory(allow_publish=False)
    link = ExternalMedia.objects.create(
        report=report, url="https://photos.example.org/p/1.jpg"
    )
    response = admin_client.get(f"/admin/open311/externalmedia/{link.pk}/change/")
    assert response.status_code == 200
    assert (
        '<a href="https://photos.example.org/p/1.jpg" target="_blank" '
        'rel="noopener noreferrer nofollow">'
    ) in response.content.decode()
