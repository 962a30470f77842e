"""The officials' report desk in Django admin: queue, triage, routing, answers.

Access is decided in feedback/permissions.py and ``Report.objects.visible_to``;
this module only asks. Every status change goes through feedback/workflow.py,
which calls ``Report.transition``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    QueryDict,
)
from django.template.defaultfilters import linebreaks_filter
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from feedback import exports
from feedback.downloads import attachment_response
from feedback.models import (
    OPEN_STATUSES,
    Agency,
    Category,
    Report,
    ReportEvent,
    StaleTransition,
    Status,
    StatusChange,
    TransitionError,
)
from feedback.permissions import (
    allowed_moves,
    can_export,
    can_publish,
    can_view_personal_data,
    can_view_report,
    is_intake,
    official_agency_id,
)
from feedback.workflow import (
    bulk_move,
    move_report,
    record_category_change,
    record_personal_data_view,
)
from feedback.workflow import set_published as set_published_service
from portal.lib import uploads

DUE_SOON_DAYS = 2

# What each move is called on its button and what it asks for.
MOVE_LABELS: dict[str, Any] = {
    Status.ACCEPTED: gettext_lazy("Tiếp nhận"),
    Status.REJECTED: gettext_lazy("Không tiếp nhận"),
    Status.IN_PROGRESS: gettext_lazy("Chuyển xử lý"),
    Status.RESOLVED: gettext_lazy("Trả lời, hoàn tất xử lý"),
}
RETURN_LABEL = gettext_lazy("Trả lại bộ phận tiếp nhận")
REOPEN_LABEL = gettext_lazy("Mở lại để xử lý tiếp")


class ReportActionForm(helpers.ActionForm):
    """The list's action bar: the agency to route to and a reason or note."""

    agency = forms.ModelChoiceField(
        Agency.objects.filter(is_active=True),
        required=False,
        label=gettext_lazy("Cơ quan xử lý"),
        empty_label=gettext_lazy("— chọn cơ quan —"),
    )
    note = forms.CharField(
        required=False,
        label=gettext_lazy("Ghi chú / lý do"),
        max_length=1000,
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item) for item in data]
        return [super().clean(data)] if data else []


class WorkflowForm(forms.Form):
    """One workflow move (or publish toggle) posted from the change page."""

    action = forms.ChoiceField(
        choices=[(value, value) for value in Status.values]
        + [("publish", "publish"), ("unpublish", "unpublish")]
    )
    expected = forms.ChoiceField(choices=Status.choices)
    note = forms.CharField(required=False, max_length=4000)
    answer = forms.CharField(required=False, max_length=20000)
    agency = forms.ModelChoiceField(
        Agency.objects.filter(is_active=True), required=False
    )
    answer_files = MultipleFileField(
        required=False, widget=MultipleFileInput(attrs={"multiple": True})
    )

    def clean_answer_files(self) -> Any:
        files = self.cleaned_data.get("answer_files") or []
        try:
            return uploads.check_files(list(files))
        except uploads.UploadRejected as error:
            raise forms.ValidationError(error.message) from None


