from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxEmail(models.Model):
    """A rendered email waiting for ``manage.py send_emails`` (EMAIL_QUEUE=1)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi")

    template = models.CharField(_("mẫu"), max_length=100)
    to = models.EmailField(_("người nhận"), max_length=254)
    subject = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"))
    html = models.TextField(_("nội dung HTML"), blank=True)
    # Extra message headers, e.g. List-Unsubscribe on follower emails.
    headers = models.JSONField(_("trường đầu thư bổ sung"), default=dict, blank=True)
    state = models.CharField(
        _("tình trạng"), max_length=8, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    next_attempt_at = models.DateTimeField(_("thử lại lúc"), default=timezone.now)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("email chờ gửi")
        verbose_name_plural = _("hộp thư đi")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(state="pending"),
                name="outbox_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.template} #{self.pk}"
