"""Routing rules in admin: category × commune → agency, in priority order."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = (
        "priority",
        "category_label",
        "commune_label",
        "target",
        "is_active",
    )
    list_display_links = ("category_label",)
    list_editable = ("priority", "is_active")
    list_filter = ("is_active", "to_commune_committee", "category")
    list_select_related = ("category", "commune", "agency")
    search_fields = ("category__name", "commune__name", "agency__name")
    autocomplete_fields = ("commune", "agency")
    ordering = ("priority", "pk")
    fieldsets = (
        (None, {"fields": ("category", "commune")}),
        (_("Chuyển đến"), {"fields": ("agency", "to_commune_committee")}),
        (None, {"fields": ("priority", "is_active")}),
    )

    @admin.display(description=_("lĩnh vực"), ordering="category__name")
    def category_label(self, obj: object) -> str:
        return str(getattr(obj, "category", None) or _("Mọi lĩnh vực"))

    @admin.display(description=_("xã/phường"), ordering="commune__name")
    def commune_label(self, obj: object) -> str:
        return str(getattr(obj, "commune", None) or _("Mọi xã/phường"))

    @admin.display(description=_("cơ quan xử lý"))
    def target(self, obj: object) -> str:
        if getattr(obj, "to_commune_committee", False):
            return str(_("UBND xã/phường nơi xảy ra"))
        return str(getattr(obj, "agency", "") or "")
