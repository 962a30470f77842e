from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from feedback.models import Attachment, Rating, Report, Status
from tests.factories import ReportFactory
from tests.feedback import files


def add_attachment(
    report: Report, name: str = "anh.jpg", image: bool = True
) -> Attachment:
    attachment = Attachment(
        report=report,
        original_name=name,
        content_type="image/jpeg" if image else "application/pdf",
        size=10,
        sha256="0" * 64,
    )
    body = files.image_bytes() if image else b"%PDF-1.4 test"
    attachment.file.save("x.jpg" if image else "x.pdf", ContentFile(body), save=False)
    if image:
        attachment.thumbnail.save("x.webp", ContentFile(body), save=False)
    attachment.save()
    return attachment


# Look-up -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed",
    ["{code}", "{lower}", "{nodash}", " {spaced} ", "{confused}"],
)
def test_lookup_tolerates_case_dashes_spaces_and_confusions(
    client: Client, typed: str
) -> None:
    report = ReportFactory(code="PA-7K3Q-X901")
    body = report.code[3:].replace("-", "")
    variants = {
        "code": report.code,
        "lower": report.code.lower(),
        "nodash": body,
        "spaced": "pa 7k3q x9 01",
        "confused": "PA-7K3Q-X9OI",
    }
    response = client.get("/tra-cuu/", {"code": typed.format(**variants)})
    assert response.status_code == 302
    assert response["Location"] == f"/phan-anh/{report.code}/"


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["PA-AAAA-BBBB", "xyz", "PA-7K3Q-X9!!", ""])
def test_lookup_not_found_or_malformed_says_so_and_nothing_else(
    client: Client, typed: str
) -> None:
    ReportFactory(code="PA-7K3Q-X901")
    response = client.get("/tra-cuu/", {"code": typed})
    assert response.status_code == 200
    html = response.content.decode()
    errors = str(response.context["form"].errors.get("code", ""))
    if typed:
        assert "Không tìm thấy phản ánh" in errors
    else:
        assert errors  # required
    assert "PA-7K3Q-X901" not in html


@pytest.mark.django_db
def test_lookup_form_shows_without_error_at_first(client: Client) -> None:
    response = client.get("/tra-cuu/")
    assert response.status_code == 200
    assert not response.context["form"].is_bound


# Report page ---------------------------------------------------------------


