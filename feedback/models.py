from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback import calendar
from feedback.search import Ranked, ranked
from portal.lib.codes import generate_code
from portal.lib.text import mask_name, strip_accents

DEFAULT_PROCESSING_DAYS = 10


def search_key(text: str) -> str:
    """The form of text that Report.search_text stores and searches."""
    return " ".join(strip_accents(text).lower().split())


class Status(models.TextChoices):
    NEW = "new", _("Chờ tiếp nhận")
    ACCEPTED = "accepted", _("Đã tiếp nhận")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    RESOLVED = "resolved", _("Đã xử lý")
    REJECTED = "rejected", _("Không tiếp nhận")


# The moves between them are the table in feedback/workflow.py.
OPEN_STATUSES = (Status.NEW, Status.ACCEPTED, Status.IN_PROGRESS)


def overdue_q(now: datetime | None = None) -> Q:
    """THE definition of overdue: open, and the current deadline has passed."""
    return Q(status__in=OPEN_STATUSES, deadline__lt=now or timezone.now())


def due_soon_q(now: datetime | None = None) -> Q:
    """THE definition of due soon: open, not yet overdue, and the deadline falls
    within DEADLINE_WARNING_WORKING_DAYS working days."""
    now = now or timezone.now()
    return Q(
        status__in=OPEN_STATUSES,
        deadline__gte=now,
        deadline__lte=calendar.due_soon_horizon(now),
    )


class Channel(models.TextChoices):
    WEB = "web", _("Website")
    APP = "app", _("Ứng dụng")
    ZALO = "zalo", _("Zalo")
    FACEBOOK = "facebook", _("Facebook")
    PARTNER = "partner", _("Ứng dụng đối tác")


