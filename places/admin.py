from __future__ import annotations

from django.contrib import admin

from places.models import AdministrativeUnit


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "type", "province_name", "former_ninh_thuan"]
    list_filter = ["type", "former_ninh_thuan"]
    search_fields = ["code", "name", "search_text"]
    readonly_fields = ["search_text"]
    ordering = ["code"]