@pytest.mark.django_db
def test_report_page_masks_personal_data_for_anyone_with_the_code(
    client: Client,
) -> None:
    report = ReportFactory(full_name="Trần Thị Bình")
    add_attachment(report)
    response = client.get(f"/phan-anh/{report.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert report.title in html
    assert "Trần T. B." in html
    for secret in ("Trần Thị Bình", "058190004321", "binh@example.vn", "0987654321"):
        assert secret not in html
    assert "/tep/" not in html  # anonymous users see no attachment links
    assert "Chờ tiếp nhận" in html


@pytest.mark.django_db
def test_owner_sees_own_details_and_attachments(
    client: Client, citizen: Any, media: Path
) -> None:
    report = ReportFactory(reporter=citizen, full_name="Trần Thị Bình")
    attachment = add_attachment(report)
    client.force_login(citizen)
    html = client.get(f"/phan-anh/{report.code}/").content.decode()
    assert "Trần Thị Bình" in html
    assert "058190004321" in html
    assert f"/phan-anh/{report.code}/tep/{attachment.pk}/" in html


@pytest.mark.django_db
def test_other_citizen_sees_masked_page(
    client: Client, other_citizen: Any, citizen: Any
) -> None:
    report = ReportFactory(reporter=citizen, full_name="Trần Thị Bình")
    client.force_login(other_citizen)
    html = client.get(f"/phan-anh/{report.code}/").content.decode()
    assert "Trần Thị Bình" not in html and "Trần T. B." in html


@pytest.mark.django_db
def test_report_page_shows_timeline_deadline_and_answer(client: Client) -> None:
    # Without consent to publish, the code holder sees the reporter's own view.
    report = ReportFactory(allow_publish=False)
    report.transition(Status.ACCEPTED, by=None)
    report.transition(Status.IN_PROGRESS, by=None)
    report.transition(Status.RESOLVED, by=None, note="Đã vá xong mặt đường.")
    html = client.get(f"/phan-anh/{report.code}/").content.decode()
    for label in ("Chờ tiếp nhận", "Đã tiếp nhận", "Đang xử lý", "Đã xử lý"):
        assert label in html
    assert "Đã vá xong mặt đường." in html
    assert report.deadline is not None
    assert report.deadline.strftime("%d/%m/%Y") in html


@pytest.mark.django_db
def test_rejected_report_shows_the_reason(client: Client) -> None:
    report = ReportFactory()
    report.transition(Status.REJECTED, by=None, note="Trùng với phản ánh PA-AAAA-BBBB.")
    html = client.get(f"/phan-anh/{report.code}/").content.decode()
    assert "Lý do không tiếp nhận" in html
    assert "Trùng với phản ánh" in html


@pytest.mark.django_db
def test_unknown_or_sloppy_code_in_url(client: Client) -> None:
    report = ReportFactory(code="PA-7K3Q-X901")
    assert client.get("/phan-anh/PA-AAAA-BBBB/").status_code == 404
    assert client.get("/phan-anh/khong-phai-ma/").status_code == 404
    response = client.get("/phan-anh/pa-7k3q-x9o1/")
    assert response.status_code == 301
    assert response["Location"] == f"/phan-anh/{report.code}/"


# Attachments -----------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_cannot_fetch_an_attachment(client: Client, media: Path) -> None:
    attachment = add_attachment(ReportFactory())
    code = attachment.report.code
    assert client.get(f"/phan-anh/{code}/tep/{attachment.pk}/").status_code == 404
    assert (
        client.get(f"/phan-anh/{code}/tep/{attachment.pk}/anh-nho/").status_code == 404
    )


@pytest.mark.django_db
def test_other_citizen_cannot_fetch_an_attachment(
    client: Client, citizen: Any, other_citizen: Any, media: Path
) -> None:
    attachment = add_attachment(ReportFactory(reporter=citizen))
    client.force_login(other_citizen)
    url = f"/phan-anh/{attachment.report.code}/tep/{attachment.pk}/"
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_attachment_of_another_report_is_not_served_under_this_code(
    client: Client, citizen: Any, media: Path
) -> None:
    mine = ReportFactory(reporter=citizen)
    theirs = add_attachment(ReportFactory())
    client.force_login(citizen)
    assert client.get(f"/phan-anh/{mine.code}/tep/{theirs.pk}/").status_code == 404


@pytest.mark.django_db
def test_owner_gets_image_inline_and_pdf_as_download_with_nosniff(
    client: Client, citizen: Any, media: Path
) -> None:
    report = ReportFactory(reporter=citizen)
    image = add_attachment(report, "ảnh.jpg")
    pdf = add_attachment(report, "đơn.pdf", image=False)
    client.force_login(citizen)
    response = client.get(f"/phan-anh/{report.code}/tep/{image.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    response = client.get(f"/phan-anh/{report.code}/tep/{pdf.pk}/")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    thumb = client.get(f"/phan-anh/{report.code}/tep/{image.pk}/anh-nho/")
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/webp"


@pytest.mark.django_db
def test_intake_officer_may_fetch_any_attachment(
    client: Client, intake_officer: Any, media: Path
) -> None:
    attachment = add_attachment(ReportFactory())
    client.force_login(intake_officer)
    url = f"/phan-anh/{attachment.report.code}/tep/{attachment.pk}/"
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_agency_official_may_fetch_only_own_agency_attachments(
    client: Client, official_a: Any, official_b: Any, agency_a: Any, media: Path
) -> None:
    attachment = add_attachment(ReportFactory(agency=agency_a))
    url = f"/phan-anh/{attachment.report.code}/tep/{attachment.pk}/"
    client.force_login(official_b)
    assert client.get(url).status_code == 404
    client.force_login(official_a)
    assert client.get(url).status_code == 200


# Rating ----------------------------------------------------------------------


@pytest.mark.django_db
def test_owner_rates_a_resolved_report_once(client: Client, citizen: Any) -> None:
    report = ReportFactory(published=True, reporter=citizen)
    client.force_login(citizen)
    page = client.get(f"/phan-anh/{report.code}/").content.decode()
    assert "Đánh giá kết quả xử lý" in page
    url = f"/phan-anh/{report.code}/danh-gia/"
    response = client.post(url, {"satisfied": "1", "comment": " Rất nhanh "})
    assert response.status_code == 302
    rating = Rating.objects.get(report=report)
    assert rating.satisfied and rating.comment == "Rất nhanh"
    client.post(url, {"satisfied": "0"})
    assert Rating.objects.get(report=report).satisfied
    assert "Hài lòng" in client.get(f"/phan-anh/{report.code}/").content.decode()


@pytest.mark.django_db
def test_code_holder_rates_with_the_email_used(client: Client) -> None:
    report = ReportFactory(published=True, email="binh@example.vn")
    url = f"/phan-anh/{report.code}/danh-gia/"
    response = client.post(url, {"satisfied": "0", "email": "ai-do@example.vn"})
    assert response.status_code == 200
    assert "Email không khớp" in str(response.context["rating_form"].errors["email"])
    assert not Rating.objects.exists()
    response = client.post(url, {"satisfied": "0", "email": "Binh@Example.vn"})
    assert response.status_code == 302
    assert Rating.objects.get(report=report).satisfied is False


@pytest.mark.django_db
def test_rating_needs_a_choice_and_a_resolved_report(
    client: Client, citizen: Any
) -> None:
    report = ReportFactory(reporter=citizen)
    client.force_login(citizen)
    url = f"/phan-anh/{report.code}/danh-gia/"
    client.post(url, {"satisfied": "1"})
    assert not Rating.objects.exists()
    resolved = ReportFactory(published=True, reporter=citizen)
    response = client.post(f"/phan-anh/{resolved.code}/danh-gia/", {})
    assert "Vui lòng chọn" in str(response.context["rating_form"].errors["satisfied"])
    assert not Rating.objects.exists()


# Query budgets -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 50])
def test_report_page_query_count_does_not_grow(
    client: Client,
    citizen: Any,
    media: Path,
    django_assert_max_num_queries: Any,
    page_queries: Any,
    rows: int,
) -> None:
    report = ReportFactory(reporter=citizen)
    for _ in range(rows):
        add_attachment(report)
        report.changes.create(to_status=Status.NEW, created_at=timezone.now())
    client.force_login(citizen)
    # Session and user, plus whatever every page runs; then report, changes, files,
    # the reporter's updates, whether it is public, its followers.
    baseline = page_queries(client, "/tra-cuu/")
    url = f"/phan-anh/{report.code}/"
    client.get(url)
    with django_assert_max_num_queries(baseline + 6):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["attachments"]) == rows


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 50])
def test_my_reports_query_count_does_not_grow(
    client: Client,
    citizen: Any,
    django_assert_max_num_queries: Any,
    page_queries: Any,
    rows: int,
) -> None:
    for _ in range(rows):
        ReportFactory(reporter=citizen)
    client.force_login(citizen)
    baseline = page_queries(client, "/tra-cuu/")
    client.get("/tai-khoan/")
    with django_assert_max_num_queries(baseline + 1):
        response = client.get("/tai-khoan/")
    assert response.status_code == 200
    assert len(response.context["reports"]) == rows


