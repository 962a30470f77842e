"""Groups, permissions sync and the demo accounts."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from feedback.models import Official, Report, Status
from feedback.permissions import EDITOR_GROUP, INTAKE_GROUP, OFFICIAL_GROUP
from feedback.roles import sync_roles
from tests.factories import ReportFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_sync_roles_is_idempotent() -> None:
    before = {
        group.name: set(group.permissions.values_list("codename", flat=True))
        for group in Group.objects.all()
    }
    sync_roles()
    call_command("sync_roles", stdout=io.StringIO())
    after = {
        group.name: set(group.permissions.values_list("codename", flat=True))
        for group in Group.objects.all()
    }
    assert before == after
    assert {INTAKE_GROUP, OFFICIAL_GROUP, EDITOR_GROUP} <= set(after)
    assert "triage_report" in after[INTAKE_GROUP]
    assert "triage_report" not in after[OFFICIAL_GROUP]
    assert not any("report" in codename for codename in after[EDITOR_GROUP])


def test_official_without_agency_link_sees_nothing(db: None) -> None:
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=OFFICIAL_GROUP))
    ReportFactory(status=Status.IN_PROGRESS)
    assert not Report.objects.visible_to(user).exists()


def test_superuser_sees_everything(agency_a: Any, agency_b: Any) -> None:
    admin = UserFactory(is_staff=True, is_superuser=True)
    a = ReportFactory(status=Status.IN_PROGRESS, agency=agency_a)
    b = ReportFactory(status=Status.IN_PROGRESS, agency=agency_b)
    client = Client()
    client.force_login(admin)
    page = client.get(reverse("admin:feedback_report_changelist")).content.decode()
    assert a.code in page
    assert b.code in page


def test_bogus_action_is_refused_with_message(intake_officer: Any) -> None:
    report = ReportFactory()
    client = Client()
    client.force_login(intake_officer)
    response = client.post(
        reverse("admin:feedback_report_workflow", args=[report.pk]),
        {"action": "deleted", "expected": "new", "agency": "abc"},
    )
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.status == Status.NEW


def test_demo_accounts_are_created_once_in_their_groups() -> None:
    out = io.StringIO()
    call_command("seed_demo", "--reports", "0", stdout=out)
    call_command("seed_demo", "--reports", "0", stdout=out)
    text = out.getvalue()
    for username in ("tiepnhan", "xuly1", "xuly2", "bientap"):
        assert f"{username} / {DEMO_PASSWORD}" in text
        user = User.objects.get(username=username)
        assert user.is_staff and user.is_active
        assert user.check_password(DEMO_PASSWORD)
    assert User.objects.get(username="tiepnhan").groups.get().name == INTAKE_GROUP
    assert User.objects.get(username="bientap").groups.get().name == EDITOR_GROUP
    agencies = {
        Official.objects.get(user__username=name).agency_id
        for name in ("xuly1", "xuly2")
    }
    assert len(agencies) == 2


def test_wildcard_grants_every_model_of_an_app(monkeypatch: pytest.MonkeyPatch) -> None:
    """The editor's "stats: every model" rule, shown on an app that has models now."""
    from feedback import roles

    monkeypatch.setitem(roles.ROLE_PERMISSIONS, "Nhóm thử", [("feedback", "*_view")])
    sync_roles()
    codenames = set(
        Group.objects.get(name="Nhóm thử").permissions.values_list(
            "codename", flat=True
        )
    )
    assert {"view_report", "view_category", "view_agency"} <= codenames
    assert not any(c.startswith("change_") for c in codenames)
