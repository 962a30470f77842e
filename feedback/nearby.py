"""Reports near a point: a bounding box on the indexed coordinates, then haversine.

The box (indexes ``report_lat_long`` and, for public reports, ``report_public_place``:
a range on latitude, longitude and date checked inside the index) leaves few rows
even at a million reports; the database orders them by a flat-earth distance,
exact enough to rank points a few kilometres apart, and only the nearest few come
back to have their exact distance computed. PostGIS would answer the same question but
adds a database extension to every deployment, SQLite demo included, for no gain
at the radii used here (a few hundred metres to a few kilometres).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import ExpressionWrapper, F, FloatField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.models import Report, ReportQuerySet
from feedback.services import report_url
from places.geo import box_around, haversine_m

MAX_RADIUS_M = 5_000


@dataclass(frozen=True)
class Nearby:
    report: Report
    distance_m: float


def within(
    queryset: ReportQuerySet,
    *,
    lat: float,
    long: float,
    radius_m: float,
    limit: int = 20,
) -> list[Nearby]:
    """The reports of ``queryset`` within ``radius_m`` of the point, nearest first."""
    box = box_around(lat, long, radius_m)
    north = Cast(F("latitude"), FloatField()) - lat
    east = (Cast(F("longitude"), FloatField()) - long) * math.cos(math.radians(lat))
    # The box's corners lie outside the circle, and the flat distance may order
    # two almost equidistant points the other way: a margin of candidates.
    candidates = (
        queryset.filter(
            latitude__gte=box.south,
            latitude__lte=box.north,
            longitude__gte=box.west,
            longitude__lte=box.east,
        )
        .annotate(
            flat=ExpressionWrapper(
                north * north + east * east, output_field=FloatField()
            )
        )
        .order_by("flat", "pk")[: 2 * limit + 10]
    )
    found = []
    for report in candidates:
        assert report.latitude is not None and report.longitude is not None
        distance = haversine_m(
            lat, long, float(report.latitude), float(report.longitude)
        )
        if distance <= radius_m:
            found.append(Nearby(report=report, distance_m=distance))
    found.sort(key=lambda item: (item.distance_m, item.report.pk))
    return found[:limit]


def public_nearby(
    *,
    lat: float,
    long: float,
    radius_m: float | None = None,
    category_id: int | None = None,
    days: int | None = None,
    limit: int = 20,
) -> list[Nearby]:
    """Public reports filed in the last ``days`` days near the point (same category)."""
    days = settings.NEARBY_DAYS if days is None else days
    queryset = Report.objects.public().filter(
        created_at__gte=timezone.now() - timedelta(days=days)
    )
    if category_id is not None:
        queryset = queryset.filter(category_id=category_id)
    queryset = queryset.only("code", "title", "status", "latitude", "longitude")
    return within(
        queryset,
        lat=lat,
        long=long,
        radius_m=settings.NEARBY_RADIUS_M if radius_m is None else radius_m,
        limit=limit,
    )


def possible_duplicates(
    report: Report, *, days: int = 30, radius_m: float | None = None
) -> list[Nearby]:
    """Other reports of any status near ``report``, same category, filed around it."""
    if report.latitude is None or report.longitude is None:
        return []
    queryset = Report.objects.exclude(pk=report.pk).filter(
        created_at__gte=report.created_at - timedelta(days=days),
        created_at__lte=report.created_at + timedelta(days=days),
    )
    if report.category_id is not None:
        queryset = queryset.filter(category_id=report.category_id)
    return within(
        queryset.select_related("category"),
        lat=float(report.latitude),
        long=float(report.longitude),
        radius_m=settings.NEARBY_RADIUS_M if radius_m is None else radius_m,
        limit=10,
    )


def duplicate_reason(original: Report) -> str:
    """The rejection reason sent to the reporter, naming the original's code."""
    return _(
        "Phản ánh trùng với phản ánh %(code)s đã được gửi trước đó về cùng sự việc. "
        "Ông/Bà có thể theo dõi kết quả xử lý tại %(url)s."
    ) % {"code": original.code, "url": report_url(original)}


def duplicate_choices(report: Report) -> list[dict[str, object]]:
    """Possible duplicates for the admin desk: the report, distance, admin link."""
    return [
        {
            "report": item.report,
            "distance_m": round(item.distance_m),
            "admin_url": reverse("admin:feedback_report_change", args=[item.report.pk]),
            "can_be_original": item.report.may_be_original,
        }
        for item in possible_duplicates(report)
    ]
