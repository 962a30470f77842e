from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
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
    # A new address waiting for its owner to open the confirmation link; the link
    # itself carries only a keyed hash of it, never the address.
    pending_email = models.EmailField(
        _("email mới chờ xác nhận"), max_length=254, blank=True
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


class UserSession(models.Model):
    """A session an account signed in with, so that erasing the account can end
    every one of them whatever the session backend (the cache cannot be listed)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("phiên đăng nhập")
        verbose_name_plural = _("phiên đăng nhập")

    def __str__(self) -> str:
        return f"#{self.pk}"


# The legal answer time for a data subject's request (Law 91/2025/QH15 and
# Decree 356/2025/NĐ-CP as the portal applies them), in working days.
REQUEST_ANSWER_WORKING_DAYS = 2


class PersonalDataRequest(models.Model):
    """A person's request about their data, logged and answered on time."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("Xem, sao chép dữ liệu")
        CORRECTION = "correction", _("Chỉnh sửa dữ liệu")
        ERASURE = "erasure", _("Xoá dữ liệu")
        OBJECTION = "objection", _("Phản đối, hạn chế xử lý")

    class State(models.TextChoices):
        OPEN = "open", _("Đang xử lý")
        ANSWERED = "answered", _("Đã trả lời")
        REFUSED = "refused", _("Từ chối (có lý do)")

    kind = models.CharField(_("loại yêu cầu"), max_length=16, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="personal_data_requests",
    )
    requester = models.CharField(
        _("người yêu cầu"),
        max_length=200,
        help_text=_("Họ tên và cách liên hệ, như người yêu cầu đã cung cấp."),
    )
    received_at = models.DateTimeField(_("nhận lúc"), default=timezone.now)
    state = models.CharField(
        _("tình trạng"), max_length=10, choices=State.choices, default=State.OPEN
    )
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ xử lý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("ghi chú xử lý"), blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("yêu cầu về dữ liệu cá nhân")
        verbose_name_plural = _("yêu cầu về dữ liệu cá nhân")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.received_at:%d/%m/%Y}"

    @property
    def due_on(self) -> date:
        """The last day of the answer time: computed, so always true to the calendar."""
        # The portal's one working calendar (holidays and the announced days off).
        from feedback.calendar import working_calendar

        due = working_calendar().add_working_days(
            self.received_at, REQUEST_ANSWER_WORKING_DAYS
        )
        return timezone.localdate(due)

    def is_overdue(self, today: date | None = None) -> bool:
        if self.state != self.State.OPEN:
            return False
        return (today or timezone.localdate()) > self.due_on