@pytest.mark.django_db
def test_my_reports_lists_own_reports_newest_first_with_status_text(
    client: Client, citizen: Any, other_citizen: Any
) -> None:
    older = ReportFactory(reporter=citizen, title="Phản ánh cũ hơn về rác thải")
    newer = ReportFactory(reporter=citizen, title="Phản ánh mới hơn về đèn đường")
    ReportFactory(reporter=other_citizen, title="Phản ánh của người khác")
    Report.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=3)
    )
    client.force_login(citizen)
    html = client.get("/tai-khoan/").content.decode()
    assert "Phản ánh của tôi" in html
    assert html.index(newer.title) < html.index(older.title)
    assert "Phản ánh của người khác" not in html
    assert "Chờ tiếp nhận" in html


@pytest.mark.django_db
def test_officials_access_to_personal_data_is_recorded(
    client: Client, intake_officer: Any, citizen: Any
) -> None:
    from feedback.models import ReportEvent

    report = ReportFactory(reporter=citizen)
    client.force_login(citizen)
    client.get(f"/phan-anh/{report.code}/")
    assert not ReportEvent.objects.exists()  # the reporter reading their own data
    client.force_login(intake_officer)
    html = client.get(f"/phan-anh/{report.code}/").content.decode()
    assert report.id_number in html
    event = ReportEvent.objects.get()
    assert event.kind == ReportEvent.Kind.PERSONAL_VIEWED
    assert event.actor == intake_officer


@pytest.mark.django_db
def test_missing_file_on_disk_answers_404(
    client: Client, citizen: Any, media: Path
) -> None:
    attachment = add_attachment(ReportFactory(reporter=citizen))
    (media / attachment.file.name).unlink()
    client.force_login(citizen)
    url = f"/phan-anh/{attachment.report.code}/tep/{attachment.pk}/"
    assert client.get(url).status_code == 404
