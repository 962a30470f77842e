"""What the Open311 API may show of a report, and which reports it lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Prefetch

from feedback.models import (
    OPEN_STATUSES,
    Attachment,
    Category,
    Report,
    ReportEvent,
    ReportQuerySet,
    Status,
    StatusChange,
)
from open311.models import ExternalMedia, PartnerSubmission
from open311.render import iso

OPEN = set(OPEN_STATUSES)  # the rest of the workflow's statuses are "closed"
CLOSED = {Status.RESOLVED, Status.REJECTED}
# Public coordinates are rounded to about 100 m: the public sees an approximate
# place, never the doorstep a phone's GPS may have recorded.
PUBLIC_PRECISION = Decimal("0.001")


def services() -> list[Category]:
    return list(Category.objects.filter(is_active=True))


def service(code: str) -> Category | None:
    return Category.objects.filter(is_active=True, slug=code).first()


def open311_status(status: str) -> str:
    return "open" if status in OPEN else "closed"


def _expected(report: Report) -> str | None:
    deadline: Any = report.deadline
    if deadline is None or report.status not in OPEN:
        return None
    return iso(deadline)


def _coordinate(value: Decimal | None) -> float | None:
    if value is None:
        return None
    return float(Decimal(value).quantize(PUBLIC_PRECISION, rounding=ROUND_HALF_UP))


def is_answer_public(report: Report) -> bool:
    return report.status == Status.RESOLVED and report.is_published


def public_photo(report: Report, *, public: bool) -> Attachment | None:
    """The first photo the public may see: one an official marked public (on a
    public report), or one of the answer's once the answer is published."""
    items: list[Attachment] = report.ordered_attachments  # type: ignore[attr-defined]
    for item in items:  # prefetched by _attachments(), in pk order
        if not item.is_image:
            continue
        if item.kind == Attachment.Kind.ANSWER and is_answer_public(report):
            return item
        if item.kind == Attachment.Kind.CITIZEN and item.is_public and public:
            return item
    return None


def request_payload(
    report: Report,
    *,
    public: bool,
    media_url: Callable[[Attachment], str],
) -> dict[str, Any]:
    """One <request>. Never personal data; what the citizen wrote, the place and
    the photo only for reports the public may see (``public``), the answer only
    once published."""
    notes: str | None = None
    if report.status == Status.REJECTED:
        notes = report.rejection_reason
    elif is_answer_public(report):
        notes = report.answer
    category = report.category
    photo = public_photo(report, public=public)
    commune_id: Any = getattr(report, "commune_id", None)
    return {
        "service_request_id": report.code,
        "status": open311_status(report.status),
        "status_notes": notes or None,
        "service_name": category.name if category else None,
        "service_code": category.slug if category else None,
        "description": report.content if public else None,
        "agency_responsible": report.agency.name if report.agency else None,
        "service_notice": None,
        "requested_datetime": iso(report.created_at),
        "updated_datetime": iso(report.updated_at),
        "expected_datetime": _expected(report),
        "address": report.location if public else None,
        "address_id": commune_id if public else None,
        "zipcode": None,
        "lat": _coordinate(report.latitude) if public else None,
        "long": _coordinate(report.longitude) if public else None,
        "media_url": media_url(photo) if photo is not None else None,
    }


# What request_payload reads: never the personal data, nor columns it does not show.
PAYLOAD_FIELDS = (
    "code", "status", "rejection_reason", "answer", "is_published", "content",
    "location", "commune_id", "latitude", "longitude", "created_at", "updated_at",
    "deadline", "category__name", "category__slug", "agency__name",
)  # fmt: skip


def _attachments(lookup: str = "attachments") -> Prefetch[Any]:
    # A list (to_attr), not a related manager per report: at 1000 reports the
    # managers' querysets cost more than the query itself.
    return Prefetch(
        lookup,
        queryset=Attachment.objects.order_by("pk").only(
            "report_id", "kind", "content_type", "is_public"
        ),
        to_attr="ordered_attachments",
    )


