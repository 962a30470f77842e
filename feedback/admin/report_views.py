"""The report desk's pages beyond the list: change page with workflow buttons,
workflow posts, attachments, exports and the day's summary above the queue.

Access is decided in feedback/permissions.py and ``Report.objects.visible_to``;
every status change goes through feedback/workflow.py, which calls
``Report.transition``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    QueryDict,
)
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from feedback import exports
from feedback.admin.filters import DUE_SOON_DAYS
from feedback.admin.forms import WorkflowForm
from feedback.downloads import attachment_response
from feedback.models import (
    OPEN_STATUSES,
    Agency,
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
    is_intake,
)
from feedback.workflow import (
    move_report,
    record_personal_data_view,
)
from feedback.workflow import set_published as set_published_service

# What each move is called on its button and what it asks for.
MOVE_LABELS: dict[str, Any] = {
    Status.ACCEPTED: gettext_lazy("Tiếp nhận"),
    Status.REJECTED: gettext_lazy("Không tiếp nhận"),
    Status.IN_PROGRESS: gettext_lazy("Chuyển xử lý"),
    Status.RESOLVED: gettext_lazy("Trả lời, hoàn tất xử lý"),
}
RETURN_LABEL = gettext_lazy("Trả lại bộ phận tiếp nhận")
REOPEN_LABEL = gettext_lazy("Mở lại để xử lý tiếp")


class ReportDeskViews(admin.ModelAdmin):
    """Access helpers and custom views; ReportAdmin adds the list and fields."""

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
            if action == Status.RESOLVED and data["publish"]:
                set_published_service(report=report, publish=True, by=request.user)
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
