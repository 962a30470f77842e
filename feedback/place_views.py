"""Public views about places: nearby reports (JSON) and the public map."""

from __future__ import annotations

import math
import time
from typing import Any

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db.models import Avg, Count, F, FloatField, IntegerField
from django.db.models.functions import Cast, Floor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from feedback.forms import PublicFilterForm
from feedback.models import Category, Report, ReportQuerySet
from feedback.nearby import MAX_RADIUS_M, public_nearby
from feedback.public_pages import LIST_VERSION_KEY
from places.geo import province_boxes
from portal.lib.pagecache import cache_anonymous_page
from portal.lib.pagination import CachedCountPaginator


class NearbyQueryForm(forms.Form):
    lat = forms.FloatField(min_value=-90, max_value=90)
    long = forms.FloatField(min_value=-180, max_value=180)
    category = forms.ModelChoiceField(queryset=Category.objects.all(), required=False)
    radius = forms.IntegerField(min_value=1, max_value=MAX_RADIUS_M, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["lat"].error_messages = {
            "required": _("Thiếu vĩ độ (lat)."),
            "invalid": _("Vĩ độ (lat) phải là số."),
        }
        self.fields["long"].error_messages = {
            "required": _("Thiếu kinh độ (long)."),
            "invalid": _("Kinh độ (long) phải là số."),
        }


def _errors(form: forms.Form) -> dict[str, list[str]]:
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


@require_safe
@cache_anonymous_page([LIST_VERSION_KEY])
def nearby(request: HttpRequest) -> HttpResponse:
    """Public reports near lat/long: code, title, status, distance, link only.

    Shared between anonymous callers like the public list: the form asks again
    for the same pin while the citizen writes."""
    form = NearbyQueryForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"errors": _errors(form)}, status=400)
    data = form.cleaned_data
    category = data.get("category")
    found = public_nearby(
        lat=data["lat"],
        long=data["long"],
        radius_m=data.get("radius") or settings.NEARBY_RADIUS_M,
        category_id=category.pk if category else None,
    )
    reports = [
        {
            "code": item.report.code,
            "title": item.report.title,
            "status": item.report.status,
            "status_label": str(item.report.get_status_display()),
            "distance_m": round(item.distance_m),
            "url": reverse("feedback:detail", kwargs={"code": item.report.code}),
        }
        for item in found
    ]
    return JsonResponse({"reports": reports})


# --- The public map ------------------------------------------------------------------

# At this zoom and closer, points are sent one by one; below it, grid cells.
POINTS_ZOOM = 15
MAX_POINTS = 500


class MapFilterForm(PublicFilterForm):
    """The list's filters, on the reports that carry a pin."""

    def reports(self) -> ReportQuerySet:
        """Public reports with a pin, filtered by the valid filters given."""
        data = self.cleaned_data if self.is_valid() else {}
        reports = Report.objects.public().filter(
            latitude__isnull=False, longitude__isnull=False
        )
        if data.get("category"):
            reports = reports.filter(category=data["category"])
        if data.get("status"):
            reports = reports.filter(status=data["status"])
        if data.get("commune"):
            reports = reports.filter(commune=data["commune"])
        return reports


class MapDataForm(MapFilterForm):
    south = forms.FloatField(min_value=-90, max_value=90)
    west = forms.FloatField(min_value=-180, max_value=180)
    north = forms.FloatField(min_value=-90, max_value=90)
    east = forms.FloatField(min_value=-180, max_value=180)
    zoom = forms.IntegerField(min_value=0, max_value=22)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        south, north = cleaned.get("south"), cleaned.get("north")
        west, east = cleaned.get("west"), cleaned.get("east")
        if None not in (south, north, west, east) and (
            south >= north or west >= east  # type: ignore[operator]
        ):
            raise forms.ValidationError(_("Khung bản đồ không hợp lệ."))
        return cleaned


@require_safe
def public_map(request: HttpRequest) -> HttpResponse:
    """The map of public reports, and the same results as a list."""
    form = MapFilterForm(request.GET)
    reports = (
        form.reports()
        .select_related("category", "commune")
        .only(
            "code",
            "title",
            "status",
            "created_at",
            "latitude",
            "longitude",
            "category__name",
            "commune__name",
        )
        .order_by("-created_at", "-pk")
    )
    paginator = CachedCountPaginator(
        reports, 20, count_timeout=settings.STATS_CACHE_SECONDS
    )
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "feedback/map.html", {"form": form, "page": page})


