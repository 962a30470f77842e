"""Access control as an attacker tries it: every admin URL, other people's reports,
files and exports, guessed codes, and the session tricks."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from feedback.models import Report, Status
from tests.factories import AttachmentFactory, ReportFactory

pytestmark = pytest.mark.django_db


def _admin_urls() -> list[tuple[str, str]]:
    """(name, url) for every registered model's admin views, with object id 1."""
    urls = []
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        prefix = "admin:{}_{}_".format(*info)
        urls.append((f"{prefix}changelist", reverse(f"{prefix}changelist")))
        urls.append((f"{prefix}add", reverse(f"{prefix}add")))
        for view in ("change", "history", "delete"):
            urls.append((f"{prefix}{view}", reverse(f"{prefix}{view}", args=[1])))
    urls += [
        ("workflow", reverse("admin:feedback_report_workflow", args=[1])),
        ("attachment", reverse("admin:feedback_report_attachment", args=[1, 1])),
        ("export-csv", reverse("admin:feedback_report_export", args=["csv"])),
        ("export-xlsx", reverse("admin:feedback_report_export", args=["xlsx"])),
        ("admin-index", reverse("admin:index")),
    ]
    return urls


ADMIN_URLS = _admin_urls()


@pytest.fixture
def one_of_each(citizen: Any, agency_a: Any) -> Report:
    """Objects with pk 1 would be ideal; the refusal must not depend on existence."""
    report = ReportFactory(reporter=citizen, status=Status.IN_PROGRESS, agency=agency_a)
    AttachmentFactory(report=report)
    return report


@pytest.mark.parametrize(("name", "url"), ADMIN_URLS, ids=[n for n, _u in ADMIN_URLS])
@pytest.mark.parametrize("who", ["anonymous", "citizen"])
def test_anonymous_and_citizens_are_refused_every_admin_url(
    client: Client, citizen: Any, one_of_each: Report, who: str, name: str, url: str
) -> None:
    if who == "citizen":
        client.force_login(citizen)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code == 302, (method, response.status_code)
        assert response["Location"].startswith("/admin/login/")
    assert Report.objects.filter(pk=one_of_each.pk).exists()  # a delete did not apply


def test_admin_url_list_covers_reports_users_and_announcements() -> None:
    names = {name for name, _url in ADMIN_URLS}
    for expected in (
        "admin:feedback_report_change",
        "admin:accounts_user_change",
        "admin:stats_announcement_change",
        "export-csv",
    ):
        assert expected in names
    assert len(ADMIN_URLS) >= 40


def test_citizen_cannot_see_another_citizens_report_data_or_files(
    client: Client, citizen: Any, other_citizen: Any
) -> None:
    report = ReportFactory(reporter=citizen, title="Phản ánh riêng của công dân")
    attachment = AttachmentFactory(report=report)
    client.force_login(other_citizen)
    page = client.get(f"/phan-anh/{report.code}/").content.decode()
    assert report.id_number not in page and report.phone not in page
    assert report.email not in page and report.full_name not in page
    for suffix in ("", "anh-nho/"):
        url = f"/phan-anh/{report.code}/tep/{attachment.pk}/{suffix}"
        assert client.get(url).status_code == 404
    mine = client.get("/tai-khoan/du-lieu.json").content.decode()
    assert report.code not in mine
    assert client.get(f"/gui-phan-anh/da-gui/{report.code}/").status_code == 404


