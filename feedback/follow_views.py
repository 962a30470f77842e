"""Following a report and area alerts: subscribe, confirm, unsubscribe."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from feedback import follows
from feedback.conversation import ConversationError
from feedback.forms import AreaAlertForm, FollowForm
from feedback.views import _get_report, _render_detail
from portal.lib import ratelimit

# Confirmation emails asked for per IP and hour: nobody floods an inbox.
SUBSCRIBE_RATE = (20, 3600)
FOLLOW_SENT = (
    "Nếu email này chưa theo dõi phản ánh, Ông/Bà sẽ nhận được email xác nhận. "
    "Vui lòng mở email và bấm vào liên kết để bắt đầu nhận thông báo."
)


def _language() -> str:
    return (get_language() or "vi").split("-")[0]


@require_POST
def follow(request: HttpRequest, code: str) -> HttpResponse:
    report = _get_report(code)
    form = FollowForm(request.POST)
    if form.is_valid():
        if not ratelimit.hit(
            "follow", ratelimit.client_ip(request), rate=SUBSCRIBE_RATE
        ):
            form.add_error(
                None, _("Ông/Bà đã thử quá nhiều lần, vui lòng thử lại sau.")
            )
        else:
            try:
                follows.follow_report(
                    report=report,
                    email=form.cleaned_data["email"],
                    language=_language(),
                )
            except ConversationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _(FOLLOW_SENT))
                return redirect("feedback:detail", code=report.code)
    return _render_detail(request, report, status=400, follow_form=form)


@require_http_methods(["GET"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    subscription = follows.read_token(token, follows.CONFIRM)
    if subscription is None:
        return render(
            request,
            "feedback/follow_result.html",
            {
                "title": _("Liên kết không hợp lệ hoặc đã hết hạn"),
                "text": _("Vui lòng đăng ký lại để nhận email xác nhận mới."),
            },
            status=400,
        )
    if subscription.unsubscribed_at is not None:
        text = _("Đăng ký này đã được huỷ. Vui lòng đăng ký lại nếu muốn nhận tin.")
    elif follows.confirm(subscription):
        text = _("Đã xác nhận. Ông/Bà sẽ nhận email khi có thông tin mới.")
    else:
        text = _("Email này đã được xác nhận trước đó.")
    return render(
        request,
        "feedback/follow_result.html",
        {"title": _("Xác nhận nhận thông báo"), "text": text},
    )


# A mail program's one-click button (RFC 8058) POSTs with no cookie and no CSRF
# token; the signed token in the URL is the proof, and leaving is all it can do.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Opening the link of an email asks, with a button. That button and the
    mail program's own unsubscribe button POST, which unsubscribes. Opening
    alone changes nothing: mail services open links to check them, and would
    unsubscribe everyone."""
    subscription = follows.read_token(token, follows.UNSUBSCRIBE)
    if subscription is None:
        return render(
            request,
            "feedback/follow_result.html",
            {
                "title": _("Liên kết không hợp lệ"),
                "text": _("Liên kết huỷ nhận tin không đúng hoặc đã cũ."),
            },
            status=400,
        )
    if request.method != "POST" and subscription.unsubscribed_at is None:
        return render(
            request,
            "feedback/follow_result.html",
            {
                "title": _("Huỷ nhận thông báo"),
                "text": _(
                    "Bấm nút dưới đây để ngừng nhận email từ đăng ký này. Ông/Bà "
                    "có thể đăng ký lại bất cứ lúc nào."
                ),
                "button": _("Huỷ nhận thông báo"),
            },
        )
    if follows.unsubscribe(subscription):
        text = _("Đã huỷ. Ông/Bà sẽ không nhận thêm email nào từ đăng ký này.")
    else:
        text = _("Đăng ký này đã được huỷ trước đó; không có thay đổi nào.")
    return render(
        request,
        "feedback/follow_result.html",
        {"title": _("Huỷ nhận thông báo"), "text": text},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def area_alerts(request: HttpRequest) -> HttpResponse:
    form = AreaAlertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.hit(
            "follow", ratelimit.client_ip(request), rate=SUBSCRIBE_RATE
        ):
            form.add_error(
                None, _("Ông/Bà đã thử quá nhiều lần, vui lòng thử lại sau.")
            )
        else:
            try:
                follows.subscribe_area(
                    email=form.cleaned_data["email"],
                    commune_code=form.cleaned_data["commune_code"] or "",
                    category=form.cleaned_data["category"],
                    language=_language(),
                )
            except ConversationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _(
                        "Vui lòng mở email và bấm vào liên kết xác nhận để bắt đầu "
                        "nhận bản tin hằng ngày."
                    ),
                )
                return redirect("feedback:area_alerts")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "feedback/area_alerts.html", {"form": form}, status=status)
