"""The officials' report desk in Django admin: queue, triage, routing, answers.

The list, its columns and bulk actions live here; the change page's workflow and
the custom URLs are in ``report_views``.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from django.contrib import admin, messages
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import linebreaks_filter
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from feedback import calendar
from feedback.admin import intake
from feedback.admin.conversation_views import ConversationDesk
from feedback.admin.filters import DeadlineFilter, QueueFilter, RatingFilter
from feedback.admin.forms import ReportActionForm
from feedback.admin.publicity import hide_reports, publicity_urls, unhide_reports
from feedback.admin.report_views import ReportDeskViews
from feedback.conversation import reason_labels
from feedback.models import (
    OPEN_STATUSES,
    Agency,
    Category,
    Follow,
    Report,
    Status,
    overdue_q,
)
from feedback.permissions import (
    can_publish,
    can_view_report,
    official_agency_id,
)
from feedback.selectors import rating_of
from feedback.workflow import (
    bulk_move,
    record_category_change,
    set_urgent,
)
from places.geo import describe


def _days_open(report: Report, today: date) -> int | None:
    if report.status == Status.REJECTED:
        return None
    end = (
        timezone.localdate(report.resolved_at)
        if report.status == Status.RESOLVED and report.resolved_at
        else today
    )
    return max((end - timezone.localdate(report.created_at)).days, 0)


class ReportAdmin(ConversationDesk, ReportDeskViews):
    list_display = (
        "code",
        "title",
        "category_and_agency",
        "status_badge",
        "received",
        "deadline_display",
        "rating_badge",
        "followers_display",
    )
    list_display_links = ("code", "title")
    list_select_related = ("category", "agency", "rating")
    list_per_page = 50
    list_max_show_all = 500
    date_hierarchy = "created_at"
    action_form = ReportActionForm
    actions = [
        "accept_reports",
        "route_reports",
        "reject_spam",
        "reject_duplicate",
        hide_reports,
        unhide_reports,
    ]
    show_full_result_count = False
    search_help_text = gettext_lazy(
        "Tìm theo mã phản ánh, tiêu đề, họ tên, số điện thoại hoặc email người gửi."
    )
    readonly_fields = (
        "code",
        "title",
        "content_display",
        "location",
        "channel",
        "created_at",
        "full_name",
        "id_number",
        "email",
        "phone",
        "reporter_account",
        "allow_publish",
        "status_badge",
        "category_name",
        "agency_name",
        "deadline_display",
        "accepted_at",
        "resolved_at",
        "answer_display",
        "rejection_reason",
        "is_published",
        "commune_name",
        "coordinates",
        "is_hidden",
        "rating_display",
    )

    class Media:
        css = {"all": ["css/admin-reports.css"]}
        js = ["js/forms.js"]

    # -- access -----------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet[Report]:
        return (
            Report.objects.visible_to(request.user)
            .select_related("category", "agency", "rating")
            .annotate(
                followers=Coalesce(
                    Subquery(
                        Follow.objects.filter(
                            report=OuterRef("pk"),
                            confirmed_at__isnull=False,
                            unsubscribed_at__isnull=True,
                        )
                        .values("report")
                        .annotate(n=Count("pk"))
                        .values("n")[:1],
                        output_field=IntegerField(),
                    ),
                    Value(0),
                ),
                overdue_rank=Case(
                    When(overdue_q(), then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                ),
                open_rank=Case(
                    When(status__in=OPEN_STATUSES, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                ),
            )
        )

    def get_ordering(self, request: HttpRequest) -> Any:
        # What needs action first: overdue, then the nearest deadline, then the
        # newest of the reports still without one; closed reports last.
        return [
            "overdue_rank",
            "open_rank",
            F("deadline").asc(nulls_last=True),
            "-created_at",
        ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # reports come from citizens

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or can_view_report(request.user, obj))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_view_report(request.user, obj))

    # -- list -------------------------------------------------------------------

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        filters: list[Any] = [
            "status",
            DeadlineFilter,
            QueueFilter,
            RatingFilter,
            "category",
        ]
        if official_agency_id(request.user) is None:
            filters.append("agency")  # an agency official only ever sees their own
        filters.append("created_at")
        return filters

    def get_search_fields(self, request: HttpRequest) -> list[str]:
        fields = ["code", "title"]
        if self._personal(request, None):
            fields += ["full_name", "phone", "email"]
        return fields

    @admin.display(description=gettext_lazy("trạng thái"), ordering="status")
    def status_badge(self, obj: Report) -> str:
        return format_html(
            '<span class="status-badge status-{}">{}</span>',
            obj.status,
            obj.get_status_display(),
        )

    @admin.display(
        description=gettext_lazy("lĩnh vực / cơ quan xử lý"), ordering="agency__name"
    )
    def category_and_agency(self, obj: Report) -> str:
        return format_html(
            '{}<br><span class="desk-agency">{}</span>',
            obj.category.name if obj.category else _("Chưa phân loại"),
            obj.agency.name if obj.agency else _("Chưa chuyển"),
        )

    @admin.display(
        description=gettext_lazy("ngày nhận / số ngày"), ordering="created_at"
    )
    def received(self, obj: Report) -> str:
        return format_html(
            '{}<br><span class="desk-days">{}</span>',
            timezone.localtime(obj.created_at).strftime("%d/%m/%Y"),
            self.days_open(obj),
        )

    @admin.display(description=gettext_lazy("hạn xử lý"), ordering="deadline")
    def deadline_display(self, obj: Report) -> str:
        if obj.deadline is None:
            return "—"
        now = timezone.now()
        shown = calendar.format_deadline(obj.deadline)
        if obj.status == Status.NEW:
            # A new report's deadline is the one for intake (accept or reject).
            shown = _("Tiếp nhận trước %(deadline)s") % {"deadline": shown}
        if obj.is_urgent:
            shown = f"{shown} ({_('khẩn')})"
        if obj.is_overdue(now):
            days = (timezone.localdate(now) - timezone.localdate(obj.deadline)).days
            if days < 1:
                flag = _("Quá hạn")
            else:
                flag = ngettext("Quá hạn %(n)d ngày", "Quá hạn %(n)d ngày", days) % {
                    "n": days
                }
            return format_html(
                '{} <strong class="deadline-flag deadline-overdue">⚠ {}</strong>',
                shown,
                flag,
            )
        if obj.is_due_soon(now):
            return format_html(
                '{} <span class="deadline-flag deadline-soon">{}</span>',
                shown,
                _("Sắp đến hạn"),
            )
        return shown

    @admin.display(description=gettext_lazy("theo dõi"), ordering="followers")
    def followers_display(self, obj: Report) -> str:
        count = getattr(obj, "followers", 0) or 0
        return str(count) if count else "—"

    @admin.display(description=gettext_lazy("đánh giá"), ordering="rating__satisfied")
    def rating_badge(self, obj: Report) -> str:
        rating = rating_of(obj)
        if rating is None:
            return "—"
        if rating.satisfied:
            return format_html('<span class="rating-ok">{}</span>', _("Hài lòng"))
        return format_html(
            '<strong class="rating-bad">⚠ {}</strong>', _("Chưa hài lòng")
        )

    @admin.display(description=gettext_lazy("đánh giá của người gửi"))
    def rating_display(self, obj: Report) -> str:
        rating = rating_of(obj)
        if rating is None:
            return _("Chưa đánh giá")
        verdict = _("Hài lòng") if rating.satisfied else _("Chưa hài lòng")
        reasons = "; ".join(reason_labels(rating.reasons))
        return format_html(
            "<strong>{}</strong> ({}){}{}",
            verdict,
            timezone.localtime(rating.created_at).strftime("%d/%m/%Y %H:%M"),
            format_html("<br>{} {}", _("Lý do:"), reasons) if reasons else "",
            format_html("<br>{} {}", _("Góp ý:"), rating.comment)
            if rating.comment
            else "",
        )

    @admin.display(description=gettext_lazy("số ngày"))
    def days_open(self, obj: Report) -> str:
        days = _days_open(obj, timezone.localdate())
        if days is None:
            return "—"
        return ngettext("%(n)d ngày", "%(n)d ngày", days) % {"n": days}

    @admin.display(description=gettext_lazy("nội dung"))
    def content_display(self, obj: Report) -> str:
        return linebreaks_filter(obj.content, autoescape=True)

    @admin.display(description=gettext_lazy("nội dung trả lời"))
    def answer_display(self, obj: Report) -> str:
        return linebreaks_filter(obj.answer, autoescape=True) if obj.answer else "—"

    # -- bulk actions -------------------------------------------------------------

    def _bulk(
        self,
        request: HttpRequest,
        queryset: QuerySet[Report],
        to: str,
        done: str,
        note: str = "",
        agency: Agency | None = None,
    ) -> None:
        reports = list(queryset.select_related("category", "agency"))
        result = bulk_move(
            reports=reports, to=to, by=request.user, note=note, agency=agency
        )
        if result.changed:
            self.message_user(
                request,
                done % {"n": len(result.changed), "agency": agency or ""},
                messages.SUCCESS,
            )
        if result.skipped:
            details = "; ".join(
                f"{report.code}: {reason}" for report, reason in result.skipped
            )
            self.message_user(
                request,
                _("Bỏ qua %(n)d phản ánh — %(details)s")
                % {"n": len(result.skipped), "details": details},
                messages.WARNING,
            )

    @admin.action(
        description=gettext_lazy("Tiếp nhận các phản ánh đã chọn"),
        permissions=["triage"],
    )
    def accept_reports(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        note = request.POST.get("note", "")
        self._bulk(
            request, queryset, Status.ACCEPTED, _("Đã tiếp nhận %(n)d phản ánh."), note
        )

    @admin.action(
        description=gettext_lazy("Chuyển các phản ánh đã chọn đến cơ quan xử lý"),
        permissions=["triage"],
    )
    def route_reports(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        form = ReportActionForm(request.POST)
        form.is_valid()
        agency = form.cleaned_data.get("agency")
        if agency is None:
            self.message_user(
                request,
                _("Hãy chọn cơ quan xử lý trong ô “Cơ quan xử lý” rồi thực hiện lại."),
                messages.ERROR,
            )
            return
        self._bulk(
            request,
            queryset,
            Status.IN_PROGRESS,
            _("Đã chuyển %(n)d phản ánh đến %(agency)s."),
            form.cleaned_data.get("note", ""),
            agency,
        )

    def _reject(
        self, request: HttpRequest, queryset: QuerySet[Report], why: str
    ) -> None:
        extra = request.POST.get("note", "").strip()
        reason = f"{why} {extra}".strip()
        self._bulk(
            request,
            queryset,
            Status.REJECTED,
            _("Đã không tiếp nhận %(n)d phản ánh."),
            reason,
        )

    @admin.action(
        description=gettext_lazy("Không tiếp nhận: tin rác, quảng cáo"),
        permissions=["triage"],
    )
    def reject_spam(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        self._reject(request, queryset, _("Tin rác hoặc quảng cáo."))

    @admin.action(
        description=gettext_lazy("Không tiếp nhận: trùng phản ánh đã có"),
        permissions=["triage"],
    )
    def reject_duplicate(
        self, request: HttpRequest, queryset: QuerySet[Report]
    ) -> None:
        self._reject(request, queryset, _("Trùng với phản ánh đã gửi trước đó."))

    # -- one-step intake (feedback/admin/intake.py) -----------------------------------

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/tiep-nhan/",
                wrap(require_POST(partial(intake.intake_view, self))),
                name="feedback_report_intake",
            ),
            *publicity_urls(self),
            *super().get_urls(),
        ]

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> HttpResponse:
        if obj is not None:
            # Publishing is a box on the answer form when the reporter consented.
            context["publish_on_answer"] = obj.allow_publish and can_publish(
                request.user, obj
            )
            if intake.can_intake(request.user, obj):
                context.setdefault("intake_form", intake.intake_form_for(obj))
                context["intake_url"] = reverse(
                    "admin:feedback_report_intake", args=[obj.pk]
                )
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

    # -- change page ----------------------------------------------------------------

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets: list[tuple[Any, dict[str, Any]]] = [
            (
                _("Phản ánh"),
                {
                    "fields": (
                        "code",
                        "title",
                        "content_display",
                        "location",
                        "commune_name",
                        "coordinates",
                        "category"
                        if self.has_triage_permission(request)
                        else "category_name",
                        "channel",
                        "created_at",
                    )
                },
            )
        ]
        if self._personal(request, obj):
            fieldsets.append(
                (
                    _("Người gửi (dữ liệu cá nhân)"),
                    {
                        "fields": (
                            "full_name",
                            "id_number",
                            "email",
                            "phone",
                            "reporter_account",
                            "allow_publish",
                        )
                    },
                )
            )
        else:
            fieldsets.append((_("Người gửi"), {"fields": ("allow_publish",)}))
        fieldsets.append(
            (
                _("Xử lý"),
                {
                    "fields": (
                        "status_badge",
                        "agency_name",
                        "is_urgent",
                        "deadline_display",
                        "accepted_at",
                        "resolved_at",
                        "answer_display",
                        "rejection_reason",
                        "is_published",
                        "is_hidden",
                        "rating_display",
                    )
                },
            )
        )
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(self.readonly_fields)
        if not self.has_triage_permission(request):
            # Only intake re-classifies reports and marks them urgent.
            fields += ["category", "is_urgent"]
        return fields

    # Plain text, not links to admin pages an agency official may not open.
    @admin.display(description=gettext_lazy("lĩnh vực"))
    def category_name(self, obj: Report) -> str:
        return obj.category.name if obj.category else _("Chưa phân loại")

    @admin.display(description=gettext_lazy("cơ quan xử lý"))
    def agency_name(self, obj: Report) -> str:
        return obj.agency.name if obj.agency else _("Chưa chuyển")

    @admin.display(description=gettext_lazy("xã/phường"))
    def commune_name(self, obj: Report) -> str:
        return obj.commune.name if obj.commune else "—"

    @admin.display(description=gettext_lazy("toạ độ"))
    def coordinates(self, obj: Report) -> str:
        if obj.latitude is None or obj.longitude is None:
            return "—"
        return describe(obj.latitude, obj.longitude)

    @admin.display(description=gettext_lazy("tài khoản người gửi"))
    def reporter_account(self, obj: Report) -> str:
        if obj.reporter_id is None:
            return _("Gửi không đăng nhập")
        return _("Có tài khoản (mã %(id)s)") % {"id": obj.reporter_id}

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "category":
            kwargs["queryset"] = Category.objects.filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(
        self, request: HttpRequest, obj: Report, form: Any, change: bool
    ) -> None:
        # Only the category is editable here; saving just that field keeps a
        # concurrent workflow move from being overwritten by this form.
        if "category" in form.changed_data:
            old = Report.objects.select_related("category").get(pk=obj.pk).category
            obj.save(update_fields=["category", "updated_at"])
            record_category_change(
                report=obj, old=old, new=obj.category, by=request.user
            )
        if "is_urgent" in form.changed_data:
            set_urgent(report=obj, urgent=obj.is_urgent, by=request.user)
