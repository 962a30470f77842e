from __future__ import annotations

from django.contrib import admin

from feedback.admin.reports import ReportAdmin
from feedback.admin.routing import RoutingRuleAdmin
from feedback.models import Agency, Category, Official, Report, RoutingRule


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = (
        "name", "slug", "processing_days", "auto_route", "order", "is_active",
    )  # fmt: skip
    list_editable = ("order", "is_active")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


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
