from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import two_factor
from accounts.models import User


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
