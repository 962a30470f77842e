from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy, ngettext

from feedback.admin.reports import ReportAdmin
from feedback.admin.routing import RoutingRuleAdmin
from feedback.deadlines import recompute_deadlines
from feedback.models import (
    Agency,
    Category,
    Official,
    ReplyTemplate,
    Report,
    RoutingRule,
    WorkCalendarDay,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "slug",
        "processing_days",
        "is_urgent",
        "urgent_hours",
        "auto_route",
        "order",
        "is_active",
    )
    list_editable = ("order", "is_active")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


@admin.register(WorkCalendarDay)
class WorkCalendarDayAdmin(admin.ModelAdmin):
    """The year's announced days off (Tết break, nghỉ bù) and swapped working
    days (làm bù); weekends and public holidays need no row."""

    list_display = ("day_display", "weekday", "is_working_day", "reason")
    list_filter = ("is_working_day",)
    date_hierarchy = "day"
    search_fields = ("reason",)
    ordering = ("-day",)

    def save_model(
        self, request: HttpRequest, obj: WorkCalendarDay, form: Any, change: bool
    ) -> None:
        old_day = form.initial.get("day") if change else None
        super().save_model(request, obj, form, change)
        self._recompute(request, min(d for d in (old_day, obj.day) if d))

    def delete_model(self, request: HttpRequest, obj: WorkCalendarDay) -> None:
        super().delete_model(request, obj)
        self._recompute(request, obj.day)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        first = min(queryset.values_list("day", flat=True), default=None)
        super().delete_queryset(request, queryset)
        if first is not None:
            self._recompute(request, first)

    def _recompute(self, request: HttpRequest, since: date) -> None:
        # Open reports' deadlines after the changed day follow the new calendar.
        changed = recompute_deadlines(since=since)
        if changed:
            self.message_user(
                request,
                ngettext(
                    "Đã tính lại hạn của %(n)d phản ánh.",
                    "Đã tính lại hạn của %(n)d phản ánh.",
                    changed,
                )
                % {"n": changed},
                messages.INFO,
            )

    @admin.display(description=gettext_lazy("ngày"), ordering="day")
    def day_display(self, obj: WorkCalendarDay) -> str:
        return obj.day.strftime("%d/%m/%Y")

    @admin.display(description=gettext_lazy("thứ"))
    def weekday(self, obj: WorkCalendarDay) -> str:
        names = [
            gettext_lazy("Thứ Hai"),
            gettext_lazy("Thứ Ba"),
            gettext_lazy("Thứ Tư"),
            gettext_lazy("Thứ Năm"),
            gettext_lazy("Thứ Sáu"),
            gettext_lazy("Thứ Bảy"),
            gettext_lazy("Chủ nhật"),
        ]
        return str(names[obj.day.weekday()])


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "email", "commune", "is_active")
    list_filter = (("commune", admin.EmptyFieldListFilter), "is_active")
    list_select_related = ("commune",)
    search_fields = ("name", "code")
    autocomplete_fields = ("commune",)


# The officials' report desk lives in its own module.
admin.site.register(Report, ReportAdmin)
admin.site.register(RoutingRule, RoutingRuleAdmin)


@admin.register(Official)
class OfficialAdmin(admin.ModelAdmin):
    """Which agency each agency official (group “Cán bộ xử lý”) works for."""

    list_display = ("user", "agency")
    list_filter = ("agency",)
    list_select_related = ("user", "agency")
    search_fields = ("user__username", "user__full_name", "agency__name")
    autocomplete_fields = ("user",)


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    """Ready answers and rejection reasons, picked on the report page.

    Placeholders: {ma_phan_anh}, {tieu_de}, {ngay_gui}, {ngay_tiep_nhan},
    {han_xu_ly}, {ngay_hom_nay}.
    """

    list_display = ("name", "use", "category", "agency", "is_active")
    list_filter = ("use", "is_active", "category", "agency")
    list_select_related = ("category", "agency")
    search_fields = ("name", "text")
    fields = ("name", "use", "text", "category", "agency", "is_active")
