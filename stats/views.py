from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from portal.lib.pagecache import cache_anonymous_page
from stats.charts import all_charts, vn_number
from stats.forms import StatsFilterForm
from stats.models import Announcement, AnnouncementFile, Guide, GuideKind
from stats.qr import zalo_qr
from stats.selectors import PAGE_VERSION_KEYS, figures


def _filter_form(request: HttpRequest) -> StatsFilterForm:
    form = StatsFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # errors are shown; the invalid fields are ignored
    return form


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _commune_links(request: HttpRequest, rows: list[dict[str, Any]]) -> None:
    """Each commune row links to the page with that commune's filter (the other
    filters kept)."""
    query = request.GET.copy()
    for row in rows:
        if row["code"]:
            query["commune"] = row["code"]
            row["url"] = f"?{query.urlencode()}"


def _satisfaction_tables(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": "table-satisfaction-agency",
            "caption": _("Tỉ lệ hài lòng theo cơ quan xử lý"),
            "header": _("Cơ quan"),
            "rows": [
                {**row, "name": row["agency"] or _("Chưa chuyển cơ quan xử lý")}
                for row in data["satisfaction_by_agency"]
            ],
        },
        {
            "id": "table-satisfaction-category",
            "caption": _("Tỉ lệ hài lòng theo lĩnh vực"),
            "header": _("Lĩnh vực"),
            "rows": [
                {**row, "name": row["category"] or _("Chưa phân loại")}
                for row in data["satisfaction_by_category"]
            ],
        },
    ]


@require_safe
@cache_anonymous_page(PAGE_VERSION_KEYS)
def statistics(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request)
    data = figures(form.filters())
    by_commune = [dict(row) for row in data["by_commune"]]  # the cached copy stays
    _commune_links(request, by_commune)
    return render(
        request,
        "stats/statistics.html",
        {
            "form": form,
            "figures": data,
            "by_commune": by_commune,
            "satisfaction_tables": _satisfaction_tables(data),
            "charts": all_charts(data),
            "average_days": vn_number(data["average_days_to_answer"], 1),
            "average_working_days": vn_number(
                data["average_working_days_to_answer"], 1
            ),
            "period_start": _day(data["period"]["start"]),
            "period_end": _day(data["period"]["end"]),
            "on_time_rate": vn_number(data["on_time_rate"], 1),
            "satisfaction_rate": vn_number(data["satisfaction"]["rate"], 1),
        },
    )


@require_safe
def statistics_json(request: HttpRequest) -> JsonResponse:
    form = _filter_form(request)
    if form.is_bound and form.errors:
        return JsonResponse(
            {"errors": form.errors.get_json_data()},
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    filters = form.filters()
    data = figures(filters)
    return JsonResponse(
        {
            "filters": {
                "start": filters.start.isoformat() if filters.start else None,
                "end": filters.end.isoformat() if filters.end else None,
                "category": filters.category.slug if filters.category else None,
                "commune": filters.commune.pk if filters.commune else None,
            },
            **data,
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
def announcements(request: HttpRequest) -> HttpResponse:
    page = Paginator(Announcement.objects.current(), 10).get_page(
        request.GET.get("trang")
    )
    return render(request, "stats/announcements.html", {"page": page})


@require_safe
def announcement(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_object_or_404(
        Announcement.objects.current().prefetch_related("files"), slug=slug
    )
    return render(request, "stats/announcement.html", {"announcement": item})


@require_safe
def guides(request: HttpRequest) -> HttpResponse:
    return render(request, "stats/guides.html", {"guides": Guide.objects.current()})


@require_safe
def guide(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_object_or_404(Guide.objects.current(), slug=slug)
    context: dict[str, Any] = {"guide": item}
    if item.kind == GuideKind.ZALO:
        context["zalo_qr"] = zalo_qr()
    if item.kind == GuideKind.FACEBOOK:
        context["facebook_url"] = settings.FACEBOOK_PAGE_URL
    context["zalo_url"] = settings.ZALO_OA_URL
    return render(request, "stats/guide.html", context)


@require_safe
def announcement_file(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """Attachments of published announcements only (MEDIA_URL is never routed)."""
    item = get_object_or_404(
        AnnouncementFile.objects.filter(
            announcement__in=Announcement.objects.current()
        ),
        announcement__slug=slug,
        pk=pk,
    )
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=(item.file.name or "").rsplit("/", 1)[-1],
    )
