"""Photos: the reporter sees their own, officials mark checked ones public, the
public sees those and the answer's files, with fitting cache headers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from feedback.models import Attachment, Report, ReportEvent, Status
from tests.factories import ReportFactory
from tests.feedback import files

pytestmark = pytest.mark.django_db


def photo(report: Report, kind: str = "citizen", **kwargs: Any) -> Attachment:
    attachment = Attachment(
        report=report,
        kind=kind,
        original_name="CCCD_Nguyen_Van_A.jpg",
        content_type="image/jpeg",
        size=10,
        sha256="0" * 64,
        **kwargs,
    )
    body = files.image_bytes()
    attachment.file.save("x.jpg", ContentFile(body), save=False)
    attachment.thumbnail.save("x.webp", ContentFile(body), save=False)
    attachment.save()
    return attachment


def url(report: Report, attachment: Attachment, thumb: bool = False) -> str:
    base = f"/phan-anh/{report.code}/tep/{attachment.pk}/"
    return base + ("anh-nho/" if thumb else "")


def public_report(agency: Any) -> Report:
    return ReportFactory(status=Status.IN_PROGRESS, agency=agency, allow_publish=True)


def test_private_photo_is_not_on_the_public_page_nor_served(
    client: Client, agency_a: Any, media: Path
) -> None:
    report = public_report(agency_a)
    attachment = photo(report)
    page = client.get(f"/phan-anh/{report.code}/")
    assert page.context["attachments"] == []
    assert url(report, attachment) not in page.content.decode()
    assert client.get(url(report, attachment)).status_code == 404
    assert client.get(url(report, attachment, thumb=True)).status_code == 404


def test_official_marks_photo_public_with_alt_text_then_public_sees_it(
    client: Client, agency_a: Any, official_a: Any, media: Path
) -> None:
    report = public_report(agency_a)
    attachment = photo(report)
    client.force_login(official_a)
    admin_url = f"/admin/feedback/report/{report.pk}/anh/{attachment.pk}/cong-khai/"
    response = client.post(admin_url, {"public": "1", "alt_text": ""})
    attachment.refresh_from_db()
    assert not attachment.is_public  # a description is needed first
    response = client.post(
        admin_url, {"public": "1", "alt_text": "Ổ gà sâu giữa làn xe máy"}
    )
    assert response.status_code == 302
    attachment.refresh_from_db()
    assert attachment.is_public and attachment.alt_text == "Ổ gà sâu giữa làn xe máy"
    assert ReportEvent.objects.filter(
        report=report, kind="photo_public", actor=official_a
    ).exists()
    public = Client()
    page = public.get(f"/phan-anh/{report.code}/").content.decode()
    assert 'alt="Ổ gà sâu giữa làn xe máy"' in page
    assert "CCCD_Nguyen_Van_A" not in page  # the file name may hold personal data
    response = public.get(url(report, attachment, thumb=True))
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=3600"
    # The official takes it back off the public page.
    client.post(admin_url, {"public": "0"})
    assert public.get(url(report, attachment)).status_code == 404


def test_photo_made_public_by_someone_not_allowed_is_refused(
    client: Client,
    agency_a: Any,
    official_b: Any,
    editor: Any,
    citizen: Any,
    media: Path,
) -> None:
    from feedback.officials_conversation import NotAllowed, set_photo_public

    report = public_report(agency_a)
    attachment = photo(report)
    admin_url = f"/admin/feedback/report/{report.pk}/anh/{attachment.pk}/cong-khai/"
    for user in (official_b, editor, citizen):
        client.force_login(user)
        response = client.post(admin_url, {"public": "1", "alt_text": "Ảnh"})
        assert response.status_code in (302, 403, 404)
        with pytest.raises(NotAllowed):
            set_photo_public(
                attachment=attachment, public=True, by=user, alt_text="Ảnh"
            )
    attachment.refresh_from_db()
    assert not attachment.is_public
    assert not ReportEvent.objects.filter(kind="photo_public").exists()


def test_public_photo_of_a_report_without_consent_stays_private(
    client: Client, agency_a: Any, media: Path
) -> None:
    report = ReportFactory(
        status=Status.IN_PROGRESS, agency=agency_a, allow_publish=False
    )
    attachment = photo(report, is_public=True, alt_text="Ảnh")
    assert client.get(url(report, attachment)).status_code == 404
    assert client.get(f"/phan-anh/{report.code}/").context["attachments"] == []


def test_published_answer_photo_is_public_private_ones_no_store(
    client: Client, agency_a: Any, media: Path
) -> None:
    report = ReportFactory(status=Status.RESOLVED, agency=agency_a, allow_publish=True)
    answer = photo(report, kind="answer")
    assert client.get(url(report, answer)).status_code == 404
    Report.objects.filter(pk=report.pk).update(is_published=True)
    response = client.get(url(report, answer))
    assert response.status_code == 200 and response["Cache-Control"].startswith(
        "public"
    )
    page = client.get(f"/phan-anh/{report.code}/")
    assert [f.pk for f in page.context["answer_files"]] == [answer.pk]


def test_anonymous_filer_sees_own_photos_in_the_filing_session(
    client: Client, report_form: dict[str, str], media: Path
) -> None:
    response = client.post(
        "/gui-phan-anh/", {**report_form, "attachments": [files.jpeg("o-ga.jpg")]}
    )
    assert response.status_code == 302
    report = Report.objects.get()
    attachment = report.attachments.get()
    page = client.get(f"/phan-anh/{report.code}/")
    assert [f.pk for f in page.context["attachments"]] == [attachment.pk]
    response = client.get(url(report, attachment))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    # Another browser with the code only sees nothing.
    assert Client().get(url(report, attachment)).status_code == 404


def test_code_and_email_proof_shows_own_photos(client: Client, media: Path) -> None:
    report = ReportFactory(email="an@example.vn", allow_publish=False)
    attachment = photo(report)
    assert client.get(url(report, attachment)).status_code == 404
    client.post(f"/phan-anh/{report.code}/xac-nhan/", {"email": "an@example.vn"})
    assert client.get(url(report, attachment)).status_code == 200
    page = client.get(f"/phan-anh/{report.code}/")
    assert [f.pk for f in page.context["attachments"]] == [attachment.pk]
