from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from portal.lib import uploads
from portal.lib.markup import render_markdown
from stats.models import (
    Announcement,
    AnnouncementFile,
    Guide,
    VisitCounter,
    WebsiteLink,
)


class AnnouncementFileForm(forms.ModelForm):
    """The same content checks as citizens' files: no HTML, SVG or programs; a
    photo is stored as its re-encoded copy, without its metadata (an official's
    phone writes where it was taken)."""

    class Meta:
        model = AnnouncementFile
        fields = ["title", "file"]

    def clean_file(self) -> Any:
        value = self.cleaned_data.get("file")
        if isinstance(value, UploadedFile):
            try:
                checked = uploads.check_file(value)
            except uploads.UploadRejected as error:
                raise forms.ValidationError(error.message) from None
            if checked.clean is not None:
                stem = checked.name.rsplit(".", 1)[0]
                name = f"{stem}.{checked.clean.extension}"
                return ContentFile(checked.clean.content, name=name)
        return value


class AnnouncementFileInline(admin.TabularInline):
    model = AnnouncementFile
    form = AnnouncementFileForm
    extra = 1

    def formfield_for_dbfield(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> Any:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            # A table cell has its column heading, not a label: name each input.
            field.widget.attrs["aria-label"] = str(db_field.verbose_name)
        return field


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["title", "published_at", "is_published", "pinned", "public_link"]
    list_filter = ["is_published", "pinned"]
    search_fields = ["title", "summary"]
    date_hierarchy = "published_at"
    # No prepopulated_fields: the admin's JavaScript slug drops Vietnamese letters
    # ("Lịch" -> "lch"); a blank slug is made on save by portal.lib.text.slugify_vi.
    readonly_fields = ["body_preview", "created_at", "updated_at"]
    inlines = [AnnouncementFileInline]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body", "body_preview"]}),
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

    class Media:
        css = {"all": ["css/admin-reports.css"]}
        js = ["js/markdown-preview.js"]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        # A new announcement is published at once unless the editor unticks it or
        # picks a later date (it then appears on that date).
        return {"is_published": True, **super().get_changeform_initial_data(request)}

    def formfield_for_dbfield(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> Any:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "body" and field is not None:
            field.widget.attrs["data-preview-url"] = reverse(
                "admin:stats_announcement_preview"
            )
            field.widget.attrs["data-preview-label"] = str(_("Xem trước"))
            field.help_text = _(
                "Định dạng Markdown: **đậm**, *nghiêng*, [liên kết](https://...), "
                "dòng bắt đầu bằng “- ” là danh sách. Bấm “Xem trước” để xem "
                "như trên cổng."
            )
        if db_field.name == "published_at" and field is not None:
            # The admin's split widget writes "Ngày:" and "Giờ:" as bare text.
            day, time = field.widget.widgets
            day.attrs["aria-label"] = str(_("Ngày đăng: ngày"))
            time.attrs["aria-label"] = str(_("Ngày đăng: giờ"))
        if db_field.name == "is_published" and field is not None:
            field.help_text = _(
                "Bỏ chọn để lưu bản nháp. Với ngày đăng trong tương lai, thông báo "
                "tự hiện khi đến ngày."
            )
        return field

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "xem-truoc/",
                self.admin_site.admin_view(require_POST(self.preview_view)),
                name="stats_announcement_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest) -> HttpResponse:
        """The body as the public page shows it, for the editor's preview."""
        if not (
            self.has_add_permission(request) or self.has_change_permission(request)
        ):
            raise PermissionDenied
        body = request.POST.get("body", "")[:100_000]
        return HttpResponse(
            render_markdown(body), content_type="text/html; charset=utf-8"
        )

    @admin.display(description=_("Xem trước nội dung"))
    def body_preview(self, obj: Announcement) -> SafeString | str:
        if not obj.body:
            return "—"
        return format_html(
            '<div class="markdown-preview" data-markdown-preview>{}</div>',
            obj.body_html,
        )

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
