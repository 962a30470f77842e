from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from portal.lib import uploads
from stats.models import (
    Announcement,
    AnnouncementFile,
    Guide,
    VisitCounter,
    WebsiteLink,
)


class AnnouncementFileForm(forms.ModelForm):
    """The same content checks as citizens' files: no HTML, SVG or programs."""

    class Meta:
        model = AnnouncementFile
        fields = ["title", "file"]

    def clean_file(self) -> Any:
        value = self.cleaned_data.get("file")
        if isinstance(value, UploadedFile):
            try:
                uploads.check_file(value)
            except uploads.UploadRejected as error:
                raise forms.ValidationError(error.message) from None
        return value


class AnnouncementFileInline(admin.TabularInline):
    model = AnnouncementFile
    form = AnnouncementFileForm
    extra = 1


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["title", "published_at", "is_published", "pinned", "public_link"]
    list_filter = ["is_published", "pinned"]
    search_fields = ["title", "summary"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "updated_at"]
    inlines = [AnnouncementFileInline]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        (
            _("Đăng tải"),
            {
                "fields": [
                    "is_published",
                    "published_at",
                    "pinned",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    @admin.display(description=_("Xem trên cổng"))
    def public_link(self, obj: Announcement) -> SafeString | str:
        if not obj.is_published:
            return "—"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>',
            obj.get_absolute_url(),
            _("Mở"),
        )

    @admin.action(description=_("Công khai các thông báo đã chọn"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Announcement]) -> None:
        count = queryset.update(is_published=True)
        self.message_user(request, _("Đã công khai %(n)d thông báo.") % {"n": count})

    @admin.action(description=_("Ẩn các thông báo đã chọn"))
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Announcement]) -> None:
        count = queryset.update(is_published=False)
        self.message_user(request, _("Đã ẩn %(n)d thông báo.") % {"n": count})


@admin.register(Guide)
class GuideAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "order", "is_published"]
    list_editable = ["order", "is_published"]
    list_filter = ["kind", "is_published"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(WebsiteLink)
class WebsiteLinkAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]


@admin.register(VisitCounter)
class VisitCounterAdmin(admin.ModelAdmin):
    """Read-only: the counters are written by stats.counters alone."""

    list_display = ["name", "total", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
