"""Which agency a report goes to: the routing rules, in one place.

``suggest_agency(report)`` is what the intake desk pre-selects and what
auto-routing on acceptance uses. Precedence: the lowest ``priority`` wins; among
rules of equal priority, the more specific one (category and commune, then
commune only, then category only, then "any × any"); then the oldest rule.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from feedback.models import (
    Agency,
    Report,
    RoutingRule,
    Status,
    TransitionError,
)


def _specificity(rule: RoutingRule) -> int:
    return (2 if rule.commune_id else 0) + (1 if rule.category_id else 0)


def _target(rule: RoutingRule, report: Report) -> Agency | None:
    if not rule.to_commune_committee:
        agency = rule.agency
        return agency if agency is not None and agency.is_active else None
    if report.commune_id is None:
        return None
    return (
        Agency.objects.filter(commune_id=report.commune_id, is_active=True)
        .order_by("pk")
        .first()
    )


def matching_rules(report: Report) -> list[RoutingRule]:
    """The active rules that apply to the report, best first."""
    category = Q(category__isnull=True)
    if report.category_id is not None:
        category |= Q(category_id=report.category_id)
    commune = Q(commune__isnull=True)
    if report.commune_id is not None:
        commune |= Q(commune_id=report.commune_id)
    rules = list(
        RoutingRule.objects.filter(category, commune, is_active=True).select_related(
            "agency"
        )
    )
    rules.sort(key=lambda rule: (rule.priority, -_specificity(rule), rule.pk))
    return rules


def suggest_agency(report: Report) -> Agency | None:
    """The agency the first applicable rule names (None: no rule applies).

    A rule whose agency is inactive, or that names the commune's People's
    Committee when the report has no commune (or the commune none), is skipped.
    """
    for rule in matching_rules(report):
        agency = _target(rule, report)
        if agency is not None:
            return agency
    return None


def auto_route(*, report: Report, by: Any) -> Agency | None:
    """Route a just-accepted report whose category asks for it; None if not routed.

    Runs after the acceptance committed, through the one transition method, so a
    report routed here is recorded exactly like one routed by hand.
    """
    report = Report.objects.select_related("category").get(pk=report.pk)
    if report.status != Status.ACCEPTED or report.category is None:
        return None
    if not report.category.auto_route:
        return None
    agency = suggest_agency(report)
    if agency is None:
        return None
    try:
        report.transition(
            Status.IN_PROGRESS,
            by=by,
            note=_("Tự động chuyển theo quy tắc phân công."),
            expected=Status.ACCEPTED,
            agency=agency,
        )
    except TransitionError:
        return None  # someone moved it meanwhile: their decision stands
    return agency
