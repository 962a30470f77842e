from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from open311.models import ExternalMedia, Partner, PartnerSubmission, PartnerUpdate


def _show_key(request: HttpRequest, partner: Partner, raw: str) -> None:
    # Shown once: only the hash is stored, so a lost key is replaced, not recovered.
    messages.warning(
        request,
        _(
            "Khoá API của “%(name)s”: %(key)s — hãy sao chép và gửi cho đối tác "
            "qua kênh an toàn ngay bây giờ; khoá sẽ không hiện lại."
        )
        % {"name": partner.name, "key": raw},
    )


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "channel",
        "is_active",
        "rate_limit",
        "key_prefix",
        "submission_count",
        "created_at",
    ]
    list_filter = ["channel", "is_active"]
    search_fields = ["name", "contact"]
    readonly_fields = ["key_prefix", "created_at"]
    fields = ["name", "contact", "channel", "is_active", "rate_limit", *readonly_fields]
    actions = ["rotate_keys", "revoke"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Partner]:
        return super().get_queryset(request).annotate(count=Count("submissions"))

    @admin.display(description=gettext_lazy("Số phản ánh đã gửi"), ordering="count")
    def submission_count(self, obj: Partner) -> int:
        return int(getattr(obj, "count", 0))

    def save_model(
        self, request: HttpRequest, obj: Partner, form: ModelForm, change: bool
    ) -> None:
        raw = obj.issue_key() if not change else ""
        super().save_model(request, obj, form, change)
        if raw:
            _show_key(request, obj, raw)

    @admin.action(description=gettext_lazy("Cấp khoá API mới (khoá cũ hết hiệu lực)"))
    def rotate_keys(self, request: HttpRequest, queryset: QuerySet[Partner]) -> None:
        for partner in queryset:
            raw = partner.issue_key()
            partner.save(update_fields=["key_prefix", "key_hash"])
            _show_key(request, partner, raw)

    @admin.action(description=gettext_lazy("Thu hồi khoá API (ngừng hoạt động)"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[Partner]) -> None:
        count = queryset.update(is_active=False)
        self.message_user(
            request, _("Đã thu hồi khoá của %(count)s đối tác.") % {"count": count}
        )


@admin.register(PartnerSubmission)
class PartnerSubmissionAdmin(admin.ModelAdmin):
    list_display = ["report", "partner", "created_at"]
    list_filter = ["partner"]
    list_select_related = ["report", "partner"]
    search_fields = ["report__code"]
    readonly_fields = ["report", "partner", "token", "created_at"]
    fields = ["report", "partner", "token", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ExternalMedia)
class ExternalMediaAdmin(admin.ModelAdmin):
    """Photo links a partner sent from hosts the portal does not fetch from."""

    list_display = ["report", "link", "created_at"]
    list_select_related = ["report"]
    search_fields = ["report__code"]
    readonly_fields = ["report", "link", "created_at"]
    fields = ["report", "link", "created_at"]

    @admin.display(description=gettext_lazy("Đường dẫn (mở ở thẻ mới, không tải về)"))
    def link(self, obj: ExternalMedia) -> str:
        # Opened by the official's own browser, without telling the host where
        # the official came from.
        return format_html(
            '<a href="{}" target="_blank" rel="noopener noreferrer nofollow">{}</a>',
            obj.url,
            obj.url,
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(PartnerUpdate)
class PartnerUpdateAdmin(admin.ModelAdmin):
    list_display = ["update", "partner", "external_id", "created_at"]
    list_filter = ["partner"]
    list_select_related = ["update__report", "partner"]
    search_fields = ["update__report__code", "external_id"]
    readonly_fields = ["update", "partner", "external_id", "created_at"]
    fields = ["update", "partner", "external_id", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