@require_safe
def map_data(request: HttpRequest) -> JsonResponse:
    """Reports in the map's view: grid cells below POINTS_ZOOM, points above."""
    form = MapDataForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"errors": _errors(form)}, status=400)
    data = form.cleaned_data
    if data["zoom"] >= POINTS_ZOOM:
        reports = form.reports().filter(
            latitude__gte=data["south"],
            latitude__lte=data["north"],
            longitude__gte=data["west"],
            longitude__lte=data["east"],
        )
        points = []
        for report in reports.only(
            "code", "title", "status", "latitude", "longitude"
        ).order_by("-created_at")[:MAX_POINTS]:
            point = report.approximate_point
            assert point is not None
            points.append(
                {
                    "code": report.code,
                    "title": report.title,
                    "status": report.status,
                    "status_label": str(report.get_status_display()),
                    "lat": point[0],
                    "long": point[1],
                    "url": reverse("feedback:detail", kwargs={"code": report.code}),
                }
            )
        return JsonResponse({"points": points, "clusters": []})
    try:
        clusters = cached_clusters(form)
    except TooLarge:
        message = _("Khung bản đồ quá lớn ở mức phóng to này.")
        return JsonResponse({"errors": {"__all__": [str(message)]}}, status=400)
    return JsonResponse({"points": [], "clusters": clusters})


def cell_degrees(zoom: int) -> float:
    """About 64 screen pixels of a Web Mercator map at ``zoom``."""
    return 360 / (2**zoom) / 4


# Cells are counted per block of TILE_CELLS × TILE_CELLS cells, each block cached:
# a pan or a repeat visit reuses the blocks already counted, so the GROUP BY over
# a dense city runs once per block and filter per MAP_CACHE_SECONDS.
TILE_CELLS = 32
MAX_BLOCKS = 64


class TooLarge(Exception):
    """The view spans more blocks than one request may count."""


def cached_clusters(form: MapDataForm) -> list[dict[str, Any]]:
    data = form.cleaned_data
    zoom = data["zoom"]
    size = cell_degrees(zoom) * TILE_CELLS
    filters = ":".join(
        str(getattr(data.get(name), "pk", data.get(name)) or "")
        for name in ("category", "status", "commune")
    )
    # Nothing lies outside the province: the view is cut to its boxes first.
    boxes = province_boxes()
    south = max(data["south"], min(b.south for b in boxes))
    north = min(data["north"], max(b.north for b in boxes))
    west = max(data["west"], min(b.west for b in boxes))
    east = min(data["east"], max(b.east for b in boxes))
    if south > north or west > east:
        return []
    rows = range(math.floor(south / size), math.floor(north / size) + 1)
    cols = range(math.floor(west / size), math.floor(east / size) + 1)
    if len(rows) * len(cols) > MAX_BLOCKS:
        raise TooLarge
    found: list[dict[str, Any]] = []
    for ty in rows:
        for tx in cols:
            key = f"map:cells:{zoom}:{ty}:{tx}:{filters}"
            cells = _block_cells(key, form, zoom, ty, tx, size)
            found.extend(
                cell
                for cell in cells
                if data["south"] <= cell["lat"] <= data["north"]
                and data["west"] <= cell["long"] <= data["east"]
            )
    return found


def _block_cells(
    key: str, form: MapDataForm, zoom: int, ty: int, tx: int, size: float
) -> list[dict[str, Any]]:
    """One block's cells, recounted once MAP_CACHE_SECONDS old. A block at the
    province's zoom holds most reports and takes half a second to a second to
    count at a million: while one request recounts it, the others keep answering
    with the previous count (kept ten times as long), so no visitor waits for it
    but the one recounting."""
    now = time.time()
    kept = cache.get(key)
    if kept is not None:
        fresh_until, cells = kept
        if now < fresh_until or not cache.add(f"{key}:counting", 1, timeout=60):
            return list(cells)
    block = form.reports().filter(
        latitude__gte=ty * size,
        latitude__lt=(ty + 1) * size,
        longitude__gte=tx * size,
        longitude__lt=(tx + 1) * size,
    )
    cells = grid_clusters(block, zoom)
    seconds = settings.MAP_CACHE_SECONDS
    cache.set(key, (now + seconds, cells), timeout=10 * seconds)
    cache.delete(f"{key}:counting")
    return cells


def grid_clusters(reports: ReportQuerySet, zoom: int) -> list[dict[str, Any]]:
    """Counts per grid cell, aggregated by the database (one GROUP BY)."""
    cell = cell_degrees(zoom)
    rows = (
        reports.order_by()
        .annotate(
            cell_y=Floor(F("latitude") / cell, output_field=IntegerField()),
            cell_x=Floor(F("longitude") / cell, output_field=IntegerField()),
        )
        .values("cell_y", "cell_x")
        .annotate(
            n=Count("pk"),
            # Averaged as floats: numeric sums cost a third of the count.
            lat=Avg(Cast("latitude", FloatField())),
            long=Avg(Cast("longitude", FloatField())),
        )
    )
    return [
        {
            "lat": round(float(row["lat"]), 4),
            "long": round(float(row["long"]), 4),
            "count": row["n"],
        }
        for row in rows
    ]
