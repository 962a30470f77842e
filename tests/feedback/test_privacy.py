from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from accounts import services as account_services
from feedback.models import Report
from feedback.permissions import can_view_personal_data
from tests.factories import ReportFactory, UserFactory


@pytest.mark.django_db
def test_export_contains_the_users_reports(
    client: Client, citizen: Any, other_citizen: Any
) -> None:
    mine = ReportFactory(reporter=citizen, title="Rác thải ở chợ Phan Rang")
    ReportFactory(reporter=other_citizen, title="Phản ánh của người khác")
    client.force_login(citizen)
    data = json.loads(client.get("/tai-khoan/du-lieu.json").content)
    assert [r["code"] for r in data["reports"]] == [mine.code]
    assert data["reports"][0]["title"] == "Rác thải ở chợ Phan Rang"
    assert data["reports"][0]["id_number"] == mine.id_number


@pytest.mark.django_db
def test_erasing_an_account_anonymises_its_reports(
    citizen: Any, other_citizen: Any
) -> None:
    mine = ReportFactory(reporter=citizen, location="Chợ Phan Rang")
    theirs = ReportFactory(reporter=other_citizen)
    account_services.delete_account(citizen)
    mine = Report.objects.get(pk=mine.pk)
    assert mine.reporter is None
    assert mine.full_name == "Đã xoá"
    assert (mine.id_number, mine.email, mine.phone) == ("", "", "")
    assert mine.location == "Chợ Phan Rang"
    assert mine.anonymised_at is not None
    theirs = Report.objects.get(pk=theirs.pk)
    assert theirs.full_name != "Đã xoá" and theirs.anonymised_at is None


@pytest.mark.django_db
def test_who_may_view_personal_data(
    citizen: Any, other_citizen: Any, intake_officer: Any
) -> None:
    from django.contrib.auth.models import AnonymousUser

    report = ReportFactory(reporter=citizen)
    assert can_view_personal_data(citizen, report)
    assert can_view_personal_data(intake_officer, report)
    assert can_view_personal_data(UserFactory(is_superuser=True), report)
    assert not can_view_personal_data(other_citizen, report)
    assert not can_view_personal_data(UserFactory(is_staff=True), report)
    assert not can_view_personal_data(AnonymousUser(), report)
    assert not can_view_personal_data(citizen, ReportFactory())