@pytest.mark.parametrize(
    "view", ["change", "history", "delete", "attachment", "workflow"]
)
def test_official_of_agency_a_is_refused_agency_b_reports(
    official_a: Any, agency_b: Any, view: str
) -> None:
    report = ReportFactory(status=Status.IN_PROGRESS, agency=agency_b)
    attachment = AttachmentFactory(report=report)
    client = Client()
    client.force_login(official_a)
    if view == "attachment":
        url = reverse(
            "admin:feedback_report_attachment", args=[report.pk, attachment.pk]
        )
    elif view == "workflow":
        url = reverse("admin:feedback_report_workflow", args=[report.pk])
    else:
        url = reverse(f"admin:feedback_report_{view}", args=[report.pk])
    response = (
        client.post(url, {"action": "resolved", "expected": "in_progress"})
        if view == "workflow"
        else client.get(url)
    )
    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:  # Django admin's "doesn't exist" redirect
        assert (
            reverse("admin:feedback_report_change", args=[report.pk])
            not in (response["Location"])
        )
    assert report.full_name not in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS
    # Nor through the public report page and its files.
    public = client.get(f"/phan-anh/{report.code}/tep/{attachment.pk}/")
    assert public.status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_of_agency_a_hold_nothing_of_agency_b(
    official_a: Any, agency_a: Any, agency_b: Any, fmt: str
) -> None:
    ReportFactory(status=Status.IN_PROGRESS, agency=agency_a, title="Việc của A")
    theirs = ReportFactory(
        status=Status.IN_PROGRESS, agency=agency_b, title="Việc riêng của B"
    )
    client = Client()
    client.force_login(official_a)
    response = client.get(reverse("admin:feedback_report_export", args=[fmt]))
    assert response.status_code == 200
    body = (
        b"".join(response.streaming_content)
        if response.streaming
        else (response.content)
    )
    if fmt == "csv":
        text = body.decode("utf-8-sig")
        assert "Việc của A" in text
        assert theirs.code not in text and "Việc riêng của B" not in text
    else:
        import io

        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(body)).active
        cells = {str(c.value) for row in sheet.iter_rows() for c in row}
        assert "Việc của A" in cells
        assert theirs.code not in cells


def test_two_officials_on_one_report_through_admin_one_is_told_to_reload(
    intake_officer: Any,
) -> None:
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    second = UserFactory(username="tiepnhan_hai", is_staff=True)
    second.groups.add(Group.objects.get(name="Cán bộ tiếp nhận"))
    report = ReportFactory()
    url = reverse("admin:feedback_report_workflow", args=[report.pk])
    first_client, second_client = Client(), Client()
    first_client.force_login(intake_officer)
    second_client.force_login(second)
    change = reverse("admin:feedback_report_change", args=[report.pk])
    assert first_client.get(change).status_code == 200  # both have the page open
    assert second_client.get(change).status_code == 200

    won = first_client.post(url, {"action": "accepted", "expected": "new"})
    lost = second_client.post(
        url, {"action": "rejected", "expected": "new", "note": "Tin rác"}
    )
    assert won.status_code == 302
    assert lost.status_code == 400
    assert "đã được người khác chuyển sang" in lost.content.decode()
    report.refresh_from_db()
    assert report.status == Status.ACCEPTED
    assert report.changes.count() == 2


# --- Guessing tracking codes --------------------------------------------------------


def test_repeated_misses_on_lookup_are_limited_with_a_vietnamese_429(
    client: Client, settings: Any
) -> None:
    settings.CODE_MISS_LIMIT = 5
    report = ReportFactory()
    for n in range(5):
        response = client.get("/tra-cuu/", {"code": f"PA-AAAA-AAA{n}"})
        assert response.status_code == 200
        assert "Không tìm thấy phản ánh" in response.content.decode()
    blocked = client.get("/tra-cuu/", {"code": report.code})
    assert blocked.status_code == 429
    assert "Quá nhiều yêu cầu" in blocked.content.decode()
    assert report.title not in blocked.content.decode()
    # Also on the report page itself, even for a code that exists.
    assert client.get(f"/phan-anh/{report.code}/").status_code == 429
    # Another address is not affected.
    other = client.get(f"/phan-anh/{report.code}/", REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 200


def test_repeated_misses_on_report_pages_are_limited(
    client: Client, settings: Any
) -> None:
    settings.CODE_MISS_LIMIT = 3
    statuses = [client.get(f"/phan-anh/PA-BBBB-BBB{n}/").status_code for n in range(5)]
    assert statuses == [404, 404, 404, 429, 429]


def test_hits_do_not_count_towards_the_miss_limit(
    client: Client, settings: Any
) -> None:
    settings.CODE_MISS_LIMIT = 2
    report = ReportFactory()
    for _ in range(10):
        assert client.get("/tra-cuu/", {"code": report.code}).status_code == 302
        assert client.get(f"/phan-anh/{report.code}/").status_code == 200


def test_a_miss_says_only_not_found(client: Client) -> None:
    ReportFactory()
    near = client.get("/phan-anh/PA-2222-2222/")
    far = client.get("/phan-anh/KHONG-PHAI-MA/")
    assert near.status_code == far.status_code == 404
    import re

    def main(response: Any) -> str:
        html = response.content.decode().replace(response["X-Request-ID"], "")
        found = re.search(r"<main.*?</main>", html, re.S)
        assert found
        return found.group(0)

    # The same answer: nothing hints how close a guess was.
    assert main(near) == main(far)
    assert "Không tìm thấy" in main(near)
