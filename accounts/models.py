from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class CitizenUserManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(username__iexact=username)


class User(AbstractUser):
    """A citizen, an official or an editor.

    Citizens register with the seed's personal fields; officials and editors are
    created in admin and may leave them empty. Usernames and emails are unique
    regardless of case.
    """

    email = models.EmailField(_("email"), max_length=254)
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    id_number = models.CharField(_("CMND/CCCD"), max_length=12, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=11, blank=True)
    email_confirmed_at = models.DateTimeField(
        _("xác nhận email lúc"), null=True, blank=True
    )
    consent_at = models.DateTimeField(
        _("đồng ý xử lý dữ liệu cá nhân lúc"), null=True, blank=True
    )
    # The version (settings.CONSENT_VERSION) of the report form's consent text this
    # account agreed to: the box is not asked again until the text changes.
    report_consent_version = models.CharField(
        _("phiên bản nội dung đồng ý đã chấp nhận khi gửi phản ánh"),
        max_length=20,
        blank=True,
    )
    report_consent_at = models.DateTimeField(
        _("đồng ý khi gửi phản ánh lúc"), null=True, blank=True
    )

    REQUIRED_FIELDS = ["email"]

    objects = CitizenUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.UniqueConstraint(
                "id_number",
                condition=~models.Q(id_number=""),
                name="user_id_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username
