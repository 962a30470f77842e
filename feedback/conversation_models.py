"""The conversation around a report: the reporter's updates and review requests,
followers and area alerts, officials' reply templates and internal notes.

Imported by feedback/models.py, so these are ordinary models of the feedback app.
References to the core models are by name ("feedback.Report") to keep the import
one-way.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_secret() -> str:
    return secrets.token_urlsafe(12)


class ReporterUpdate(models.Model):
    """Something the reporter added to their report after filing it.

    An update (text and photos) while the report is open; a correction of the
    title or content in the first minutes (the original is kept here, for
    officials only); a withdrawal; a request to hide a piece of their own text
    that holds personal data (cleared once an official has redacted it).
    """

    class Kind(models.TextChoices):
        UPDATE = "update", _("Thông tin bổ sung")
        CORRECTION = "correction", _("Sửa tiêu đề, nội dung")
        WITHDRAWAL = "withdrawal", _("Rút phản ánh")
        HIDE_REQUEST = "hide_request", _("Đề nghị ẩn dữ liệu cá nhân")

    report = models.ForeignKey(
        "feedback.Report", on_delete=models.CASCADE, related_name="reporter_updates"
    )
    kind = models.CharField(
        _("loại"), max_length=16, choices=Kind.choices, default=Kind.UPDATE
    )
    text = models.TextField(_("nội dung"), blank=True, max_length=4000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(_("kênh"), max_length=16, default="web")
    # A correction keeps what it replaced (shown to officials only).
    previous_title = models.CharField(
        _("tiêu đề trước khi sửa"), max_length=200, blank=True
    )
    previous_content = models.TextField(_("nội dung trước khi sửa"), blank=True)
    # A hide request is handled when an official has redacted the text.
    handled_at = models.DateTimeField(_("đã xử lý lúc"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xử lý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("thông tin của người gửi")
        verbose_name_plural = _("thông tin của người gửi")
        indexes = [
            models.Index(fields=["report", "created_at"], name="reporter_update_report")
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.kind}"


class ReviewRequest(models.Model):
    """The reporter asked for a review of a resolved report ("Yêu cầu xem xét
    lại"): the report was reopened. ``number`` counts the requests of a report;
    the first goes to the agency, later ones to the intake officers."""

    class RoutedTo(models.TextChoices):
        AGENCY = "agency", _("Cơ quan xử lý")
        INTAKE = "intake", _("Bộ phận tiếp nhận")

    report = models.ForeignKey(
        "feedback.Report", on_delete=models.CASCADE, related_name="review_requests"
    )
    number = models.PositiveSmallIntegerField(_("lần thứ"))
    routed_to = models.CharField(
        _("chuyển đến"), max_length=8, choices=RoutedTo.choices
    )
    # The rating's reasons and comment at the time: a later rating replaces it.
    reasons = models.JSONField(_("lý do"), default=list, blank=True)
    comment = models.TextField(_("góp ý"), blank=True)
    via_questionnaire = models.BooleanField(_("từ phiếu hỏi kết quả"), default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set when an intake officer has looked at a request routed to intake.
    handled_at = models.DateTimeField(_("đã xem xét lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("yêu cầu xem xét lại")
        verbose_name_plural = _("yêu cầu xem xét lại")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="review_request_number_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: #{self.number}"


class Subscription(models.Model):
    """An email address that asked for news, by double opt-in, no account.

    ``secret`` goes into the signed links; it changes when the address
    subscribes again, so links from an earlier subscription stop working.
    """

    email = models.EmailField(_("email"), max_length=254)
    language = models.CharField(_("ngôn ngữ"), max_length=8, default="vi")
    secret = models.CharField(max_length=32, default=new_secret, editable=False)
    created_at = models.DateTimeField(_("đăng ký lúc"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("huỷ lúc"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class Follow(Subscription):
    """Someone follows a public report: told of its status changes and answer."""

    report = models.ForeignKey(
        "feedback.Report", on_delete=models.CASCADE, related_name="follows"
    )

    class Meta:
        verbose_name = _("người theo dõi")
        verbose_name_plural = _("người theo dõi")
        constraints = [
            models.UniqueConstraint(
                "report", Lower("email"), name="follow_once_per_email"
            )
        ]
        indexes = [
            models.Index(
                fields=["report"],
                condition=models.Q(
                    confirmed_at__isnull=False, unsubscribed_at__isnull=True
                ),
                name="follow_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: follow #{self.pk}"


class AreaAlert(Subscription):
    """New public reports in a commune and/or category, as a daily digest."""

    # The commune's official 5-digit code (places.AdministrativeUnit's key).
    commune_code = models.CharField(_("mã xã/phường"), max_length=5, blank=True)
    category = models.ForeignKey(
        "feedback.Category",
        verbose_name=_("lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # Reports that became public after this moment go into the next digest.
    last_sent_at = models.DateTimeField(
        _("gửi bản tin gần nhất lúc"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("đăng ký nhận tin theo khu vực")
        verbose_name_plural = _("đăng ký nhận tin theo khu vực")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(commune_code="") | models.Q(category__isnull=False),
                name="area_alert_has_scope",
            )
        ]

    def __str__(self) -> str:
        return f"alert #{self.pk}"


class ReplyTemplate(models.Model):
    """A ready answer or rejection text an official picks and then edits.

    Placeholders: {ma_phan_anh}, {tieu_de}, {ngay_gui}, {ngay_tiep_nhan},
    {han_xu_ly}, {ngay_hom_nay}.
    """

    class Use(models.TextChoices):
        ANSWER = "answer", _("Trả lời")
        REJECTION = "rejection", _("Không tiếp nhận")

    name = models.CharField(_("tên mẫu"), max_length=150)
    use = models.CharField(_("dùng khi"), max_length=16, choices=Use.choices)
    text = models.TextField(_("nội dung mẫu"), max_length=10_000)
    category = models.ForeignKey(
        "feedback.Category",
        verbose_name=_("lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Để trống: dùng cho mọi lĩnh vực."),
    )
    agency = models.ForeignKey(
        "feedback.Agency",
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Để trống: dùng cho mọi cơ quan."),
    )
    is_active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    class Meta:
        ordering = ["use", "name"]
        verbose_name = _("mẫu trả lời")
        verbose_name_plural = _("mẫu trả lời")

    def __str__(self) -> str:
        return self.name


class InternalNote(models.Model):
    """A note between intake and agency officials on a report; never public."""

    report = models.ForeignKey(
        "feedback.Report", on_delete=models.CASCADE, related_name="internal_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người viết"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("ghi chú nội bộ"), max_length=4000)
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("ghi chú nội bộ")
        verbose_name_plural = _("ghi chú nội bộ")
        indexes = [models.Index(fields=["report", "created_at"], name="note_report")]

    def __str__(self) -> str:
        return f"{self.report_id}: note #{self.pk}"
