"""Partner apps that file reports through the Open311 GeoReport v2 API."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback.models import Channel, Report

KEY_PREFIX = "pa311_"


def hash_key(raw: str) -> str:
    # The keys are 256 random bits: a plain SHA-256 cannot be reversed or
    # brute-forced, and unlike a password hasher it costs nothing per request.
    return hashlib.sha256(raw.encode()).hexdigest()


class PartnerQuerySet(models.QuerySet["Partner"]):
    def by_key(self, raw: str) -> Partner | None:
        if not raw:
            return None
        return self.filter(key_hash=hash_key(raw)).first()


class Partner(models.Model):
    CHANNELS = [choice for choice in Channel.choices if choice[0] != Channel.WEB]

    name = models.CharField(_("tên đối tác"), max_length=200, unique=True)
    contact = models.TextField(
        _("liên hệ"), blank=True, help_text=_("Người phụ trách, email, điện thoại.")
    )
    channel = models.CharField(
        _("kênh"), max_length=16, choices=CHANNELS, default=Channel.PARTNER
    )
    is_active = models.BooleanField(
        _("đang hoạt động"),
        default=True,
        help_text=_(
            "Bỏ chọn để thu hồi khoá API: mọi yêu cầu gửi bằng khoá bị từ chối."
        ),
    )
    rate_limit = models.PositiveIntegerField(
        _("số phản ánh tối đa mỗi giờ"),
        default=120,
        help_text=_("0: không giới hạn."),
    )
    key_prefix = models.CharField(
        _("đầu khoá API"), max_length=16, blank=True, editable=False
    )
    key_hash = models.CharField(
        _("mã băm khoá API"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("đối tác Open311")
        verbose_name_plural = _("đối tác Open311")

    def __str__(self) -> str:
        return self.name

    def issue_key(self) -> str:
        """A new API key (the old one stops working); only its hash is stored."""
        raw = KEY_PREFIX + secrets.token_urlsafe(32)
        self.key_prefix = raw[: len(KEY_PREFIX) + 4]
        self.key_hash = hash_key(raw)
        return raw


class PartnerSubmission(models.Model):
    """Which partner filed a report, and the token it was given for it."""

    report = models.OneToOneField(
        Report,
        verbose_name=_("phản ánh"),
        on_delete=models.CASCADE,
        related_name="partner_submission",
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("đối tác"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    token = models.CharField(_("token"), max_length=40, unique=True)
    device_id = models.CharField(_("mã thiết bị"), max_length=100, blank=True)
    account_id = models.CharField(
        _("mã tài khoản ở đối tác"), max_length=100, blank=True
    )
    created_at = models.DateTimeField(_("gửi lúc"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("phản ánh gửi qua đối tác")
        verbose_name_plural = _("phản ánh gửi qua đối tác")

    def __str__(self) -> str:
        return f"{self.partner} → {self.report.code}"


class ExternalMedia(models.Model):
    """A photo link a partner sent from a host the portal does not fetch from.

    Kept for officials to open themselves (an external link, never fetched or
    shown on public pages): fetching arbitrary URLs would let any partner make the
    portal's server call hosts of their choosing.
    """

    report = models.ForeignKey(
        Report,
        verbose_name=_("phản ánh"),
        on_delete=models.CASCADE,
        related_name="external_media",
    )
    url = models.URLField(_("đường dẫn ảnh bên ngoài"), max_length=2000)
    created_at = models.DateTimeField(_("nhận lúc"), default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("ảnh bên ngoài (chưa tải về)")
        verbose_name_plural = _("ảnh bên ngoài (chưa tải về)")

    def __str__(self) -> str:
        return self.url


class PartnerUpdate(models.Model):
    """A citizen's update a partner sent (POST servicerequestupdates).

    ``external_id`` is the partner's own id of the update (FixMyStreet's
    ``update_id``): the same update sent twice is stored once.
    """

    partner = models.ForeignKey(
        Partner,
        verbose_name=_("đối tác"),
        on_delete=models.PROTECT,
        related_name="updates",
    )
    update = models.OneToOneField(
        "feedback.ReporterUpdate",
        verbose_name=_("thông tin của người gửi"),
        on_delete=models.CASCADE,
        related_name="partner_update",
    )
    external_id = models.CharField(_("mã cập nhật ở đối tác"), max_length=100)
    created_at = models.DateTimeField(_("nhận lúc"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("cập nhật gửi qua đối tác")
        verbose_name_plural = _("cập nhật gửi qua đối tác")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "external_id"],
                condition=~models.Q(external_id=""),
                name="partner_update_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} → {self.external_id or self.update_id}"
