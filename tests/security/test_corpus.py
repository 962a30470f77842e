"""Every case of the hostile corpus: an answer below 500 and nothing half-saved."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import User
from feedback.models import (
    Attachment,
    HeldUpload,
    Rating,
    Report,
    Status,
    StatusChange,
)
from tests.factories import ReportFactory
from tests.security.corpus import CASES, Case

pytestmark = pytest.mark.django_db

PERSONAL = ("full_name", "id_number", "address", "email", "phone")


def _held_names() -> set[str]:
    """Files a refused report form keeps for its session (feedback/held.py)."""
    names = set()
    for row in HeldUpload.objects.all():
        names |= {str(f.name) for f in (row.file, row.thumbnail) if f}
    return names


def _state(citizen: Any | None, media: Path) -> dict[str, Any]:
    if citizen is not None:
        citizen.refresh_from_db()
    held = _held_names()
    # A form shown again with errors keeps the files that passed their checks,
    # each with its row in the holding area, within the per-report limits; the
    # holding area expires on its own. Anything else written is half-saved.
    assert HeldUpload.objects.count() <= settings.REPORT_MAX_FILES
    return {
        "users": User.objects.count(),
        "reports": Report.objects.count(),
        "attachments": Attachment.objects.count(),
        "changes": StatusChange.objects.count(),
        "ratings": Rating.objects.count(),
        "files": sorted(
            str(p)
            for p in media.rglob("*")
            if p.is_file() and p.relative_to(media).as_posix() not in held
        ),
        "citizen": [getattr(citizen, name, None) for name in PERSONAL],
    }


def _send(client: Client, case: Case, code: str) -> Any:
    path = case.path.format(code=code)
    if case.raw is not None:
        return client.generic(
            case.method,
            path,
            case.raw,
            content_type=case.content_type or "application/octet-stream",
            **case.extra_headers,
        )
    if case.method == "GET":
        return client.get(path, **case.extra_headers)
    if case.method == "POST":
        data: dict[str, Any] = dict(case.data)
        if case.files:
            data["attachments"] = [
                SimpleUploadedFile(name, content, "application/octet-stream")
                for _field, name, content in case.files
            ]
        return client.post(path, data, **case.extra_headers)
    return client.generic(
        case.method,
        path,
        urlencode(case.data),
        content_type="application/x-www-form-urlencoded",
    )


@pytest.fixture
def published_code(db: None) -> str:
    report = ReportFactory(status=Status.RESOLVED, email="nguoi.gui@example.vn")
    Report.objects.filter(pk=report.pk).update(is_published=True)
    return str(report.code)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_input_gets_a_clear_answer_and_saves_nothing_half(
    case: Case,
    media: Path,
    captcha_pass: dict[str, str],
    request: pytest.FixtureRequest,
) -> None:
    # Built only for the cases that use them: the corpus is large.
    citizen = request.getfixturevalue("citizen") if case.login else None
    needs_code = "{code}" in case.path or case.path.startswith("/phan-anh/")
    published_code = request.getfixturevalue("published_code") if needs_code else ""
    client = Client(enforce_csrf_checks=case.csrf_checks)
    if citizen is not None:
        client.force_login(citizen)
    before = _state(citizen, media)

    response = _send(client, case, published_code)

    assert response.status_code < 500, response.content[:500]
    after = _state(citizen, media)
    succeeded = response.status_code in (301, 302, 303)
    if case.must_refuse or not succeeded:
        assert after == before, f"{case.id} changed data with {response.status_code}"
    else:
        # A success stores one whole thing: at most one new report, with its files
        # named by the portal inside MEDIA_ROOT/reports and present on disk.
        assert after["reports"] - before["reports"] <= 1
        for attachment in Attachment.objects.all():
            name = str(attachment.file.name)
            assert name.startswith("reports/") and ".." not in name, name
            assert (media / name).is_file()
        stored = {Path(p).relative_to(media).parts[0] for p in after["files"]}
        assert stored <= {"reports"}


def test_corpus_is_large_and_covers_every_public_form_and_url() -> None:
    paths = {case.path.split("?")[0] for case in CASES}
    for expected in [
        "/dang-ky/",
        "/dang-nhap/",
        "/quen-mat-khau/",
        "/dang-ky/gui-lai/",
        "/tai-khoan/",
        "/gui-phan-anh/",
        "/tra-cuu/",
        "/phan-anh/",
        "/phan-anh/{code}/danh-gia/",
        "/thong-ke/",
        "/thong-ke.json",
        "/thong-bao/",
        "/ngon-ngu/",
        "/ngon-ngu/en/",
        "/captcha/refresh/",
    ]:
        assert expected in paths, expected
    assert len(CASES) >= 800
