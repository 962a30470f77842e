"""Pages and API answers are gzipped for browsers that accept it; photos and
static files are not compressed again."""

from __future__ import annotations

import gzip
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from feedback.models import Attachment, Status
from tests.factories import CategoryFactory, ReportFactory
from tests.feedback import files

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.mark.parametrize("url", ["/", "/gui-phan-anh/", "/open311/v2/services.json"])
def test_text_answers_are_gzipped_when_accepted(client: Client, url: str) -> None:
    CategoryFactory.create_batch(3)  # services.json long enough to be worth it
    plain = client.get(url)
    assert plain.status_code == 200
    assert not plain.has_header("Content-Encoding")
    packed = client.get(url, **GZIP)
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    body = gzip.decompress(packed.content)
    assert len(packed.content) < len(body)
    if url == "/open311/v2/services.json":
        assert body == plain.content
    else:  # a page: the same page (its CSRF token and nonce differ per request)
        assert body.lower().startswith(b"<!doctype html>") and b"</html>" in body


def test_a_photo_is_sent_as_it_is_stored(client: Client, media: Any) -> None:
    report = ReportFactory(status=Status.ACCEPTED, allow_publish=True)
    body = files.image_bytes()
    photo = Attachment(
        report=report,
        kind=Attachment.Kind.CITIZEN,
        original_name="anh.jpg",
        content_type="image/jpeg",
        size=len(body),
        sha256="0" * 64,
        is_public=True,
        alt_text="Ổ gà",
    )
    photo.file.save("x.jpg", ContentFile(body), save=False)
    photo.save()
    response = client.get(f"/phan-anh/{report.code}/tep/{photo.pk}/", **GZIP)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert b"".join(response.streaming_content) == body
