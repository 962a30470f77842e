from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from portal.lib.markup import excerpt, plain_text, render_markdown
from portal.lib.text import slugify_vi


def unique_slug(model: type[models.Model], title: str, pk: int | None) -> str:
    """'Thông báo thay đổi' -> 'thong-bao-thay-doi', with -2, -3... when taken."""
    base = slugify_vi(title) or "bai-viet"
    slug, n = base, 1
    while model._default_manager.filter(slug=slug).exclude(pk=pk).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class AnnouncementQuerySet(models.QuerySet["Announcement"]):
    def current(self) -> AnnouncementQuerySet:
        """Published and not scheduled for later; pinned first, newest next."""
        return self.filter(
            is_published=True, published_at__lte=timezone.now()
        ).order_by("-pinned", "-published_at", "-pk")


class Announcement(models.Model):
    title = models.CharField(_("tiêu đề"), max_length=255)
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=220,
        unique=True,
        blank=True,
        help_text=_("Để trống để tạo tự động từ tiêu đề (không dấu)."),
    )
    summary = models.TextField(
        _("tóm tắt"),
        blank=True,
        help_text=_("Hiện trong danh sách; để trống thì lấy đầu nội dung."),
    )
    body = models.TextField(_("nội dung"), help_text=_("Định dạng Markdown."))
    is_published = models.BooleanField(_("công khai"), default=False)
    published_at = models.DateTimeField(
        _("ngày đăng"),
        default=timezone.now,
        help_text=_("Ngày trong tương lai: chỉ hiện khi đến ngày."),
    )
    pinned = models.BooleanField(_("ghim lên đầu"), default=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        ordering = ["-pinned", "-published_at", "-pk"]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        indexes = [
            models.Index(
                fields=["-pinned", "-published_at"],
                condition=models.Q(is_published=True),
                name="announcement_current",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.slug:
            self.slug = unique_slug(Announcement, self.title, self.pk)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("stats:announcement", kwargs={"slug": self.slug})

    @property
    def body_html(self) -> SafeString:
        return mark_safe(render_markdown(self.body))  # noqa: S308 - sanitised by nh3

    @property
    def excerpt(self) -> str:
        source = self.summary or plain_text(render_markdown(self.body))
        return excerpt(strip_tags(source))


def announcement_file_path(instance: AnnouncementFile, filename: str) -> str:
    return f"announcements/{timezone.now():%Y/%m}/{filename}"


class AnnouncementFile(models.Model):
    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="files"
    )
    title = models.CharField(_("tên tệp"), max_length=255)
    file = models.FileField(_("tệp"), upload_to=announcement_file_path, max_length=255)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.title


class GuideKind(models.TextChoices):
    WEB = "web", _("Trên Web")
    APP = "app", _("Trên App")
    ZALO = "zalo", _("Quét mã QR Zalo")
    FACEBOOK = "facebook", _("Trên Facebook")


class GuideQuerySet(models.QuerySet["Guide"]):
    def current(self) -> GuideQuerySet:
        return self.filter(is_published=True).order_by("order", "pk")


class Guide(models.Model):
    title = models.CharField(_("tiêu đề"), max_length=255)
    slug = models.SlugField(_("đường dẫn"), max_length=220, unique=True, blank=True)
    kind = models.CharField(
        _("kênh"), max_length=16, choices=GuideKind.choices, default=GuideKind.WEB
    )
    summary = models.CharField(_("tóm tắt"), max_length=300, blank=True)
    body = models.TextField(_("nội dung"), help_text=_("Định dạng Markdown."))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_published = models.BooleanField(_("công khai"), default=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = GuideQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("hướng dẫn sử dụng")
        verbose_name_plural = _("hướng dẫn sử dụng")

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.slug:
            self.slug = unique_slug(Guide, self.title, self.pk)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("stats:guide", kwargs={"slug": self.slug})

    @property
    def body_html(self) -> SafeString:
        return mark_safe(render_markdown(self.body))  # noqa: S308 - sanitised by nh3


class WebsiteLinkQuerySet(models.QuerySet["WebsiteLink"]):
    def active(self) -> WebsiteLinkQuerySet:
        return self.filter(is_active=True).order_by("order", "name")


class WebsiteLink(models.Model):
    name = models.CharField(_("tên website"), max_length=200)
    url = models.URLField(_("địa chỉ"), max_length=500)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang hiện"), default=True)

    objects = WebsiteLinkQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("liên kết website")
        verbose_name_plural = _("liên kết website")

    def __str__(self) -> str:
        return self.name


class VisitCounter(models.Model):
    """Persisted visitor totals: one row per counter name ("visits")."""

    name = models.CharField(_("tên bộ đếm"), max_length=50, unique=True)
    total = models.PositiveBigIntegerField(_("tổng"), default=0)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("bộ đếm lượt truy cập")
        verbose_name_plural = _("bộ đếm lượt truy cập")

    def __str__(self) -> str:
        return f"{self.name}: {self.total}"


class ReportDaySummary(models.Model):
    """Reports per local filing day, category, agency and status (issue 7).

    /thong-ke/ and the home page add these rows up instead of scanning every report:
    a million reports are ~60,000 rows. stats/summary.py keeps them in step: saving
    or deleting a report marks its day in SummaryDirtyDay, and the next computation
    of the figures rebuilds the marked days first.
    """

    day = models.DateField(_("ngày gửi"))
    category = models.ForeignKey(
        "feedback.Category", null=True, on_delete=models.CASCADE, related_name="+"
    )
    agency = models.ForeignKey(
        "feedback.Agency", null=True, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("trạng thái"), max_length=16)
    count = models.PositiveIntegerField(_("số phản ánh"))
    on_time = models.PositiveIntegerField(_("trả lời đúng hạn"))
    late = models.PositiveIntegerField(_("trả lời trễ hạn"))
    answered = models.PositiveIntegerField(_("đã trả lời"))
    answer_time = models.DurationField(_("tổng thời gian trả lời"), null=True)

    class Meta:
        verbose_name = _("tổng hợp phản ánh theo ngày")
        verbose_name_plural = _("tổng hợp phản ánh theo ngày")
        default_permissions = ()  # internal: nobody edits it in admin
        indexes = [models.Index(fields=["day"], name="summary_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.status}: {self.count}"


class SummaryDirtyDay(models.Model):
    """A filing day whose ReportDaySummary rows must be rebuilt.

    Plain inserts (no unique key), so marking never waits on another transaction.
    """

    day = models.DateField()

    class Meta:
        default_permissions = ()  # internal: nobody edits it in admin

    def __str__(self) -> str:
        return str(self.day)
