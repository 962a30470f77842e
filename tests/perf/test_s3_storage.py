"""Attachments on S3-compatible storage: moto's S3 server stands in for the bucket.

The upload path (image cleaned, thumbnail made) and the download view only use
Django's storage API, so with the S3 backend the files land in the bucket, nothing
in MEDIA_ROOT, and downloads still go through the permission check.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from feedback.models import Attachment, Report
from tests.feedback import files

pytestmark = pytest.mark.server

BUCKET = "phan-anh-test"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = _free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1",
         "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.1)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def s3(
    s3_endpoint: str, settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Any:
    """The S3 backend on, pointed at a fresh bucket; returns a boto3 client."""
    import boto3

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    bucket = client.list_buckets()["Buckets"]
    if not any(b["Name"] == BUCKET for b in bucket):
        client.create_bucket(Bucket=BUCKET)
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    settings.MEDIA_ROOT = tmp_path / "media"  # must stay empty
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "default_acl": None,
                "file_overwrite": False,
            },
        },
    }
    return client


@pytest.mark.django_db
def test_upload_lands_in_the_bucket_and_downloads_keep_their_permissions(
    s3: Any,
    settings: Any,
    client: Client,
    citizen: Any,
    report_form: dict[str, str],
) -> None:
    client.force_login(citizen)
    pdf = files.upload("bien-ban.pdf", b"%PDF-1.4\n1 0 obj\n%%EOF\n", "application/pdf")
    response = client.post(
        "/gui-phan-anh/", {**report_form, "attachments": [files.jpeg("a.jpg"), pdf]}
    )
    assert response.status_code == 302
    report = Report.objects.get()
    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
    image = Attachment.objects.get(report=report, content_type="image/jpeg")
    document = Attachment.objects.get(report=report, content_type="application/pdf")
    # The photo, its thumbnail and the PDF: all in the bucket, none on disk.
    assert keys == {image.file.name, image.thumbnail.name, document.file.name}
    assert not Path(settings.MEDIA_ROOT).exists()

    stored = s3.get_object(Bucket=BUCKET, Key=document.file.name)["Body"].read()
    url = f"/phan-anh/{report.code}/tep/{document.pk}/"
    mine = client.get(url)
    assert mine.status_code == 200
    assert b"".join(mine.streaming_content) == stored
    thumb = client.get(f"/phan-anh/{report.code}/tep/{image.pk}/anh-nho/")
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/webp"
    # Anyone else, with the code and the URL, still gets nothing.
    assert Client().get(url).status_code == 404
