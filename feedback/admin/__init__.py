from __future__ import annotations

from django.contrib import admin

from feedback.admin.reports import ReportAdmin
from feedback.models import Agency, Category, Official, ReplyTemplate, Report


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "processing_days", "order", "is_active")
    list_editable = ("order", "is_active")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "email", "is_active")
    search_fields = ("name", "code")


# The officials' report desk (issue 4) lives in its own module.
admin.site.register(Report, ReportAdmin)


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