def _base() -> ReportQuerySet:
    return (
        Report.objects.select_related("category", "agency")
        .only(*PAYLOAD_FIELDS)
        .prefetch_related(_attachments())
    )


def public_ids(reports: Iterable[Report]) -> set[int]:
    ids = [r.pk for r in reports]
    return set(Report.objects.public().filter(pk__in=ids).values_list("pk", flat=True))


def by_codes(codes: list[str]) -> list[Report]:
    """Reports with these canonical tracking codes, newest first.

    Called only through open311.views.reports_by_code, where a limit on guessing
    codes applies to every by-code look-up of the API at once.
    """
    wanted = sorted({c for c in codes if c})
    if not wanted:
        return []
    return list(_base().filter(code__in=wanted).order_by("-created_at"))


def listed(
    *,
    start: dt.datetime,
    end: dt.datetime,
    statuses: list[str],
    service_codes: list[str],
    limit: int,
) -> list[Report]:
    """Public reports filed between ``start`` and ``end``, newest first.

    Read along the partial index report_public_created: the newest public rows
    of the window, no sort (EXPLAIN in the README's performance section).
    """
    reports = (
        _base()
        .public()
        .filter(created_at__gte=start, created_at__lte=end)
        .order_by("-created_at", "-pk")
    )
    if service_codes:
        reports = reports.filter(category__slug__in=service_codes)
    if statuses and set(statuses) != {"open", "closed"}:
        wanted = OPEN if "open" in statuses else CLOSED
        reports = reports.filter(status__in=wanted)
    return list(reports[:limit])


def submission_by_token(token: str) -> PartnerSubmission | None:
    return (
        PartnerSubmission.objects.select_related("report").filter(token=token).first()
    )


def updates(
    *,
    partner_id: int,
    start: dt.datetime,
    end: dt.datetime,
    limit: int,
    media_url: Callable[[Attachment], str],
) -> list[dict[str, Any]]:
    """GET servicerequestupdates: status changes and published answers of the
    reports this partner filed, oldest first.

    Only what the citizen may read on the report's page goes out: the status, the
    rejection reason, the answer once published; officials' notes never do.
    """
    mine = PartnerSubmission.objects.filter(partner_id=partner_id).values("report_id")
    changes = (
        StatusChange.objects.filter(report_id__in=mine)
        .exclude(from_status="")
        .filter(created_at__gte=start, created_at__lte=end)
        .select_related("report")
        .order_by("created_at", "pk")[:limit]
    )
    published = (
        ReportEvent.objects.filter(report_id__in=mine, kind=ReportEvent.Kind.PUBLISHED)
        .filter(created_at__gte=start, created_at__lte=end)
        .select_related("report")
        .prefetch_related(_attachments("report__attachments"))
        .order_by("created_at", "pk")[:limit]
    )
    items: list[tuple[dt.datetime, dict[str, Any]]] = []
    for change in changes:
        text = ""
        if change.to_status == Status.REJECTED:
            text = change.report.rejection_reason
        items.append(
            (
                change.created_at,
                {
                    "update_id": f"status-{change.pk}",
                    "service_request_id": change.report.code,
                    "status": open311_status(change.to_status),
                    "external_status_code": change.to_status,
                    "updated_datetime": iso(change.created_at),
                    "description": text or None,
                    "media_url": None,
                },
            )
        )
    for event in published:
        report = event.report
        if not is_answer_public(report):
            continue  # published, then withdrawn again
        photo = public_photo(report, public=False)
        items.append(
            (
                event.created_at,
                {
                    "update_id": f"answer-{event.pk}",
                    "service_request_id": report.code,
                    "status": open311_status(report.status),
                    "external_status_code": report.status,
                    "updated_datetime": iso(event.created_at),
                    "description": report.answer,
                    "media_url": media_url(photo) if photo is not None else None,
                },
            )
        )
    items.sort(key=lambda pair: pair[0])
    return [item for _when, item in items[:limit]]


def external_media(report: Report) -> list[ExternalMedia]:
    return list(report.external_media.all())