class DeadlineFilter(admin.SimpleListFilter):
    title = gettext_lazy("hạn xử lý")
    parameter_name = "han"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("qua-han", gettext_lazy("Quá hạn")),
            ("sap-den-han", gettext_lazy("Đến hạn trong 2 ngày")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        if self.value() == "qua-han":
            return queryset.filter(pk__in=Report.objects.overdue().values("pk"))
        if self.value() == "sap-den-han":
            return queryset.filter(
                pk__in=Report.objects.due_soon(days=DUE_SOON_DAYS).values("pk")
            )
        return queryset


def _days_open(report: Report, today: date) -> int | None:
    if report.status == Status.REJECTED:
        return None
    end = (
        timezone.localdate(report.resolved_at)
        if report.status == Status.RESOLVED and report.resolved_at
        else today
    )
    return max((end - timezone.localdate(report.created_at)).days, 0)


class ReportAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "title",
        "category_and_agency",
        "status_badge",
        "received",
        "deadline_display",
    )
    list_display_links = ("code", "title")
    list_select_related = ("category", "agency")
    list_per_page = 50
    list_max_show_all = 500
    date_hierarchy = "created_at"
    action_form = ReportActionForm
    actions = ["accept_reports", "route_reports", "reject_spam", "reject_duplicate"]
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
    )

    class Media:
        css = {"all": ["css/admin-reports.css"]}

    # -- access -----------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet[Report]:
        today = timezone.localdate()
        return (
            Report.objects.visible_to(request.user)
            .select_related("category", "agency")
            .annotate(
                overdue_rank=Case(
                    When(
                        Q(status__in=OPEN_STATUSES, deadline__lt=today), then=Value(0)
                    ),
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
        # Overdue first, then other open reports, oldest first: the day's queue.
        return ["overdue_rank", "open_rank", "created_at"]

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

    def has_triage_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser or is_intake(request.user))

    def _visible_object(self, request: HttpRequest, object_id: str) -> Report:
        """The report if this user may open it, else 404 (never a redirect)."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(_("Không tìm thấy phản ánh."))
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def _personal(self, request: HttpRequest, obj: Report | None) -> bool:
        if obj is None:
            return bool(request.user.has_perm("feedback.view_personal_data"))
        return can_view_personal_data(request.user, obj)

    # -- list -------------------------------------------------------------------

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        filters: list[Any] = ["status", DeadlineFilter, "category"]
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
        today = timezone.localdate()
        shown = obj.deadline.strftime("%d/%m/%Y")
        if obj.is_overdue(today):
            days = (today - obj.deadline).days
            return format_html(
                '{} <strong class="deadline-flag deadline-overdue">⚠ {}</strong>',
                shown,
                ngettext("Quá hạn %(n)d ngày", "Quá hạn %(n)d ngày", days)
                % {"n": days},
            )
        if obj.is_open and obj.deadline <= today + timedelta(days=DUE_SOON_DAYS):
            return format_html(
                '{} <span class="deadline-flag deadline-soon">{}</span>',
                shown,
                _("Sắp đến hạn"),
            )
        return shown

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
                        "deadline_display",
                        "accepted_at",
                        "resolved_at",
                        "answer_display",
                        "rejection_reason",
                        "is_published",
                    )
                },
            )
        )
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(self.readonly_fields)
        if not self.has_triage_permission(request):
            fields.append("category")  # only intake re-classifies reports
        return fields

    # Plain text, not links to admin pages an agency official may not open.
    @admin.display(description=gettext_lazy("lĩnh vực"))
    def category_name(self, obj: Report) -> str:
        return obj.category.name if obj.category else _("Chưa phân loại")

    @admin.display(description=gettext_lazy("cơ quan xử lý"))
    def agency_name(self, obj: Report) -> str:
        return obj.agency.name if obj.agency else _("Chưa chuyển")

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

    def _workflow_context(
        self, request: HttpRequest, obj: Report, form: WorkflowForm | None
    ) -> dict[str, Any]:
        moves = []
        for to in allowed_moves(request.user, obj):
            label = MOVE_LABELS[to]
            if obj.status == Status.IN_PROGRESS and to == Status.ACCEPTED:
                label = RETURN_LABEL
            elif obj.status == Status.RESOLVED and to == Status.IN_PROGRESS:
                label = REOPEN_LABEL
            moves.append(
                {
                    "to": to,
                    "label": label,
                    "routing": obj.status == Status.ACCEPTED
                    and to == Status.IN_PROGRESS,
                    "needs_answer": to == Status.RESOLVED,
                    "needs_reason": to == Status.REJECTED,
                    "needs_note": obj.status == Status.IN_PROGRESS
                    and to == Status.ACCEPTED,
                    "open": form is not None and form.data.get("action") == to,
                }
            )
        timeline: list[dict[str, Any]] = [
            {
                "at": change.created_at,
                "actor": change.actor,
                "what": _("%(from)s → %(to)s")
                % {
                    "from": change.get_from_status_display() or _("Gửi phản ánh"),
                    "to": change.get_to_status_display(),
                },
                "note": change.note,
            }
            for change in StatusChange.objects.filter(report=obj).select_related(
                "actor"
            )
        ]
        events = list(ReportEvent.objects.filter(report=obj).select_related("actor"))
        timeline += [
            {
                "at": event.created_at,
                "actor": event.actor,
                "what": event.get_kind_display(),
                "note": event.detail,
            }
            for event in events
            if event.kind != ReportEvent.Kind.PERSONAL_VIEWED
        ]
        timeline.sort(key=lambda item: item["at"])
        attachments = list(obj.attachments.all())
        return {
            "report": obj,
            "moves": moves,
            "agencies": Agency.objects.filter(is_active=True),
            "timeline": timeline,
            "personal_views": [
                e for e in events if e.kind == ReportEvent.Kind.PERSONAL_VIEWED
            ],
            "citizen_files": [a for a in attachments if a.kind == "citizen"],
            "answer_files": [a for a in attachments if a.kind == "answer"],
            "can_publish": can_publish(request.user, obj)
            and obj.status == Status.RESOLVED
            and obj.allow_publish,
            "publish_blocked_reason": (
                _("Người gửi không đồng ý công khai.")
                if obj.status == Status.RESOLVED and not obj.allow_publish
                else ""
            ),
            "workflow_form": form,
            "workflow_url": reverse("admin:feedback_report_workflow", args=[obj.pk]),
            "show_save": self.has_triage_permission(request),
            "show_save_and_continue": self.has_triage_permission(request),
            "show_save_and_add_another": False,
            "show_delete": bool(request.user.is_superuser),
            "is_nav_sidebar_enabled": False,
        }

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        obj = self._visible_object(request, object_id)
        if request.method == "GET" and self._personal(request, obj):
            record_personal_data_view(report=obj, by=request.user)
        context = self._workflow_context(
            request, obj, (extra_context or {}).get("workflow_form")
        )
        return super().change_view(
            request, object_id, form_url, {**context, **(extra_context or {})}
        )

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        self._visible_object(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        self._visible_object(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    # -- custom URLs ------------------------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/xu-ly/",
                wrap(require_POST(self.workflow_view)),
                name="feedback_report_workflow",
            ),
            path(
                "<path:object_id>/attachment/<int:attachment_id>/",
                wrap(self.attachment_view),
                name="feedback_report_attachment",
            ),
            path(
                "export/<str:fmt>/",
                wrap(self.export_view),
                name="feedback_report_export",
            ),
            *super().get_urls(),
        ]

    def workflow_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        report = self._visible_object(request, object_id)
        if not self.has_change_permission(request, report):
            raise PermissionDenied
        change_url = reverse("admin:feedback_report_change", args=[report.pk])
        form = WorkflowForm(request.POST, request.FILES)
        if not form.is_valid():
            errors = [str(e) for errs in form.errors.values() for e in errs]
            return self._refuse(request, object_id, form, " ".join(errors))
        data = form.cleaned_data
        action = data["action"]
        try:
            if action in ("publish", "unpublish"):
                set_published_service(
                    report=report, publish=action == "publish", by=request.user
                )
                self.message_user(
                    request,
                    _("Đã công khai trả lời trên trang công khai.")
                    if action == "publish"
                    else _("Đã thôi công khai trả lời."),
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(change_url)
            if data["expected"] != report.status:
                raise StaleTransition(
                    _(
                        "Phản ánh đã được người khác chuyển sang “%(status)s”. "
                        "Vui lòng xem lại trước khi thao tác."
                    )
                    % {"status": report.get_status_display()}
                )
            note = data["note"]
            move_report(
                report=report,
                to=action,
                by=request.user,
                expected=data["expected"],
                note=note,
                agency=data["agency"],
                answer=data["answer"],
                answer_files=data["answer_files"],
            )
        except TransitionError as error:
            return self._refuse(request, object_id, form, error.message)
        self.message_user(
            request,
            _("Đã chuyển phản ánh %(code)s sang “%(status)s”.")
            % {"code": report.code, "status": report.get_status_display()},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(change_url)

    def _refuse(
        self, request: HttpRequest, object_id: str, form: WorkflowForm, message: str
    ) -> HttpResponse:
        """Show the change page again with the reason and what was typed."""
        self.message_user(request, message, messages.ERROR)
        request.method = "GET"
        request.POST = QueryDict()
        response = self.change_view(
            request, object_id, extra_context={"workflow_form": form}
        )
        response.status_code = 400
        return response

    def attachment_view(
        self, request: HttpRequest, object_id: str, attachment_id: int
    ) -> FileResponse:
        report = self._visible_object(request, object_id)
        attachment = report.attachments.filter(pk=attachment_id).first()
        if attachment is None:
            raise Http404(_("Không tìm thấy tệp đính kèm."))
        return attachment_response(attachment, thumbnail=bool(request.GET.get("thumb")))

    def export_view(self, request: HttpRequest, fmt: str) -> HttpResponse:
        if fmt not in ("csv", "xlsx"):
            raise Http404
        if not self.has_view_permission(request) or not can_export(request.user):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(reverse("admin:feedback_report_changelist"))
        queryset = changelist.get_queryset(request).select_related("category", "agency")
        personal = bool(request.user.has_perm("feedback.view_personal_data"))
        return exports.export_reports(
            queryset, fmt=fmt, personal=personal, by=request.user
        )

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        query = request.GET.urlencode()
        today = timezone.localdate()
        open_ = Q(status__in=OPEN_STATUSES)
        # The day's work at a glance, for this user's reports only (one query).
        summary = Report.objects.visible_to(request.user).aggregate(
            overdue=Count("pk", filter=open_ & Q(deadline__lt=today)),
            soon=Count(
                "pk",
                filter=open_
                & Q(
                    deadline__gte=today,
                    deadline__lte=today + timedelta(days=DUE_SOON_DAYS),
                ),
            ),
            new=Count("pk", filter=Q(status=Status.NEW)),
            accepted=Count("pk", filter=Q(status=Status.ACCEPTED)),
            in_progress=Count("pk", filter=Q(status=Status.IN_PROGRESS)),
        )
        context = {
            "summary": summary,
            # The work queue needs the width more than the app menu (breadcrumbs
            # still lead back).
            "is_nav_sidebar_enabled": False,
            "can_export": can_export(request.user),
            "export_csv_url": reverse("admin:feedback_report_export", args=["csv"])
            + (f"?{query}" if query else ""),
            "export_xlsx_url": reverse("admin:feedback_report_export", args=["xlsx"])
            + (f"?{query}" if query else ""),
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)
