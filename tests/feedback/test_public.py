from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from feedback.models import Report, ReportEvent, Status
from places.loading import load_default_units
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def test_public_means_accepted_or_later_consented_and_not_hidden() -> None:
    shown = [
        ReportFactory(status=status)
        for status in (Status.ACCEPTED, Status.IN_PROGRESS, Status.RESOLVED)
    ]
    ReportFactory(status=Status.NEW)
    ReportFactory(status=Status.REJECTED)
    ReportFactory(status=Status.ACCEPTED, allow_publish=False)
    ReportFactory(status=Status.ACCEPTED, is_hidden=True)
    assert set(Report.objects.public()) == set(shown)
    assert all(report.is_public for report in shown)


def test_hidden_report_answer_is_not_published() -> None:
    report = ReportFactory(published=True)
    assert Report.objects.published().get() == report
    Report.objects.filter(pk=report.pk).update(is_hidden=True)
    assert not Report.objects.published().exists()


def test_public_report_page_shows_commune_and_approximate_place_only(
    client: Client,
) -> None:
    load_default_units()
    report = ReportFactory(
        status=Status.IN_PROGRESS,
        allow_publish=True,
        commune_id="22759",
        latitude=Decimal("11.564512"),
        longitude=Decimal("108.988134"),
        answer="Nháp trả lời chưa duyệt",
    )
    html = client.get(f"/phan-anh/{report.code}/").content.decode()
    assert "Phường Phan Rang" in html
    assert "11,565" in html and "108,988" in html
    assert "11,564512" not in html and "11.564512" not in html
    assert report.location not in html
    assert "Trần T. B." in html
    for secret in ("Trần Thị Bình", "058190004321", "binh@example.vn", "0987654321"):
        assert secret not in html
    assert 'name="robots"' not in html  # public pages may be indexed


def test_answer_shows_to_the_public_only_once_published(
    client: Client, settings: Any
) -> None:
    # The update below bypasses save(): the shared page is checked at once.
    settings.REPORT_PAGE_RECHECK_SECONDS = 0
    report = ReportFactory(status=Status.RESOLVED, answer="Đã vá xong ổ gà.")
    assert (
        "Đã vá xong ổ gà."
        not in client.get(f"/phan-anh/{report.code}/").content.decode()
    )
    Report.objects.filter(pk=report.pk).update(is_published=True)
    assert (
        "Đã vá xong ổ gà." in client.get(f"/phan-anh/{report.code}/").content.decode()
    )


def test_private_report_page_is_unchanged_for_the_code_holder(client: Client) -> None:
    report = ReportFactory(
        status=Status.RESOLVED, answer="Đã xử lý xong.", allow_publish=False
    )
    html = client.get(f"/phan-anh/{report.code}/").content.decode()
    assert report.location in html and "Đã xử lý xong." in html
    assert 'name="robots" content="noindex"' in html


@pytest.fixture
def desk(client: Client, intake_officer: Any, settings: Any) -> Client:
    """The intake officer signed in to admin."""
    settings.OFFICIALS_2FA = False
    client.force_login(intake_officer)
    return client


def test_official_hides_a_report_and_it_is_recorded(
    desk: Client, intake_officer: Any
) -> None:
    report = ReportFactory(status=Status.ACCEPTED, title="Phản ánh sẽ bị ẩn đi")
    assert report in Report.objects.public()
    response = desk.post(
        reverse("admin:feedback_report_changelist"),
        {
            "action": "hide_reports",
            "_selected_action": [report.pk],
            "note": "Nội dung xúc phạm",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.is_hidden and report not in Report.objects.public()
    event = ReportEvent.objects.get(report=report, kind=ReportEvent.Kind.HIDDEN)
    assert event.actor == intake_officer and event.detail == "Nội dung xúc phạm"
    assert "Phản ánh sẽ bị ẩn đi" not in Client().get("/phan-anh/").content.decode()
    public_page = Client().get(f"/phan-anh/{report.code}/").content.decode()
    assert "đã được cơ quan chức năng ẩn" in public_page
    assert "Phản ánh sẽ bị ẩn đi" not in public_page
    desk.post(
        reverse("admin:feedback_report_changelist"),
        {"action": "unhide_reports", "_selected_action": [report.pk]},
    )
    report.refresh_from_db()
    assert not report.is_hidden
    assert ReportEvent.objects.filter(kind=ReportEvent.Kind.UNHIDDEN).count() == 1


def test_official_redacts_the_public_text_with_a_reason(
    desk: Client, intake_officer: Any
) -> None:
    report = ReportFactory(
        status=Status.ACCEPTED,
        title="Ổ gà trước nhà ông Nguyễn Văn An",
        content="Nhà ông An số 12, điện thoại 0987654321, có ổ gà lớn trước cổng.",
    )
    url = reverse("admin:feedback_report_redact", args=[report.pk])
    assert desk.get(url).status_code == 200
    bad = desk.post(url, {"title": "Ổ gà", "content": "ngắn", "reason": ""})
    assert bad.status_code == 200
    assert "Cần nêu lý do biên tập." in bad.content.decode()
    report.refresh_from_db()
    assert report.title == "Ổ gà trước nhà ông Nguyễn Văn An"  # nothing half-saved
    response = desk.post(
        url,
        {
            "title": "Ổ gà trên đường 16/4",
            "content": "Có ổ gà lớn trên đường 16/4, gần số nhà 12.",
            "reason": "Bỏ thông tin cá nhân",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.title == "Ổ gà trên đường 16/4"
    assert "0987654321" not in report.content
    # The public search finds the new text, no longer the old.
    assert list(Report.objects.public().ranked_search("duong 16/4")) == [report]
    assert not Report.objects.public().ranked_search("nguyen van an")
    event = ReportEvent.objects.get(report=report, kind=ReportEvent.Kind.REDACTED)
    assert event.actor == intake_officer and "Bỏ thông tin cá nhân" in event.detail


def test_agency_official_cannot_redact(
    client: Client, official_a: Any, settings: Any
) -> None:
    settings.OFFICIALS_2FA = False
    report = ReportFactory(status=Status.IN_PROGRESS, agency=official_a.official.agency)
    client.force_login(official_a)
    url = reverse("admin:feedback_report_redact", args=[report.pk])
    assert client.get(url).status_code == 403


def test_list_filters_by_commune(client: Client) -> None:
    load_default_units()
    ReportFactory(status=Status.ACCEPTED, commune_id="22759", title="Ở Phan Rang")
    ReportFactory(status=Status.ACCEPTED, commune_id="22780", title="Ở Đông Hải")
    page = client.get("/phan-anh/", {"commune": "22759"}).context["page"]
    assert [r.title for r in page.object_list] == ["Ở Phan Rang"]


def test_consent_text_says_public_once_accepted(client: Client) -> None:
    html = client.get("/gui-phan-anh/").content.decode()
    assert "Đồng ý công khai phản ánh trên cổng sau khi được tiếp nhận" in html


def test_intake_desk_shows_commune_coordinates_and_public_state(desk: Client) -> None:
    load_default_units()
    report = ReportFactory(
        commune_id="22759",
        latitude=Decimal("11.564512"),
        longitude=Decimal("108.988134"),
    )
    html = desk.get(
        reverse("admin:feedback_report_change", args=[report.pk])
    ).content.decode()
    assert "Phường Phan Rang" in html
    assert "vĩ độ 11,56451° Bắc, kinh độ 108,98813° Đông" in html
    assert "Sẽ hiện trên trang công khai khi được tiếp nhận." in html
    assert reverse("admin:feedback_report_redact", args=[report.pk]) in html
