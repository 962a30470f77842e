from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import two_factor
from accounts.models import REQUEST_ANSWER_WORKING_DAYS, PersonalDataRequest, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = (
        "username",
        "full_name",
        "email",
        "is_active",
        "is_staff",
        "date_joined",
    )
    list_filter = ("is_active", "is_staff", "is_superuser", "groups")
    search_fields = ("username", "full_name", "email", "phone", "id_number")
    ordering = ("-date_joined",)
    actions = ["reset_second_factor"]
    readonly_fields = ("last_login", "date_joined", "email_confirmed_at", "consent_at")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Thông tin cá nhân"),
            {"fields": ("full_name", "id_number", "address", "email", "phone")},
        ),
        (
            _("Quyền"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (
            _("Mốc thời gian"),
            {
                "fields": (
                    "last_login",
                    "date_joined",
                    "email_confirmed_at",
                    "consent_at",
                )
            },
        ),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "full_name", "password1", "password2"),
            },
        ),
    )

    @admin.action(description=_("Cấp lại xác thực hai bước (thiết bị bị mất)"))
    def reset_second_factor(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> None:
        """Remove the devices: the official enrols again at the next admin visit."""
        if not request.user.is_superuser:
            self.message_user(
                request,
                gettext(
                    "Chỉ quản trị viên cấp cao mới cấp lại được xác thực hai bước."
                ),
                messages.ERROR,
            )
            return
        for user in queryset:
            removed = two_factor.reset_devices(user)
            # Recorded in the account's admin history: who reset, when, how many.
            self.log_change(
                request,
                user,
                gettext("Đã xoá %(count)s thiết bị xác thực hai bước (cấp lại).")
                % {"count": removed},
            )
        self.message_user(
            request,
            gettext(
                "Đã cấp lại xác thực hai bước cho %(count)s tài khoản; họ sẽ thiết lập "
                "lại ở lần vào trang quản trị tới."
            )
            % {"count": queryset.count()},
            messages.SUCCESS,
        )


class OverdueFilter(admin.SimpleListFilter):
    title = _("hạn trả lời")
    parameter_name = "qua_han"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("1", _("Quá hạn")), ("0", _("Còn hạn hoặc đã trả lời"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        if self.value() not in ("0", "1"):
            return queryset
        # The due day comes from the working calendar, not a column: decided per
        # open request (a short list), so it always follows the calendar.
        today = timezone.localdate()
        overdue = [
            item.pk
            for item in queryset.filter(state=PersonalDataRequest.State.OPEN)
            if item.is_overdue(today)
        ]
        if self.value() == "1":
            return queryset.filter(pk__in=overdue)
        return queryset.exclude(pk__in=overdue)


@admin.register(PersonalDataRequest)
class PersonalDataRequestAdmin(admin.ModelAdmin):
    """The log of people's requests about their data, with the legal answer time."""

    list_display = (
        "kind",
        "requester",
        "received_at",
        "due",
        "state",
        "overdue",
        "answered_at",
        "handled_by",
    )
    list_filter = (OverdueFilter, "state", "kind")
    search_fields = ("requester",)
    date_hierarchy = "received_at"
    list_select_related = ("handled_by",)
    autocomplete_fields = ("user",)
    readonly_fields = ("due",)
    fields = (
        "kind",
        "requester",
        "user",
        "received_at",
        "due",
        "state",
        "answered_at",
        "handled_by",
        "note",
    )

    @admin.display(
        description=_("hạn trả lời (%(days)s ngày làm việc)")
        % {"days": REQUEST_ANSWER_WORKING_DAYS}
    )
    def due(self, obj: PersonalDataRequest) -> Any:
        if obj.received_at is None:
            return "—"
        return obj.due_on

    @admin.display(description=_("quá hạn"))
    def overdue(self, obj: PersonalDataRequest) -> Any:
        if obj.is_overdue():
            return format_html('<strong class="text-danger">{}</strong>', _("Quá hạn"))
        return "—"

    def save_model(
        self, request: HttpRequest, obj: Any, form: Any, change: bool
    ) -> None:
        if obj.state != PersonalDataRequest.State.OPEN and obj.answered_at is None:
            obj.answered_at = timezone.now()
        if obj.handled_by_id is None:
            obj.handled_by = request.user
        super().save_model(request, obj, form, change)
