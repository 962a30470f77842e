from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from feedback.models import Report, ReportEvent, RoutingRule, Status
from feedback.routing import suggest_agency
from feedback.workflow import move_report
from places.loading import load_default_units
from places.models import AdministrativeUnit
from tests.factories import AgencyFactory, CategoryFactory, ReportFactory

pytestmark = pytest.mark.django_db

PHAN_RANG = "22759"
DONG_HAI = "22780"


@pytest.fixture
def cast(db: None) -> dict[str, Any]:
    """Two categories, two communes, two Sở and the People's Committee of one."""
    load_default_units()
    return {
        "traffic": CategoryFactory(name="Giao thông", slug="giao-thong"),
        "waste": CategoryFactory(name="Môi trường", slug="moi-truong"),
        "so_gt": AgencyFactory(code="so-gt", name="Sở Giao thông"),
        "so_tn": AgencyFactory(code="so-tn", name="Sở Tài nguyên"),
        "ubnd_pr": AgencyFactory(
            code="ubnd-phan-rang",
            name="UBND phường Phan Rang",
            commune=AdministrativeUnit.objects.get(code=PHAN_RANG),
        ),
        "fallback": AgencyFactory(code="vp-ubnd", name="Văn phòng UBND tỉnh"),
    }


def rule(**kwargs: Any) -> RoutingRule:
    return RoutingRule.objects.create(**kwargs)


def report(category: Any, commune: str | None) -> Report:
    return ReportFactory(category=category, commune_id=commune)


def test_no_rule_no_suggestion(cast: dict[str, Any]) -> None:
    assert suggest_agency(report(cast["traffic"], PHAN_RANG)) is None


def test_more_specific_rule_wins_at_equal_priority(cast: dict[str, Any]) -> None:
    rule(agency=cast["fallback"])  # any × any
    rule(category=cast["traffic"], agency=cast["so_gt"])
    rule(commune_id=PHAN_RANG, agency=cast["ubnd_pr"])
    rule(category=cast["waste"], commune_id=PHAN_RANG, agency=cast["so_tn"])
    assert suggest_agency(report(cast["waste"], PHAN_RANG)) == cast["so_tn"]
    # Commune only beats category only.
    assert suggest_agency(report(cast["traffic"], PHAN_RANG)) == cast["ubnd_pr"]
    assert suggest_agency(report(cast["traffic"], DONG_HAI)) == cast["so_gt"]
    assert suggest_agency(report(cast["waste"], DONG_HAI)) == cast["fallback"]
    assert suggest_agency(report(None, None)) == cast["fallback"]


def test_lower_priority_number_wins_over_specificity(cast: dict[str, Any]) -> None:
    rule(category=cast["traffic"], commune_id=PHAN_RANG, agency=cast["ubnd_pr"])
    rule(category=cast["traffic"], agency=cast["so_gt"], priority=10)
    assert suggest_agency(report(cast["traffic"], PHAN_RANG)) == cast["so_gt"]


def test_inactive_rules_and_agencies_are_skipped(cast: dict[str, Any]) -> None:
    rule(category=cast["traffic"], agency=cast["so_gt"], priority=1, is_active=False)
    closed = AgencyFactory(code="dong-cua", name="Cơ quan đã giải thể", is_active=False)
    rule(category=cast["traffic"], agency=closed, priority=2)
    rule(agency=cast["fallback"], priority=3)
    assert suggest_agency(report(cast["traffic"], PHAN_RANG)) == cast["fallback"]


def test_rule_to_the_communes_committee_routes_to_that_communes_ubnd(
    cast: dict[str, Any],
) -> None:
    rule(category=cast["waste"], to_commune_committee=True, priority=1)
    rule(category=cast["waste"], agency=cast["so_tn"], priority=2)
    assert suggest_agency(report(cast["waste"], PHAN_RANG)) == cast["ubnd_pr"]
    # Đông Hải has no People's Committee agency yet, and a report may lack a commune.
    assert suggest_agency(report(cast["waste"], DONG_HAI)) == cast["so_tn"]
    assert suggest_agency(report(cast["waste"], None)) == cast["so_tn"]


def test_rule_needs_exactly_one_target(cast: dict[str, Any]) -> None:
    from django.core.exceptions import ValidationError

    both = RoutingRule(agency=cast["so_gt"], to_commune_committee=True)
    with pytest.raises(ValidationError, match="không chọn cả hai"):
        both.full_clean()
    with pytest.raises(ValidationError):
        RoutingRule(agency=None).full_clean()


def test_intake_desk_preselects_the_suggested_agency(
    cast: dict[str, Any], client: Client, intake_officer: Any, settings: Any
) -> None:
    settings.OFFICIALS_2FA = False
    rule(category=cast["traffic"], agency=cast["so_gt"])
    item = ReportFactory(category=cast["traffic"], status=Status.ACCEPTED)
    client.force_login(intake_officer)
    html = client.get(f"/admin/feedback/report/{item.pk}/change/").content.decode()
    assert f'<option value="{cast["so_gt"].pk}" selected>' in html
    assert f'<option value="{cast["so_tn"].pk}">' in html


def test_category_with_auto_route_is_routed_on_acceptance(
    cast: dict[str, Any],
    intake_officer: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    cast["waste"].auto_route = True
    cast["waste"].save()
    rule(category=cast["waste"], to_commune_committee=True)
    rule(category=cast["traffic"], agency=cast["so_gt"])
    auto = report(cast["waste"], PHAN_RANG)
    manual = report(cast["traffic"], PHAN_RANG)
    with django_capture_on_commit_callbacks(execute=True):
        for item in (auto, manual):
            move_report(
                report=item, to=Status.ACCEPTED, by=intake_officer, expected="new"
            )
    auto.refresh_from_db()
    manual.refresh_from_db()
    assert (auto.status, auto.agency) == (Status.IN_PROGRESS, cast["ubnd_pr"])
    assert auto.changes.filter(
        from_status=Status.ACCEPTED, to_status=Status.IN_PROGRESS, actor=intake_officer
    ).exists()
    assert ReportEvent.objects.filter(
        report=auto, kind=ReportEvent.Kind.ASSIGNED, detail="UBND phường Phan Rang"
    ).exists()
    # Without auto_route the report waits for the intake officer.
    assert (manual.status, manual.agency) == (Status.ACCEPTED, None)


def test_admin_pages_for_rules_agencies_and_units_open(
    cast: dict[str, Any], admin_client: Client, settings: Any
) -> None:
    settings.OFFICIALS_2FA = False
    rule(category=cast["traffic"], agency=cast["so_gt"])
    for url in (
        "/admin/feedback/routingrule/",
        "/admin/feedback/routingrule/add/",
        "/admin/feedback/agency/",
        f"/admin/feedback/agency/{cast['ubnd_pr'].pk}/change/",
        "/admin/places/administrativeunit/?q=phan+rang",
    ):
        assert admin_client.get(url).status_code == 200, url
    response = admin_client.post(
        "/admin/feedback/routingrule/add/",
        {
            "category": cast["waste"].pk,
            "agency": cast["so_tn"].pk,
            "to_commune_committee": "on",
            "priority": 5,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "không chọn cả hai" in response.content.decode()
    assert RoutingRule.objects.count() == 1
