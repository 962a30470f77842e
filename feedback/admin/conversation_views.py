"""The conversation on the report's admin page: one timeline, internal notes,
reporter's hide requests, photos made public, reply templates.

A mixin for ReportAdmin: its own POST URLs, and context added to the change page.
Access: the report must be one this user may open (``_visible_object``); each
service checks the rest.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from feedback import conversation, officials_conversation
from feedback.models import Report, ReporterUpdate


class ConversationDesk(admin.ModelAdmin):
    class Media:
        js = ["js/reply-templates.js"]

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/an-du-lieu/<int:update_id>/",
                wrap(require_POST(self.redact_view)),
                name="feedback_report_redact",
            ),
            path(
                "<path:object_id>/anh/<int:attachment_id>/cong-khai/",
                wrap(require_POST(self.photo_public_view)),
                name="feedback_report_photo_public",
            ),
            path(
                "<path:object_id>/ghi-chu/",
                wrap(require_POST(self.note_view)),
                name="feedback_report_note",
            ),
            path(
                "<path:object_id>/xem-xet-lai/<int:review_id>/da-xem/",
                wrap(require_POST(self.review_handled_view)),
                name="feedback_report_review_handled",
            ),
            *super().get_urls(),
        ]

    def _report_for_post(self, request: HttpRequest, object_id: str) -> Report:
        report: Report = self._visible_object(request, object_id)  # type: ignore[attr-defined]
        return report

    def _back(self, report: Report) -> HttpResponseRedirect:
        return HttpResponseRedirect(
            reverse("admin:feedback_report_change", args=[report.pk])
        )

    def redact_view(
        self, request: HttpRequest, object_id: str, update_id: int
    ) -> HttpResponse:
        report = self._report_for_post(request, object_id)
        hide = get_object_or_404(
            ReporterUpdate, pk=update_id, report=report, kind="hide_request"
        )
        try:
            conversation.redact(hide_request=hide, by=request.user)
        except conversation.ConversationError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(
                request, _("Đã ẩn đoạn dữ liệu cá nhân."), messages.SUCCESS
            )
        return self._back(report)

    def photo_public_view(
        self, request: HttpRequest, object_id: str, attachment_id: int
    ) -> HttpResponse:
        report = self._report_for_post(request, object_id)
        attachment = report.attachments.filter(pk=attachment_id).first()
        if attachment is None:
            raise Http404(_("Không tìm thấy tệp đính kèm."))
        public = request.POST.get("public") == "1"
        try:
            officials_conversation.set_photo_public(
                attachment=attachment,
                public=public,
                by=request.user,
                alt_text=request.POST.get("alt_text", ""),
            )
        except officials_conversation.NotAllowed as error:
            raise PermissionDenied(error.message) from None
        except conversation.ConversationError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(
                request,
                _("Ảnh đã được công khai trên trang phản ánh.")
                if public
                else _("Ảnh không còn hiện trên trang công khai."),
                messages.SUCCESS,
            )
        return self._back(report)

    def note_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        report = self._report_for_post(request, object_id)
        try:
            officials_conversation.add_internal_note(
                report=report, text=request.POST.get("text", ""), by=request.user
            )
        except officials_conversation.NotAllowed as error:
            raise PermissionDenied(error.message) from None
        except conversation.ConversationError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(request, _("Đã thêm ghi chú nội bộ."), messages.SUCCESS)
        return self._back(report)

    def review_handled_view(
        self, request: HttpRequest, object_id: str, review_id: int
    ) -> HttpResponse:
        report = self._report_for_post(request, object_id)
        review = get_object_or_404(report.review_requests, pk=review_id)
        try:
            officials_conversation.mark_review_handled(review=review, by=request.user)
        except officials_conversation.NotAllowed as error:
            raise PermissionDenied(error.message) from None
        self.message_user(
            request, _("Đã ghi nhận: bộ phận tiếp nhận đã xem xét."), messages.SUCCESS
        )
        return self._back(report)

    def _workflow_context(
        self, request: HttpRequest, obj: Report, form: Any
    ) -> dict[str, Any]:
        context: dict[str, Any] = super()._workflow_context(  # type: ignore[misc]
            request, obj, form
        )
        context.update(
            officials_conversation.desk_context(report=obj, user=request.user)
        )
        return context
