"""Officials reach personal data only after a second factor (TOTP or backup)."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from tests.factories import AttachmentFactory, ReportFactory, UserFactory

pytestmark = pytest.mark.django_db

VERIFY = "/xac-thuc-hai-buoc/"
SETUP = "/xac-thuc-hai-buoc/dang-ky/"


@pytest.fixture(autouse=True)
def second_factor_on(settings: Any) -> None:
    settings.OFFICIALS_2FA = True


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, drift=offset):06d}"


def report_urls(media: Any) -> tuple[Any, list[str]]:
    report = ReportFactory(
        allow_publish=False,
    )
    attachment = AttachmentFactory(report=report)
    base = f"/admin/feedback/report/{report.pk}"
    return report, [
        "/admin/",
        "/admin/feedback/report/",
        f"{base}/change/",
        f"{base}/history/",
        f"{base}/attachment/{attachment.pk}/",
        "/admin/feedback/report/export/csv/",
        f"/phan-anh/{report.code}/",
        f"/phan-anh/{report.code}/tep/{attachment.pk}/",
        "/admin/accounts/user/",
    ]


@pytest.mark.parametrize("role", ["intake_officer", "official_a", "editor"])
def test_an_official_without_a_second_factor_cannot_reach_any_report(
    role: str, request: pytest.FixtureRequest, media: Any
) -> None:
    official = request.getfixturevalue(role)
    report, urls = report_urls(media)
    client = Client()
    client.force_login(official)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(SETUP + "?next="), url
        assert report.id_number.encode() not in response.content


def test_a_superuser_is_asked_to_verify_once_enrolled(media: Any) -> None:
    admin = UserFactory(is_staff=True, is_superuser=True)
    TOTPDevice.objects.create(user=admin, confirmed=True)
    _report, urls = report_urls(media)
    client = Client()
    client.force_login(admin)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(VERIFY + "?next="), url


def test_enrolment_on_first_admin_visit_then_reports_open(
    intake_officer: User, media: Any
) -> None:
    report, _urls = report_urls(media)
    client = Client()
    client.force_login(intake_officer)
    first = client.get("/admin/feedback/report/", follow=True)
    assert first.redirect_chain[-1][0].startswith(SETUP)
    page = first.content.decode()
    assert "<svg" in page and 'role="img"' in page  # the QR code, inline
    device = TOTPDevice.objects.get(user=intake_officer, confirmed=False)
    secret = re.search(r'<code class="user-select-all">(\w+)</code>', page)
    assert secret and secret.group(1) in device.config_url
    assert "no-store" in first["Cache-Control"]
    done = client.post(
        SETUP, {"code": code_for(device), "next": "/admin/feedback/report/"}
    )
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    changelist = client.get("/admin/feedback/report/")
    assert changelist.status_code == 200
    assert report.title in changelist.content.decode()
    assert client.get(f"/admin/feedback/report/{report.pk}/change/").status_code == 200


def test_a_wrong_code_is_refused_and_repeated_wrong_codes_are_throttled(
    intake_officer: User,
) -> None:
    device = TOTPDevice.objects.create(user=intake_officer, confirmed=True)
    client = Client()
    client.force_login(intake_officer)
    statuses = [client.post(VERIFY, {"code": "000000"}).status_code for _ in range(5)]
    assert statuses == [400] * 5
    # Now even the right code is refused until the window passes.
    blocked = client.post(VERIFY, {"code": code_for(device)})
    assert blocked.status_code == 429
    assert "sai quá nhiều lần" in blocked.content.decode()
    assert client.get("/admin/feedback/report/").status_code == 302


def test_a_backup_code_works_once(intake_officer: User) -> None:
    from accounts import two_factor

    TOTPDevice.objects.create(user=intake_officer, confirmed=True)
    codes = two_factor.replace_backup_codes(intake_officer)
    first = Client()
    first.force_login(intake_officer)
    assert first.post(VERIFY, {"code": codes[0], "next": "/admin/"}).status_code == 302
    assert first.get("/admin/").status_code == 200
    again = Client()
    again.force_login(intake_officer)
    assert again.post(VERIFY, {"code": codes[0]}).status_code == 400


def test_a_superuser_resets_a_lost_device_and_it_is_recorded(
    intake_officer: User,
) -> None:
    TOTPDevice.objects.create(user=intake_officer, confirmed=True)
    StaticDevice.objects.create(user=intake_officer, confirmed=True)
    root = UserFactory(is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=root, confirmed=True)
    client = Client()
    client.force_login(root)
    client.post(VERIFY, {"code": code_for(device)})
    response = client.post(
        "/admin/accounts/user/",
        {"action": "reset_second_factor", "_selected_action": [intake_officer.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=intake_officer).exists()
    assert not StaticDevice.objects.filter(user=intake_officer).exists()
    entry = LogEntry.objects.get(object_id=str(intake_officer.pk))
    assert entry.user == root and "xác thực hai bước" in entry.get_change_message()


def test_only_a_superuser_may_reset_devices(intake_officer: User) -> None:
    from django.contrib.auth.models import Permission

    TOTPDevice.objects.create(user=intake_officer, confirmed=True)
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__endswith="_user"))
    device = TOTPDevice.objects.create(user=staff, confirmed=True)
    client = Client()
    client.force_login(staff)
    client.post(VERIFY, {"code": code_for(device)})
    client.post(
        "/admin/accounts/user/",
        {"action": "reset_second_factor", "_selected_action": [intake_officer.pk]},
    )
    assert TOTPDevice.objects.filter(user=intake_officer).exists()


def test_citizens_are_not_asked_for_a_second_factor(
    client: Client, citizen: User
) -> None:
    own = ReportFactory(allow_publish=False, reporter=citizen)
    client.force_login(citizen)
    assert client.get("/tai-khoan/").status_code == 200
    assert client.get(f"/phan-anh/{own.code}/").status_code == 200


def test_officials_2fa_off_lets_officials_in_without(
    settings: Any, intake_officer: User
) -> None:
    settings.OFFICIALS_2FA = False
    client = Client()
    client.force_login(intake_officer)
    assert client.get("/admin/feedback/report/").status_code == 200


def test_seed_demo_gives_each_demo_official_a_device_and_prints_its_secret() -> None:
    out = io.StringIO()
    call_command("seed_demo", "--reports", "0", stdout=out)
    printed = out.getvalue()
    for username in ("admin", "tiepnhan", "xuly1", "xuly2", "bientap"):
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        from accounts.two_factor import secret_of

        assert f"{username} / khoá TOTP {secret_of(device)}" in printed
    assert not TOTPDevice.objects.filter(user__username="congdan").exists()