class TransitionError(Exception):
    """A status change that the workflow refuses; ``message`` is for people."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = str(message)


class StaleTransition(TransitionError):
    """Someone else changed the report between reading and acting on it."""


class Category(models.Model):
    name = models.CharField(_("tên lĩnh vực"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    processing_days = models.PositiveSmallIntegerField(
        _("số ngày làm việc để xử lý"), default=DEFAULT_PROCESSING_DAYS
    )
    is_urgent = models.BooleanField(
        _("khẩn"),
        default=False,
        db_default=False,
        help_text=_("Phản ánh thuộc lĩnh vực này được xử lý khẩn, tính theo giờ."),
    )
    urgent_hours = models.PositiveSmallIntegerField(
        _("số giờ làm việc để xử lý khẩn"),
        null=True,
        blank=True,
        help_text=_("Để trống: theo mặc định của hệ thống."),
    )
    auto_route = models.BooleanField(
        _("tự động chuyển xử lý khi tiếp nhận"),
        default=False,
        db_default=False,
        help_text=_(
            "Khi tiếp nhận một phản ánh thuộc lĩnh vực này, chuyển ngay đến cơ quan "
            "theo quy tắc phân công (nếu có quy tắc phù hợp)."
        ),
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    name = models.CharField(_("tên cơ quan"), max_length=200, unique=True)
    code = models.SlugField(_("mã cơ quan"), max_length=50, unique=True)
    email = models.EmailField(_("email nhận thông báo"), blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    # Set for a commune's People's Committee (UBND xã/phường/đặc khu); empty for a
    # provincial department (Sở) or any other agency.
    commune = models.ForeignKey(
        "places.AdministrativeUnit",
        verbose_name=_("UBND của xã/phường"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("cơ quan xử lý")
        verbose_name_plural = _("cơ quan xử lý")

    def __str__(self) -> str:
        return self.name


PUBLIC_STATUSES = (Status.ACCEPTED, Status.IN_PROGRESS, Status.RESOLVED)


class ReportQuerySet(models.QuerySet["Report"]):
    def public(self) -> ReportQuerySet:
        """Reports the public may see: accepted or later, consented, not hidden.

        The answer of a public report is public only once published (see
        published()); personal data never is.
        """
        return self.filter(
            status__in=PUBLIC_STATUSES, allow_publish=True, is_hidden=False
        )

    def published(self) -> ReportQuerySet:
        """Resolved reports whose reporter consented and an official published.

        A report an official hid is not public, and neither is its answer.
        """
        return self.filter(
            status=Status.RESOLVED,
            allow_publish=True,
            is_published=True,
            is_hidden=False,
        )

    def open(self) -> ReportQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now: datetime | None = None) -> ReportQuerySet:
        return self.filter(overdue_q(now))

    def due_soon(self, now: datetime | None = None) -> ReportQuerySet:
        return self.filter(due_soon_q(now))

    def ranked_search(self, query: str, **filters: Any) -> Ranked | None:
        """The newest public reports matching ``query`` (search.MAX_RANKED),
        best first, as the public list pages them; bounded work however
        frequent the words. ``filters``: status, category, commune (what the
        search table holds besides the words); this queryset is public reports,
        whose page is read from it. None if ``query`` has no word to search."""
        return ranked(self.filter(**filters), search_key(query), filters)

    def of_reporter(self, user: Any) -> ReportQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(reporter=user)

    def visible_to(self, user: Any) -> ReportQuerySet:
        """The reports an official may open in admin: THE per-agency access rule.

        Superusers and intake officers see every report; an agency official sees
        only the reports routed to their agency; everybody else sees none.
        """
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser or user.has_perm("feedback.triage_report"):
            return self.all()
        if user.has_perm("feedback.process_report"):
            # A subquery, not a second round trip; no Official row -> no report.
            return self.filter(
                agency_id__in=Official.objects.filter(user=user).values("agency_id")
            )
        return self.none()


class Report(models.Model):
    code = models.CharField(_("mã phản ánh"), max_length=12, unique=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản người gửi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    full_name = models.CharField(_("họ và tên"), max_length=150)
    id_number = models.CharField(_("CMND/CCCD"), max_length=12)
    email = models.EmailField(_("email"), max_length=254)
    phone = models.CharField(_("số điện thoại"), max_length=11)
    location = models.CharField(_("vị trí diễn ra"), max_length=500)
    commune = models.ForeignKey(
        "places.AdministrativeUnit",
        verbose_name=_("xã/phường"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    # WGS84 decimal degrees from the map pin or the phone's GPS (6 places ~ 0.1 m).
    latitude = models.DecimalField(
        _("vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    title = models.CharField(_("tiêu đề"), max_length=200)
    content = models.TextField(_("nội dung"))
    category = models.ForeignKey(
        Category,
        verbose_name=_("lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.NEW
    )
    channel = models.CharField(
        _("kênh gửi"), max_length=16, choices=Channel.choices, default=Channel.WEB
    )
    allow_publish = models.BooleanField(
        _("người gửi đồng ý công khai trả lời"), default=False
    )
    is_published = models.BooleanField(_("đã công khai"), default=False)
    # An official withdrew the report from public pages despite the consent.
    # db_default too: raw inserts (COPY in feedback/bulk.py) get it as well.
    is_hidden = models.BooleanField(
        _("ẩn khỏi trang công khai"), default=False, db_default=False
    )
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    rejection_reason = models.TextField(_("lý do không tiếp nhận"), blank=True)
    # db_default too: rows written by COPY or raw SQL are not urgent unless said.
    is_urgent = models.BooleanField(_("khẩn"), default=False, db_default=False)
    # The current deadline: to accept or reject while new (working hours), to
    # answer once accepted (working days, or hours when urgent).
    deadline = models.DateTimeField(_("hạn xử lý"), null=True, blank=True)
    created_at = models.DateTimeField(_("ngày gửi"), default=timezone.now)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    accepted_at = models.DateTimeField(_("ngày tiếp nhận"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("ngày trả lời"), null=True, blank=True)
    consent_at = models.DateTimeField(_("đồng ý xử lý dữ liệu cá nhân lúc"))
    # The language the report was filed in: the reporter's emails are written in it.
    language = models.CharField(
        _("ngôn ngữ của người gửi"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        db_default="",  # rows written by COPY or raw SQL: the portal's language
    )
    anonymised_at = models.DateTimeField(
        _("ẩn danh hoá dữ liệu cá nhân lúc"), null=True, blank=True
    )
    # Title and content without accents, lower case: what SQLite searches
    # (PostgreSQL searches SearchEntry, copied from the generated search_vector
    # column). Filled in save(); see search_key() and search_check.
    search_text = models.TextField(_("chuỗi tìm kiếm"), blank=True, editable=False)
    # "Sự việc đã được giải quyết chưa?": sent at most once (the update that sets
    # it is conditional on it being empty), never to a reporter who opted out.
    questionnaire_sent_at = models.DateTimeField(
        _("gửi phiếu hỏi kết quả lúc"), null=True, blank=True
    )
    questionnaire_opt_out = models.BooleanField(
        _("người gửi không nhận phiếu hỏi kết quả"), default=False, db_default=False
    )
    # Set when the reporter withdraws the report within the correction window;
    # the report is then rejected with that reason (the statistics can tell).
    withdrawn_at = models.DateTimeField(_("người gửi rút lúc"), null=True, blank=True)
    # Rejected as a duplicate of this earlier report (feedback/duplicates.py).
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("trùng với phản ánh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("phản ánh")
        verbose_name_plural = _("phản ánh")
        indexes = [
            models.Index(fields=["status", "created_at"], name="report_status_created"),
            models.Index(fields=["category", "status"], name="report_category_status"),
            models.Index(fields=["agency", "status"], name="report_agency_status"),
            models.Index(
                fields=["deadline"],
                # Covering (PostgreSQL): the overdue counts per agency and commune
                # of the stats read the index only, not ~45,000 heap pages at a
                # million reports.
                include=["agency", "commune", "created_at"],
                condition=Q(status__in=["new", "accepted", "in_progress"]),
                name="report_open_deadline",
            ),
            models.Index(
                fields=["-resolved_at"],
                condition=Q(status="resolved", allow_publish=True, is_published=True),
                name="report_published",
            ),
            models.Index(fields=["reporter", "-created_at"], name="report_reporter"),
            # One filing day's reports, for the stats day summary.
            models.Index(fields=["created_at"], name="report_created"),
            # The bounding-box prefilter of nearby/duplicate queries and the map:
            # a range on latitude, then longitude checked inside the index.
            models.Index(
                fields=["latitude", "longitude"],
                condition=Q(latitude__isnull=False, longitude__isnull=False),
                name="report_lat_long",
            ),
            # Public reports near a pin in the last days (the nearby step, its JSON):
            # the box and the date checked inside the index, the category beside.
            models.Index(
                fields=["latitude", "longitude", "created_at"],
                include=["category"],
                condition=Q(
                    status__in=PUBLIC_STATUSES,
                    allow_publish=True,
                    is_hidden=False,
                    latitude__isnull=False,
                    longitude__isnull=False,
                ),
                name="report_public_place",
            ),
            models.Index(fields=["commune", "status"], name="report_commune_status"),
            # The public reports newest first (Open311's list, the public list):
            # a backward scan over only the rows shown, no sort, no filter.
            models.Index(
                fields=["-created_at", "-id"],
                condition=Q(
                    status__in=["accepted", "in_progress", "resolved"],
                    allow_publish=True,
                    is_hidden=False,
                ),
                name="report_public_created",
            ),
        ]
        # Officials' roles (see feedback/roles.py); checked by feedback/permissions.py.
        permissions = [
            ("triage_report", _("Tiếp nhận, phân loại và chuyển xử lý mọi phản ánh")),
            ("process_report", _("Xử lý phản ánh được chuyển đến cơ quan mình")),
            ("view_personal_data", _("Xem dữ liệu cá nhân của người gửi")),
            ("export_report", _("Xuất danh sách phản ánh")),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding:
            self.fill_filing_defaults()
        self.search_text = search_key(f"{self.title}\n{self.content}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and (
            "title" in update_fields or "content" in update_fields
        ):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_status_display(self) -> str:  # type: ignore[no-redef]
        """The status's label, as Django's own method gives it. Django's rebuilds
        the dict of every choice on each call, hashing each lazy label (a
        translation each): about a tenth of the public list's rendering, measured."""
        try:
            return str(Status(self.status).label)
        except ValueError:  # not a status (never saved so): shown as it is
            return str(self.status)

    @classmethod
    def new_code(cls) -> str:
        """A tracking code no report has yet (collisions are rare but checked)."""
        while True:
            code = generate_code()
            if not cls.objects.filter(code=code).exists():
                return code

    @property
    def masked_name(self) -> str:
        return mask_name(self.full_name)

    @property
    def is_public(self) -> bool:
        """The same test as Report.objects.public(), on this row."""
        return (
            self.status in PUBLIC_STATUSES and self.allow_publish and not self.is_hidden
        )

    @property
    def may_be_original(self) -> bool:
        """Another report may be rejected as its duplicate: it is being handled or
        answered, not rejected, and not itself a duplicate."""
        return self.status != Status.REJECTED and self.duplicate_of_id is None

    @property
    def was_public(self) -> bool:
        """Consented and accepted: its code has been shown on public pages."""
        return self.allow_publish and (
            self.accepted_at is not None or self.status in PUBLIC_STATUSES
        )

    @property
    def approximate_point(self) -> tuple[float, float] | None:
        """The pin rounded to 3 decimals (about 100 m): what public pages show."""
        if self.latitude is None or self.longitude is None:
            return None
        return (round(float(self.latitude), 3), round(float(self.longitude), 3))

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def fill_filing_defaults(self) -> None:
        """A new report's urgency (from its category) and intake deadline.

        Called by save() on insert; paths that bypass save() (bulk_create) call it
        themselves.
        """
        if self.category is not None and self.category.is_urgent:
            self.is_urgent = True
        if self.deadline is None and self.status == Status.NEW:
            self.deadline = calendar.intake_deadline(self.created_at)

    def is_overdue(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.is_open and self.deadline is not None and self.deadline < now

    def is_due_soon(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return (
            self.is_open
            and self.deadline is not None
            and now <= self.deadline <= calendar.due_soon_horizon(now)
        )

    @property
    def reporter_language(self) -> str:
        """The language to write to the reporter in."""
        return self.language or settings.LANGUAGE_CODE

    def processing_days(self) -> int:
        if self.category_id is not None and self.category is not None:
            return self.category.processing_days
        return DEFAULT_PROCESSING_DAYS

    def processing_deadline(self, start: datetime) -> datetime:
        """When the answer is due for processing starting at ``start``."""
        if self.is_urgent:
            hours = self.category.urgent_hours if self.category else None
            return calendar.urgent_deadline(start, hours)
        return calendar.processing_deadline(start, self.processing_days())

    def transition(
        self,
        to: str,
        *,
        by: Any,
        note: str = "",
        expected: str | None = None,
        agency: Agency | None = None,
        answer: str = "",
    ) -> StatusChange:
        """Move the report to status ``to`` through the workflow service.

        See ``feedback.workflow.change_status``: the one way status changes. The
        agency and answer set on this instance are used when none is given.
        """
        from feedback.workflow import change_status

        if agency is None and self.agency_id is not None:
            agency = self.agency
        return change_status(
            report=self,
            to=to,
            by=by,
            note=note,
            expected=expected,
            agency=agency,
            answer=answer or self.answer,
        )


class SearchEntry(models.Model):
    """A public report as the public search reads it (PostgreSQL only): its
    primary key, search vector and the list's filters, in a narrow table kept
    by database triggers on feedback_report from every write path (migration
    feedback 0022); the application only reads it (search_check repairs it)."""

    report = models.OneToOneField(
        Report,
        primary_key=True,
        db_column="id",
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="+",
    )
    vector = SearchVectorField()
    status = models.CharField(max_length=20, choices=Status)
    category = models.ForeignKey(
        Category,
        null=True,
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="+",
    )
    commune = models.ForeignKey(
        "places.AdministrativeUnit",
        null=True,
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="+",
    )

    class Meta:
        managed = False
        db_table = "feedback_report_search"

    def __str__(self) -> str:
        return str(self.pk)


def attachment_path(instance: Attachment, filename: str) -> str:
    # Generated by the upload code; never the name the citizen's device sent.
    return f"reports/{timezone.now():%Y/%m}/{filename}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("Người gửi đính kèm")
        ANSWER = "answer", _("Đính kèm trả lời")
        UPDATE = "update", _("Ảnh bổ sung của người gửi")

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(
        _("loại"), max_length=16, choices=Kind.choices, default=Kind.CITIZEN
    )
    file = models.FileField(_("tệp"), upload_to=attachment_path, max_length=255)
    thumbnail = models.FileField(
        _("ảnh thu nhỏ"), upload_to=attachment_path, max_length=255, blank=True
    )
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    content_type = models.CharField(_("kiểu nội dung"), max_length=100)
    size = models.PositiveBigIntegerField(_("kích thước (byte)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("tải lên lúc"), default=timezone.now)
    # Citizens' photos may show faces, number plates, documents: public only once
    # an official has checked and marked them (answer files are public with the
    # published answer).
    # db_default too: rows written by COPY or raw SQL are private unless said.
    is_public = models.BooleanField(_("công khai"), default=False, db_default=False)
    alt_text = models.CharField(
        _("mô tả ảnh (cho người dùng trình đọc màn hình)"), max_length=200, blank=True
    )
    update = models.ForeignKey(
        "feedback.ReporterUpdate",
        verbose_name=_("thông tin bổ sung"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class StatusChange(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(
        _("từ trạng thái"), max_length=16, choices=Status.choices, blank=True
    )
    to_status = models.CharField(
        _("sang trạng thái"), max_length=16, choices=Status.choices
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("thay đổi trạng thái")
        verbose_name_plural = _("lịch sử trạng thái")
        indexes = [models.Index(fields=["report", "created_at"], name="change_report")]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status} → {self.to_status}"


class Rating(models.Model):
    """The reporter's satisfaction with the answer: once per report."""

    report = models.OneToOneField(
        Report, on_delete=models.CASCADE, related_name="rating"
    )

    class Reason(models.TextChoices):
        NOT_FIXED = "not_fixed", _("Sự việc chưa được khắc phục")
        PARTLY = "partly", _("Mới khắc phục một phần")
        UNCLEAR = "unclear", _("Trả lời chưa rõ ràng, chưa đúng nội dung")
        SLOW = "slow", _("Xử lý chậm")
        OTHER = "other", _("Lý do khác")

    satisfied = models.BooleanField(_("hài lòng"))
    comment = models.TextField(_("góp ý"), blank=True, max_length=2000)
    # Codes of Reason, for a "Chưa hài lòng" rating (a JSON list works on
    # SQLite too).
    reasons = models.JSONField(_("lý do chưa hài lòng"), default=list, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá")

    def __str__(self) -> str:
        return f"{self.report_id}: {'+' if self.satisfied else '-'}"


class Official(models.Model):
    """Links an agency official's account to the one agency whose reports it works."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="official"
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="officials",
    )

    class Meta:
        verbose_name = _("cán bộ xử lý")
        verbose_name_plural = _("cán bộ xử lý")

    def __str__(self) -> str:
        return f"{self.user} — {self.agency}"


class ReportEvent(models.Model):
    """Audit trail of what officials did to a report besides status changes.

    Status changes live in StatusChange; assignments, publishing, category edits,
    answer attachments, exports and officials' views of the reporter's personal
    data (once per official per day) are recorded here (who, when, what).
    """

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("Chuyển cơ quan xử lý")
        CATEGORY = "category", _("Đổi lĩnh vực")
        PUBLISHED = "published", _("Công khai trả lời")
        UNPUBLISHED = "unpublished", _("Thôi công khai")
        ANSWER_FILE = "answer_file", _("Đính kèm trả lời")
        EXPORTED = "exported", _("Xuất danh sách")
        PERSONAL_VIEWED = "personal_viewed", _("Xem dữ liệu cá nhân")
        URGENT = "urgent", _("Đánh dấu khẩn")
        NOT_URGENT = "not_urgent", _("Bỏ đánh dấu khẩn")
        HIDDEN = "hidden", _("Ẩn khỏi trang công khai")
        UNHIDDEN = "unhidden", _("Hiện lại trên trang công khai")
        REDACTED = "redacted", _("Biên tập nội dung công khai")
        PHOTO_PUBLIC = "photo_public", _("Công khai ảnh")
        PHOTO_PRIVATE = "photo_private", _("Thôi công khai ảnh")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("việc"), max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    detail = models.CharField(_("chi tiết"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("nhật ký xử lý")
        verbose_name_plural = _("nhật ký xử lý")
        indexes = [models.Index(fields=["report", "created_at"], name="event_report")]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.kind}"


class RoutingRule(models.Model):
    """Category (or any) × commune (or any) → the agency that handles the report.

    feedback/routing.py picks the rule: lowest ``priority`` first, then the more
    specific rule (both set, then commune only, then category only).
    """

    category = models.ForeignKey(
        Category,
        verbose_name=_("lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="routing_rules",
        help_text=_("Để trống: mọi lĩnh vực."),
    )
    commune = models.ForeignKey(
        "places.AdministrativeUnit",
        verbose_name=_("xã/phường"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="routing_rules",
        help_text=_("Để trống: mọi xã/phường."),
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan xử lý"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="routing_rules",
    )
    to_commune_committee = models.BooleanField(
        _("chuyển UBND xã/phường nơi xảy ra"),
        default=False,
        help_text=_(
            "Thay cho cơ quan cố định: chuyển đến UBND của xã/phường ghi trên phản ánh."
        ),
    )
    priority = models.PositiveSmallIntegerField(
        _("thứ tự ưu tiên"),
        default=100,
        help_text=_("Số nhỏ hơn được xét trước."),
    )
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        ordering = ["priority", "pk"]
        verbose_name = _("quy tắc phân công")
        verbose_name_plural = _("quy tắc phân công")
        constraints = [
            models.CheckConstraint(
                condition=Q(agency__isnull=False, to_commune_committee=False)
                | Q(agency__isnull=True, to_commune_committee=True),
                name="routing_rule_one_target",
                violation_error_message=_(
                    "Chọn một cơ quan xử lý, hoặc đánh dấu “chuyển UBND xã/phường "
                    "nơi xảy ra” (không chọn cả hai)."
                ),
            )
        ]

    def __str__(self) -> str:
        target = (
            str(_("UBND xã/phường nơi xảy ra"))
            if self.to_commune_committee
            else str(self.agency)
        )
        category = self.category or _("Mọi lĩnh vực")
        commune = self.commune or _("Mọi xã/phường")
        return f"{category} × {commune} → {target}"


class DeadlineReminder(models.Model):
    """One row per report per day that an agency was reminded of its deadline."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="deadline_reminders"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="deadline_reminders"
    )
    sent_on = models.DateField(_("ngày nhắc"))
    overdue = models.BooleanField(_("đã quá hạn"))
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        verbose_name = _("nhắc hạn xử lý")
        verbose_name_plural = _("nhắc hạn xử lý")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "sent_on"], name="deadline_reminder_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.sent_on}"


class WorkCalendarDay(models.Model):
    """An announced exception to the working calendar: an extra day off (Tết
    break, nghỉ bù) or a weekend day worked (làm bù)."""

    day = models.DateField(_("ngày"), unique=True)
    is_working_day = models.BooleanField(
        _("là ngày làm việc"),
        default=False,
        help_text=_("Đánh dấu: ngày làm bù. Bỏ trống: ngày nghỉ."),
    )
    reason = models.CharField(_("lý do"), max_length=200)

    class Meta:
        ordering = ["day"]
        verbose_name = _("lịch làm việc")
        verbose_name_plural = _("lịch làm việc")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}: {self.reason}"


def held_path(instance: HeldUpload, filename: str) -> str:
    # Generated by the upload code; never the name the citizen's device sent.
    return f"held/{timezone.now():%Y/%m/%d}/{filename}"


class HeldUploadQuerySet(models.QuerySet["HeldUpload"]):
    def expired(self, now: datetime | None = None) -> HeldUploadQuerySet:
        now = now or timezone.now()
        return self.filter(
            created_at__lt=now - timedelta(seconds=settings.HELD_UPLOAD_SECONDS)
        )

    def of_session(
        self, session_key: str | None, now: datetime | None = None
    ) -> HeldUploadQuerySet:
        """The unexpired files held for this browser session (none without one)."""
        if not session_key:
            return self.none()
        now = now or timezone.now()
        return self.filter(
            session_key=session_key,
            created_at__gte=now - timedelta(seconds=settings.HELD_UPLOAD_SECONDS),
        )


class HeldUpload(models.Model):
    """A file that passed its checks on a form that had other errors.

    It waits, already cleaned, for the same browser session to submit the form
    successfully; then it becomes an Attachment. Expired ones are removed by
    ``manage.py cleanup_orphans``.
    """

    session_key = models.CharField(_("phiên làm việc"), max_length=64, db_index=True)
    file = models.FileField(_("tệp"), upload_to=held_path, max_length=255)
    thumbnail = models.FileField(
        _("ảnh thu nhỏ"), upload_to=held_path, max_length=255, blank=True
    )
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    content_type = models.CharField(_("kiểu nội dung"), max_length=100)
    size = models.PositiveBigIntegerField(_("kích thước (byte)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("tải lên lúc"), default=timezone.now)

    objects = HeldUploadQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("tệp chờ gửi")
        verbose_name_plural = _("tệp chờ gửi")

    def __str__(self) -> str:
        return self.original_name


# Reporter updates, reviews, follows, alerts, templates and notes.
from feedback.conversation_models import (  # noqa: E402, F401
    AreaAlert,
    Follow,
    InternalNote,
    ReplyTemplate,
    ReporterUpdate,
    ReviewRequest,
)
