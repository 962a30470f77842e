"""Random multipart bodies against the report form: no 5xx, nothing left behind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedback.models import Attachment, HeldUpload, Report, StatusChange
from tests.security.corpus import PDF, REPORT

pytestmark = pytest.mark.django_db

FIELDS = [*REPORT, "attachments", "category", "allow_publish", "csrfmiddlewaretoken"]
BOUNDARY = b"fuzzBOUNDARYx9"

values = st.one_of(
    st.text(max_size=300),
    st.binary(max_size=300),
    st.sampled_from(["", "\x00", "on", "PASSED", "058190004321", "0912345678"]),
)
file_bodies = st.one_of(
    st.binary(max_size=2000),
    st.just(PDF),
    st.binary(max_size=200).map(lambda tail: b"\x89PNG\r\n\x1a\n" + tail),
    st.binary(max_size=200).map(lambda tail: b"\xff\xd8\xff\xe0" + tail),
)
file_names = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["a.pdf", "../../x.pdf", "CON", "anh.jpg", "x.png", ""]),
)
parts = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(FIELDS), values, st.none(), st.none()),
        st.tuples(st.just("attachments"), st.none(), file_names, file_bodies),
        st.tuples(st.text(max_size=20), values, st.none(), st.none()),
    ),
    max_size=25,
)


def _bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8", "replace")


def _body(items: list[Any], base: bool, truncate: int | None) -> bytes:
    chunks = []
    pairs = [(k, v, None, None) for k, v in REPORT.items()] if base else []
    for name, value, file_name, content in pairs + items:
        disposition = b'form-data; name="' + _bytes(name) + b'"'
        if file_name is not None:
            disposition += b'; filename="' + _bytes(file_name) + b'"'
            value = content
        chunks.append(
            b"--"
            + BOUNDARY
            + b"\r\nContent-Disposition: "
            + disposition
            + b"\r\n\r\n"
            + _bytes(value)
            + b"\r\n"
        )
    body = b"".join(chunks) + b"--" + BOUNDARY + b"--\r\n"
    return body[:truncate] if truncate is not None else body


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    items=parts,
    base=st.booleans(),
    truncate=st.one_of(st.none(), st.integers(min_value=0, max_value=3000)),
)
def test_random_multipart_bodies_never_fail_and_leave_nothing_behind(
    client: Client,
    media: Path,
    captcha_pass: dict[str, str],
    items: list[Any],
    base: bool,
    truncate: int | None,
) -> None:
    before = (Report.objects.count(), Attachment.objects.count())
    files_before = {p for p in media.rglob("*") if p.is_file()}
    response = client.generic(
        "POST",
        "/gui-phan-anh/",
        _body(items, base, truncate),
        content_type="multipart/form-data; boundary=" + BOUNDARY.decode(),
    )
    assert response.status_code < 500
    files_after = {p for p in media.rglob("*") if p.is_file()}
    if response.status_code == 302:
        # A body that happens to be valid is one whole report with its files.
        report = Report.objects.latest("pk")
        assert StatusChange.objects.filter(report=report).count() == 1
        for attachment in report.attachments.all():
            assert (media / str(attachment.file.name)).is_file()
        Report.objects.filter(pk=report.pk).delete()
        for path in files_after - files_before:
            path.unlink()
    else:
        assert (Report.objects.count(), Attachment.objects.count()) == before
        # A form shown again may hold the files that passed their checks, each
        # with its row in the session's holding area (feedback/held.py).
        held = {
            media / str(f.name)
            for row in HeldUpload.objects.all()
            for f in (row.file, row.thumbnail)
            if f
        }
        assert files_after - held == files_before - held
        assert HeldUpload.objects.count() <= django_settings.REPORT_MAX_FILES
