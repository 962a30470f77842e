"""Admin: hide a report from public pages, or redact its public text."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from feedback.forms import CONTENT_MAX, CONTENT_MIN, TITLE_MAX, TITLE_MIN
from feedback.models import Report
from feedback.permissions import is_intake
from feedback.publicity import redact, set_hidden


@admin.action(
    description=gettext_lazy("Ẩn các phản ánh đã chọn khỏi trang công khai"),
    permissions=["triage"],
)
def hide_reports(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Report]
) -> None:
    reason = request.POST.get("note", "")
    count = sum(
        set_hidden(report=report, hidden=True, by=request.user, reason=reason)
        for report in queryset
    )
    modeladmin.message_user(
        request, _("Đã ẩn %(n)d phản ánh khỏi trang công khai.") % {"n": count}
    )


@admin.action(
    description=gettext_lazy("Hiện lại các phản ánh đã chọn trên trang công khai"),
    permissions=["triage"],
)
def unhide_reports(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Report]
) -> None:
    reason = request.POST.get("note", "")
    count = sum(
        set_hidden(report=report, hidden=False, by=request.user, reason=reason)
        for report in queryset
    )
    modeladmin.message_user(
        request, _("Đã hiện lại %(n)d phản ánh trên trang công khai.") % {"n": count}
    )


class RedactForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Tiêu đề công khai"),
        min_length=TITLE_MIN,
        max_length=TITLE_MAX,
    )
    content = forms.CharField(
        label=gettext_lazy("Nội dung công khai"),
        min_length=CONTENT_MIN,
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Lý do biên tập (ghi vào nhật ký)"),
        max_length=300,
        error_messages={"required": gettext_lazy("Cần nêu lý do biên tập.")},
    )


def redact_view(
    modeladmin: admin.ModelAdmin, request: HttpRequest, object_id: str
) -> HttpResponse:
    report = get_object_or_404(Report.objects.visible_to(request.user), pk=object_id)
    if not (request.user.is_superuser or is_intake(request.user)):
        raise PermissionDenied
    change_url = reverse("admin:feedback_report_change", args=[report.pk])
    if request.method == "POST":
        form = RedactForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if redact(
                report=report,
                title=data["title"],
                content=data["content"],
                by=request.user,
                reason=data["reason"],
            ):
                modeladmin.message_user(
                    request, _("Đã biên tập nội dung công khai."), messages.SUCCESS
                )
            return HttpResponseRedirect(change_url)
    else:
        form = RedactForm(initial={"title": report.title, "content": report.content})
    context: dict[str, Any] = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Biên tập nội dung công khai — %(code)s") % {"code": report.code},
        "report": report,
        "form": form,
        "change_url": change_url,
        "opts": Report._meta,
    }
    return TemplateResponse(request, "admin/feedback/report/redact.html", context)


def publicity_urls(modeladmin: admin.ModelAdmin) -> list[URLPattern]:
    def view(request: HttpRequest, object_id: str) -> HttpResponse:
        return redact_view(modeladmin, request, object_id)

    return [
        path(
            "<path:object_id>/bien-tap/",
            modeladmin.admin_site.admin_view(view),
            name="feedback_report_redact",
        )
    ]
