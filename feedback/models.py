from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback.signals import report_status_changed
from portal.lib.codes import generate_code
from portal.lib.text import mask_name, strip_accents
from portal.lib.workdays import add_working_days

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


# The whole workflow: from each status, the statuses it may move to.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.ACCEPTED, Status.REJECTED}),
    Status.ACCEPTED: frozenset({Status.IN_PROGRESS, Status.REJECTED}),
    Status.IN_PROGRESS: frozenset({Status.RESOLVED, Status.ACCEPTED}),
    Status.RESOLVED: frozenset({Status.IN_PROGRESS}),
    Status.REJECTED: frozenset(),
}
OPEN_STATUSES = (Status.NEW, Status.ACCEPTED, Status.IN_PROGRESS)


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

    class Meta:
        ordering = ["name"]
        verbose_name = _("cơ quan xử lý")
        verbose_name_plural = _("cơ quan xử lý")

    def __str__(self) -> str:
        return self.name


class ReportQuerySet(models.QuerySet["Report"]):
    def published(self) -> ReportQuerySet:
        """Resolved reports whose reporter consented and an official published."""
        return self.filter(
            status=Status.RESOLVED, allow_publish=True, is_published=True
        )

    def open(self) -> ReportQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: date | None = None) -> ReportQuerySet:
        today = today or timezone.localdate()
        return self.open().filter(deadline__lt=today)

    def search(self, query: str) -> ReportQuerySet:
        """Every word of ``query`` in the title or content, ignoring accents/case."""
        result = self
        for word in search_key(query).split():
            result = result.filter(search_text__contains=word)
        return result

    def of_reporter(self, user: Any) -> ReportQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(reporter=user)

    def due_soon(self, today: date | None = None, days: int = 2) -> ReportQuerySet:
        """Open reports whose deadline falls today or within ``days`` days."""
        today = today or timezone.localdate()
        return self.open().filter(
            deadline__gte=today, deadline__lte=today + timedelta(days=days)
        )

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
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    rejection_reason = models.TextField(_("lý do không tiếp nhận"), blank=True)
    deadline = models.DateField(_("hạn xử lý"), null=True, blank=True)
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
    )
    anonymised_at = models.DateTimeField(
        _("ẩn danh hoá dữ liệu cá nhân lúc"), null=True, blank=True
    )
    # Title and content without accents, lower case: "duong" finds "đường" on any
    # database. Filled in save(); see search_key().
    search_text = models.TextField(_("chuỗi tìm kiếm"), blank=True, editable=False)

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
                # Covering (PostgreSQL): the overdue counts per agency of the stats
                # read the index only, not ~45,000 heap pages at a million reports.
                include=["agency", "created_at"],
                condition=Q(status__in=["new", "accepted", "in_progress"]),
                name="report_open_deadline",
            ),
            models.Index(
                fields=["-resolved_at"],
                condition=Q(status="resolved", allow_publish=True, is_published=True),
                name="report_published",
            ),
            models.Index(fields=["reporter", "-created_at"], name="report_reporter"),
            # One filing day's reports, for the stats day summary (issue 7).
            models.Index(fields=["created_at"], name="report_created"),
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
        self.search_text = search_key(f"{self.title}\n{self.content}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and (
            "title" in update_fields or "content" in update_fields
        ):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

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
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.deadline is not None and self.deadline < today

    def allowed_transitions(self) -> frozenset[str]:
        return TRANSITIONS[self.status]

    @property
    def reporter_language(self) -> str:
        """The language to write to the reporter in."""
        return self.language or settings.LANGUAGE_CODE

    def processing_days(self) -> int:
        if self.category_id is not None and self.category is not None:
            return self.category.processing_days
        return DEFAULT_PROCESSING_DAYS

    def transition(
        self,
        to: str,
        *,
        by: Any,
        note: str = "",
        expected: str | None = None,
    ) -> StatusChange:
        """Move the report to status ``to``: the only way status changes.

        Locks the row, checks the move against TRANSITIONS (and, when ``expected``
        is given, that nobody moved the report since it was read), sets deadline
        and timestamps, and records a StatusChange. A resolved report needs an
        answer (``self.answer`` or ``note``); a rejection needs a reason (``note``).
        """
        note = note.strip()
        with transaction.atomic():
            current = (
                Report.objects.select_for_update()
                .values_list("status", flat=True)
                .get(pk=self.pk)
            )
            if expected is not None and current != expected:
                raise StaleTransition(
                    _(
                        "Phản ánh đã được người khác chuyển sang “%(status)s”. "
                        "Vui lòng tải lại trang."
                    )
                    % {"status": Status(current).label}
                )
            if to not in TRANSITIONS[current]:
                raise TransitionError(
                    _("Không thể chuyển phản ánh từ “%(from)s” sang “%(to)s”.")
                    % {
                        "from": Status(current).label,
                        "to": Status(to).label if to in Status.values else to,
                    }
                )
            now = timezone.now()
            if to == Status.RESOLVED:
                answer = self.answer.strip() or note
                if not answer:
                    raise TransitionError(_("Cần nhập nội dung trả lời để hoàn tất."))
                self.answer = answer
                self.resolved_at = now
            elif to == Status.REJECTED:
                if not note:
                    raise TransitionError(_("Cần nêu lý do không tiếp nhận."))
                self.rejection_reason = note
                self.is_published = False
            elif to == Status.ACCEPTED and self.accepted_at is None:
                self.accepted_at = now
                self.deadline = add_working_days(
                    timezone.localdate(now), self.processing_days()
                )
            elif to == Status.IN_PROGRESS and current == Status.RESOLVED:
                self.resolved_at = None
                self.is_published = False
            self.status = to
            self.save()
            change = StatusChange.objects.create(
                report=self,
                from_status=current,
                to_status=to,
                actor=by if getattr(by, "pk", None) else None,
                note=note,
                created_at=now,
            )
            transaction.on_commit(
                lambda: report_status_changed.send(
                    sender=Report, report=self, change=change
                )
            )
            return change


def attachment_path(instance: Attachment, filename: str) -> str:
    # Generated by the upload code; never the name the citizen's device sent.
    return f"reports/{timezone.now():%Y/%m}/{filename}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("Người gửi đính kèm")
        ANSWER = "answer", _("Đính kèm trả lời")

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
    satisfied = models.BooleanField(_("hài lòng"))
    comment = models.TextField(_("góp ý"), blank=True, max_length=2000)
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
