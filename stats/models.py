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


class SummaryMeasures(models.Model):
    """The sums every figure of /thong-ke/ needs, over a group of reports."""

    status = models.CharField(_("trạng thái"), max_length=16)
    category_id = models.IntegerField(_("lĩnh vực"), default=0)
    agency_id = models.IntegerField(_("cơ quan xử lý"), default=0)
    # The report's commune (places.AdministrativeUnit.code); "" when it has none.
    commune_code = models.CharField(_("xã/phường"), max_length=5, default="")
    count = models.BigIntegerField(_("số phản ánh"), default=0)
    on_time = models.BigIntegerField(_("trả lời đúng hạn"), default=0)
    late = models.BigIntegerField(_("trả lời trễ hạn"), default=0)
    answered = models.BigIntegerField(_("đã trả lời có thời điểm"), default=0)
    answer_seconds = models.BigIntegerField(_("tổng số giây trả lời"), default=0)
    answer_workdays = models.BigIntegerField(
        _("tổng số ngày làm việc trả lời"), default=0
    )
    rated = models.BigIntegerField(_("số đánh giá"), default=0)
    satisfied = models.BigIntegerField(_("số đánh giá hài lòng"), default=0)

    class Meta:
        abstract = True


class ReportSummary(SummaryMeasures):
    """Reports per local filing day, status, category and agency, with the sums
    every figure of /thong-ke/ needs.

    Written only by database triggers on feedback_report and feedback_rating
    (migrations 0003_report_summary_triggers, 0004_report_summary_by_commune), so
    no write path can leave it behind: save(), bulk_create, QuerySet.update, raw
    SQL and COPY all fire them. 0 in category_id / agency_id and "" in
    commune_code stand for "none" (a unique key needs a value).
    Time-dependent figures (overdue) are never stored here: see stats.selectors.
    """

    day = models.DateField(_("ngày gửi"))

    class Meta:
        verbose_name = _("tổng hợp phản ánh")
        verbose_name_plural = _("tổng hợp phản ánh")
        default_permissions = ()  # maintained by the database, never edited
        constraints = [
            models.UniqueConstraint(
                fields=["day", "status", "category_id", "agency_id", "commune_code"],
                name="report_summary_key",
            )
        ]
        # One commune's figures read its rows only (the key starts with the day).
        indexes = [models.Index(fields=["commune_code", "day"], name="summary_commune")]

    def __str__(self) -> str:
        return f"{self.day} {self.status}: {self.count}"


class ReportMonthSummary(SummaryMeasures):
    """ReportSummary added up per filing month (``month`` is its first day), by
    the same triggers: whole months of a period are read from here."""

    month = models.DateField(_("tháng gửi"))

    class Meta:
        verbose_name = _("tổng hợp phản ánh theo tháng")
        verbose_name_plural = _("tổng hợp phản ánh theo tháng")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "month", "status", "category_id", "agency_id", "commune_code",
                ],
                name="report_month_summary_key",
            )
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["commune_code", "month"], name="month_summary_commune")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.status}: {self.count}"


class ReportYearSummary(SummaryMeasures):
    """ReportSummary added up per filing year (``year`` is its 1 January), by the
    same triggers: the page over all time adds up a few years of rows (each
    commune, category and agency apart) instead of five years of months."""

    year = models.DateField(_("năm gửi"))

    class Meta:
        verbose_name = _("tổng hợp phản ánh theo năm")
        verbose_name_plural = _("tổng hợp phản ánh theo năm")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["year", "status", "category_id", "agency_id", "commune_code"],
                name="report_year_summary_key",
            )
        ]
        indexes = [
            models.Index(fields=["commune_code", "year"], name="year_summary_commune")
        ]

    def __str__(self) -> str:
        return f"{self.year:%Y} {self.status}: {self.count}"


class WorkingDayIndex(models.Model):
    """Day -> how many working days there are from 2000-01-01 to it (inclusive).

    The triggers read it to sum answer times in working days: the working days
    between filing and answer are n(answer day) - n(filing day). Filled from the
    working calendar (portal.lib.workdays) by the migration and by stats_rebuild.
    """

    day = models.DateField(primary_key=True)
    n = models.IntegerField()

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.day}: {self.n}"
