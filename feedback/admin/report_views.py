"""The report desk's pages beyond the list: change page with workflow buttons,
workflow posts, attachments, exports and the day's summary above the queue.

Access is decided in feedback/permissions.py and ``Report.objects.visible_to``;
every status change goes through feedback/workflow.py, which calls
``Report.transition``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
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
from django.views.decorators.http import require_POST

from feedback import exports
from feedback.admin.forms import WorkflowForm
from feedback.downloads import attachment_response
from feedback.duplicates import reject_as_duplicate
from feedback.models import (
    Agency,
    Report,
    Status,
    TransitionError,
    due_soon_q,
    overdue_q,
)
from feedback.nearby import duplicate_choices
from feedback.permissions import (
    can_export,
    can_publish,
    can_view_personal_data,
    is_intake,
)
from feedback.routing import suggest_agency
from feedback.workflow import (
    Need,
    allowed_moves,
    move_report,
    record_personal_data_view,
)
from feedback.workflow import set_published as set_published_service


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
        # The buttons: the workflow table's rows this user may use from here.
        moves = [
            {
                "to": move.target,
                "label": move.label,
                "routing": Need.AGENCY in move.requires,
                "needs_answer": Need.ANSWER in move.requires,
                "needs_reason": Need.REASON in move.requires,
                "note_label": move.note_label,
                "open": form is not None and form.data.get("action") == move.target,
            }
            for move in allowed_moves(request.user, obj)
        ]
        return {
            "report": obj,
            "moves": moves,
            "agencies": Agency.objects.filter(is_active=True),
            "duplicates": duplicate_choices(obj),
            "can_reject": Status.REJECTED in [move["to"] for move in moves],
            # The route form pre-selects the current agency, else the rules' pick.
            "suggested_agency_id": obj.agency_id
            or getattr(suggest_agency(obj), "pk", None),
            # The timeline, the files and the access log come from
            # ConversationDesk (feedback/admin/conversation_views.py).
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
            note = data["note"]
            if action == Status.REJECTED and data["duplicate_of"] is not None:
                reject_as_duplicate(
                    report=report,
                    original=data["duplicate_of"],
                    by=request.user,
                    expected=data["expected"],
                    note=note,
                )
                return self._moved(request, report, change_url)
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
        return self._moved(request, report, change_url)

    def _moved(
        self, request: HttpRequest, report: Report, change_url: str
    ) -> HttpResponse:
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
        now = timezone.now()
        # The day's work at a glance, for this user's reports only (one query).
        summary = Report.objects.visible_to(request.user).aggregate(
            overdue=Count("pk", filter=overdue_q(now)),
            soon=Count("pk", filter=due_soon_q(now)),
            new=Count("pk", filter=Q(status=Status.NEW)),
            accepted=Count("pk", filter=Q(status=Status.ACCEPTED)),
            in_progress=Count("pk", filter=Q(status=Status.IN_PROGRESS)),
        )
        context = {
            "summary": summary,
            "warning_days": settings.DEADLINE_WARNING_WORKING_DAYS,
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
