"""What the Open311 API may show of a report, and which reports it lists."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q

from feedback.models import OPEN_STATUSES, Category, Report, Status
from open311.render import iso

OPEN = set(OPEN_STATUSES)  # the rest of the workflow's statuses are "closed"


def services() -> list[Category]:
    return list(Category.objects.filter(is_active=True))


def open311_status(status: str) -> str:
    return "open" if status in OPEN else "closed"


def _expected(report: Report) -> str | None:
    if report.deadline is None or report.status not in OPEN:
        return None
    return iso(report.deadline)


def request_payload(report: Report, *, public: bool) -> dict[str, Any]:
    """One <request>. Never personal data; the description and the answer only
    for reports the portal publishes (``public``)."""
    notes = ""
    if report.status == Status.REJECTED:
        notes = report.rejection_reason
    elif public:
        notes = report.answer
    category = report.category
    return {
        "service_request_id": report.code,
        "status": open311_status(report.status),
        "status_notes": notes,
        "service_name": category.name if category else "",
        "service_code": category.slug if category else "",
        "description": f"{report.title}\n\n{report.content}" if public else "",
        "agency_responsible": report.agency.name if report.agency else "",
        "service_notice": "",
        "requested_datetime": iso(report.created_at),
        "updated_datetime": iso(report.updated_at),
        "expected_datetime": _expected(report),
        "address": report.location if public else "",
        "address_id": "",
        "zipcode": "",
        "lat": "",
        "long": "",
        "media_url": "",
    }


def _base() -> Any:
    return Report.objects.select_related("category", "agency")


def by_codes(codes: list[str]) -> list[Report]:
    """Reports named by their exact tracking codes, published or not."""
    return list(_base().filter(code__in=codes).order_by("-created_at"))


def published_codes(codes: list[str]) -> set[str]:
    return set(
        Report.objects.published().filter(code__in=codes).values_list("code", flat=True)
    )


def published(
    *,
    start: datetime,
    end: datetime,
    statuses: list[str],
    service_codes: list[str],
    limit: int,
) -> list[Report]:
    reports = (
        _base()
        .published()
        .filter(created_at__gte=start, created_at__lte=end)
        .order_by("-created_at")
    )
    if service_codes:
        reports = reports.filter(category__slug__in=service_codes)
    if statuses and set(statuses) != {"open", "closed"}:
        wanted = OPEN if "open" in statuses else {Status.RESOLVED, Status.REJECTED}
        reports = reports.filter(Q(status__in=wanted))
    return list(reports[:limit])
