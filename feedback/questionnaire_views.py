"""The questionnaire's signed links: yes, not yet (the review flow), opt out."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from feedback import conversation, questionnaire, services
from feedback.forms import ReviewForm
from feedback.reporter_access import SESSION_PROVEN, _remember


# The opt-out link is the email's List-Unsubscribe: a mail program POSTs to it
# with no cookie and no CSRF token (RFC 8058). Only that signed link is exempt;
# the yes / not-yet forms keep their CSRF check (``_answer``).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    found = questionnaire.read_token(token)
    if found is None:
        return render(
            request,
            "feedback/follow_result.html",
            {
                "title": _("Liên kết không hợp lệ hoặc đã hết hạn"),
                "text": _("Ông/Bà có thể tra cứu phản ánh bằng mã phản ánh."),
            },
            status=400,
        )
    report, choice = found
    # The link came to the reporter's mailbox: it proves who they are.
    _remember(request, SESSION_PROVEN, report.code)
    if choice != questionnaire.STOP:
        return _answer(request, report, choice)
    # Opening the link only asks, as for unsubscribing from follows: mail
    # services open links to check them. The button and the mail program's
    # one-click unsubscribe POST.
    if request.method != "POST":
        return render(
            request,
            "feedback/follow_result.html",
            {
                "title": _("Không nhận phiếu hỏi kết quả"),
                "text": _(
                    "Bấm nút dưới đây để không nhận email hỏi kết quả xử lý các "
                    "phản ánh của Ông/Bà nữa."
                ),
                "button": _("Không nhận phiếu hỏi"),
            },
        )
    questionnaire.opt_out(report=report)
    return render(
        request,
        "feedback/follow_result.html",
        {
            "title": _("Không nhận phiếu hỏi kết quả"),
            "text": _("Đã ghi nhận. Ông/Bà sẽ không nhận email hỏi kết quả xử lý nữa."),
        },
    )


@csrf_protect
def _answer(
    request: HttpRequest, report: questionnaire.Report, choice: str
) -> HttpResponse:
    bound = request.POST if request.method == "POST" else None
    form = ReviewForm(bound) if choice == questionnaire.NOT_YET else None
    if request.method == "POST":
        try:
            with transaction.atomic():
                _apply(report, choice, form, request)
        except (services.RatingError, conversation.ConversationError) as error:
            if form is None:
                messages.error(request, error.message)
                return redirect("feedback:detail", code=report.code)
            form.add_error(None, error.message)
        except _Invalid:
            pass
        else:
            return redirect("feedback:detail", code=report.code)
    return render(
        request,
        "feedback/questionnaire.html",
        {"report": report, "choice": choice, "form": form},
        status=400 if form is not None and form.is_bound else 200,
    )


class _Invalid(Exception):
    pass


def _apply(
    report: questionnaire.Report,
    choice: str,
    form: ReviewForm | None,
    request: HttpRequest,
) -> None:
    if choice == questionnaire.YES:
        services.rate_report(report=report, satisfied=True, comment="")
        messages.success(request, _("Cảm ơn Ông/Bà đã cho biết kết quả."))
        return
    assert form is not None
    if not form.is_valid():
        raise _Invalid
    data = form.cleaned_data
    if services.rating_of_answer(report) is None:
        services.rate_report(
            report=report,
            satisfied=False,
            comment=data["comment"],
            reasons=data["reasons"],
        )
    conversation.request_review(
        report=report,
        by=request.user,
        reasons=data["reasons"],
        comment=data["comment"],
        via_questionnaire=True,
    )
    messages.success(
        request,
        _(
            "Đã gửi yêu cầu xem xét lại. Phản ánh được mở lại để xử lý tiếp; "
            "Ông/Bà sẽ nhận thông báo qua email khi có kết quả mới."
        ),
    )
