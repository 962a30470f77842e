"""The reporter's pages after filing: updates, correction, withdrawal, hiding."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from feedback import conversation
from feedback.forms import (
    CorrectionForm,
    HideRequestForm,
    ReporterUpdateForm,
    WithdrawForm,
)
from feedback.models import Channel, Report
from feedback.reporter_access import holds_proof
from feedback.views import _get_report, _render_detail, _too_large
from portal.lib import ratelimit, uploads

UPDATE_RATE = (10, 3600)  # updates per report and hour


def _reporters_report(request: HttpRequest, code: str) -> Report:
    """The report if this request acts for its reporter; 404 otherwise."""
    report = _get_report(code)
    if not holds_proof(request, report):
        raise Http404
    return report


@require_POST
def add_update(request: HttpRequest, code: str) -> HttpResponse:
    report = _reporters_report(request, code)
    if _too_large(request):
        form = ReporterUpdateForm()
        form.add_error(None, _("Các ảnh quá lớn, vui lòng chọn ảnh nhỏ hơn."))
        return _render_detail(request, report, status=413, update_form=form)
    form = ReporterUpdateForm(request.POST, request.FILES)
    if form.is_valid() and not ratelimit.hit(
        "reporter-update", report.code, rate=UPDATE_RATE
    ):
        form.add_error(
            None,
            _("Ông/Bà đã gửi nhiều thông tin bổ sung, vui lòng thử lại sau ít phút."),
        )
    elif form.is_valid():
        try:
            conversation.add_reporter_update(
                report=report,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["photos"],
                by=request.user,
                channel=Channel.WEB,
            )
        except uploads.UploadRejected as error:
            form.add_error("photos", error.message)
        except conversation.ConversationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Đã gửi thông tin bổ sung. Cơ quan xử lý sẽ nhận được thông báo."),
            )
            return redirect("feedback:detail", code=report.code)
    return _render_detail(request, report, status=400, update_form=form)


@require_http_methods(["GET", "HEAD", "POST"])
def correct(request: HttpRequest, code: str) -> HttpResponse:
    report = _reporters_report(request, code)
    if not conversation.correction_open(report):
        messages.error(
            request,
            _(
                "Đã quá thời gian sửa phản ánh. Ông/Bà có thể gửi thông tin bổ sung "
                "ở cuối trang."
            ),
        )
        return redirect("feedback:detail", code=report.code)
    form = CorrectionForm(
        request.POST or None,
        initial={"title": report.title, "content": report.content},
    )
    if request.method == "POST" and form.is_valid():
        try:
            conversation.correct_report(
                report=report,
                title=form.cleaned_data["title"],
                content=form.cleaned_data["content"],
                by=request.user,
            )
        except conversation.ConversationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Đã lưu tiêu đề và nội dung đã sửa."))
            return redirect("feedback:detail", code=report.code)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "feedback/correct.html",
        {"report": report, "form": form},
        status=status,
    )


@require_POST
def withdraw(request: HttpRequest, code: str) -> HttpResponse:
    report = _reporters_report(request, code)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            conversation.withdraw_report(
                report=report, by=request.user, reason=form.cleaned_data["reason"]
            )
        except conversation.ConversationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Đã rút phản ánh."))
            return redirect("feedback:detail", code=report.code)
    return _render_detail(request, report, status=400, withdraw_form=form)


@require_POST
def hide(request: HttpRequest, code: str) -> HttpResponse:
    report = _reporters_report(request, code)
    form = HideRequestForm(request.POST)
    if form.is_valid():
        try:
            conversation.request_hiding(
                report=report, text=form.cleaned_data["text"], by=request.user
            )
        except conversation.ConversationError as error:
            form.add_error("text", error.message)
        else:
            messages.success(
                request,
                _("Đã gửi đề nghị ẩn. Cán bộ sẽ ẩn đoạn này trong thời gian sớm nhất."),
            )
            return redirect("feedback:detail", code=report.code)
    return _render_detail(request, report, status=400, hide_form=form)


@require_POST
def questionnaire_opt_out(request: HttpRequest, code: str) -> HttpResponse:
    """The reporter does not want the “Sự việc đã được giải quyết chưa?” email."""
    report = _reporters_report(request, code)
    Report.objects.filter(pk=report.pk).update(questionnaire_opt_out=True)
    messages.success(
        request, _("Đã ghi nhận: Ông/Bà sẽ không nhận email hỏi kết quả xử lý.")
    )
    return redirect("feedback:detail", code=report.code)
