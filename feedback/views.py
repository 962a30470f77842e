from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from feedback import held as held_files
from feedback import services
from feedback.downloads import attachment_response
from feedback.forms import LookupForm, RatingForm, ReportFilterForm, ReportForm
from feedback.models import Attachment, Channel, Report
from feedback.permissions import can_view_personal_data
from feedback.workflow import record_personal_data_view
from portal.lib import ratelimit
from portal.lib.codes import normalize_code
from portal.lib.pagination import CachedCountPaginator
from portal.lib.qr import qr_svg

# Codes this browser session filed: only they may open their success page.
SESSION_CODES = "feedback.submitted_codes"
RATING_ATTEMPTS = (10, 3600)  # wrong-email guesses per IP and hour
# Codes that find nothing, per IP: guessing codes by the thousand is refused (429).
CODE_MISS_SCOPE = "code-miss"


def _miss_rate() -> tuple[int, int]:
    return (settings.CODE_MISS_LIMIT, settings.CODE_MISS_WINDOW)


def _guessing(request: HttpRequest) -> bool:
    ip = ratelimit.client_ip(request)
    return ratelimit.exceeded(CODE_MISS_SCOPE, ip, rate=_miss_rate())


def _count_miss(request: HttpRequest) -> None:
    ratelimit.hit(CODE_MISS_SCOPE, ratelimit.client_ip(request), rate=_miss_rate())


def _too_many_guesses(request: HttpRequest) -> HttpResponse:
    context = {"request_id": getattr(request, "request_id", "")}
    return render(request, "errors/429.html", context, status=429)


def _get_report_counting_misses(request: HttpRequest, code: str) -> Report:
    """_get_report for URLs anyone can type: a miss counts towards the limit."""
    try:
        return _get_report(code)
    except Http404:
        _count_miss(request)
        raise


def _get_report(code: str) -> Report:
    canonical = normalize_code(code)
    if canonical is None:
        raise Http404
    return get_object_or_404(
        Report.objects.select_related("category", "agency", "rating"), code=canonical
    )


def _too_large(request: HttpRequest) -> bool:
    """A body far over the attachment limits is refused before it is read."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.REPORT_MAX_TOTAL_SIZE + 1024 * 1024


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and _too_large(request):
        messages.error(
            request,
            _(
                "Các tệp đính kèm quá lớn (tổng cộng tối đa %(size)s MB). "
                "Vui lòng chọn ít tệp hơn hoặc tệp nhỏ hơn rồi gửi lại."
            )
            % {"size": settings.REPORT_MAX_TOTAL_SIZE // (1024 * 1024)},
        )
        form = ReportForm(user=request.user)
        return render(request, "feedback/submit.html", {"form": form}, status=413)
    session_key = _session_key(request) if request.method == "POST" else None
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        ip=ratelimit.client_ip(request),
        held=held_files.held_for(request.session.session_key),
    )
    if request.method == "POST":
        assert session_key is not None
        valid = form.is_valid()
        held_files.drop(session_key=session_key, ids=form.dropped_held)
        if valid:
            report = services.submit_report(
                data=form.cleaned_data,
                prepared=form.checked_files,
                held=form.kept_held,
                user=request.user,
                # Set by static/js/pwa.js when the portal runs as an installed app.
                channel=Channel.APP
                if request.POST.get("kenh") == "app"
                else Channel.WEB,
            )
            codes = [*request.session.get(SESSION_CODES, []), report.code]
            request.session[SESSION_CODES] = codes[-20:]
            return redirect("feedback:submitted", code=report.code)
        # The form comes back with errors: the files that passed wait for it.
        held_files.hold(session_key=session_key, files=form.checked_files)
        form.held = held_files.held_for(session_key)
    return render(request, "feedback/submit.html", {"form": form})


def _session_key(request: HttpRequest) -> str:
    """The browser session's key, creating the session if it has none yet."""
    if not request.session.session_key:
        request.session.save()
    return str(request.session.session_key)


@require_GET
def submitted(request: HttpRequest, code: str) -> HttpResponse:
    if code not in request.session.get(SESSION_CODES, []):
        raise Http404
    report = _get_report(code)
    link = request.build_absolute_uri(
        reverse("feedback:detail", kwargs={"code": report.code})
    )
    qr = qr_svg(link, _("Mã QR mở trang theo dõi phản ánh %(code)s") % {"code": code})
    return render(
        request,
        "feedback/submitted.html",
        {"report": report, "link": link, "qr": qr},
    )


@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.GET if "code" in request.GET else None)
    if form.is_bound and _guessing(request):
        return _too_many_guesses(request)
    if form.is_bound and form.is_valid():
        code = normalize_code(form.cleaned_data["code"])
        if code is not None and Report.objects.filter(code=code).exists():
            return redirect("feedback:detail", code=code)
        _count_miss(request)
        form.add_error(
            "code",
            _(
                "Không tìm thấy phản ánh có mã này. Vui lòng kiểm tra lại mã "
                "trong email xác nhận hoặc trang gửi thành công."
            ),
        )
    return render(request, "feedback/lookup.html", {"form": form})


@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET)
    form.is_valid()  # invalid filters are ignored; the valid ones still apply
    data = form.cleaned_data
    reports = Report.objects.published().select_related("category")
    if data.get("q"):
        reports = reports.search(data["q"])
    if data.get("category"):
        reports = reports.filter(category=data["category"])
    if data.get("status"):
        reports = reports.filter(status=data["status"])
    reports = reports.order_by("-resolved_at", "-pk").only(
        "code", "title", "content", "status", "resolved_at", "created_at",
        "category__name",
    )  # fmt: skip
    # COUNT(*) over the published reports takes ~0.5 s at a million rows: cached.
    paginator = CachedCountPaginator(
        reports, 20, count_timeout=settings.STATS_CACHE_SECONDS
    )
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "feedback/list.html", {"form": form, "page": page})


@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    if _guessing(request):
        return _too_many_guesses(request)
    report = _get_report_counting_misses(request, code)
    if report.code != code:
        return redirect("feedback:detail", code=report.code, permanent=True)
    return _render_detail(request, report)


def is_reporter(user: Any, report: Report) -> bool:
    """The account that filed the report (not merely someone holding the code)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and report.reporter_id is not None
        and report.reporter_id == user.pk
    )


def _log_access(request: HttpRequest, report: Report) -> None:
    # Law 91/2025: officials' access to personal data is recorded (once a day).
    record_personal_data_view(report=report, by=request.user)


def _rating_of(report: Report) -> object | None:
    try:
        return report.rating
    except Report.rating.RelatedObjectDoesNotExist:
        return None


def _render_detail(
    request: HttpRequest,
    report: Report,
    rating_form: RatingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    owner = is_reporter(request.user, report)
    personal = can_view_personal_data(request.user, report)
    if personal and not owner:
        _log_access(request, report)
    rating = _rating_of(report)
    # The files may show faces, homes and documents: only for those who may see
    # the reporter's personal data (the officials' answer files go with them).
    files = list(report.attachments.all()) if personal else []
    if rating_form is None and report.status == "resolved" and rating is None:
        rating_form = RatingForm(needs_email=not owner)
    context = {
        "report": report,
        "changes": list(report.changes.all()),
        "attachments": [f for f in files if f.kind == Attachment.Kind.CITIZEN],
        "answer_files": [f for f in files if f.kind == Attachment.Kind.ANSWER],
        "is_owner": owner,
        "show_personal": personal,
        "rating": rating,
        "rating_form": rating_form if rating is None else None,
    }
    return render(request, "feedback/detail.html", context, status=status)


@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    if _guessing(request):
        return _too_many_guesses(request)
    report = _get_report_counting_misses(request, code)
    owner = is_reporter(request.user, report)
    form = RatingForm(request.POST, needs_email=not owner)
    if form.is_valid():
        if not owner and (
            not report.email
            or form.cleaned_data["email"].lower() != report.email.lower()
        ):
            if ratelimit.hit(
                "rating-email", ratelimit.client_ip(request), rate=RATING_ATTEMPTS
            ):
                form.add_error(
                    "email", _("Email không khớp với email đã dùng khi gửi phản ánh.")
                )
            else:
                form.add_error(
                    None, _("Bạn đã thử quá nhiều lần, vui lòng thử lại sau.")
                )
            return _render_detail(request, report, form)
        try:
            services.rate_report(
                report=report,
                satisfied=form.cleaned_data["satisfied"],
                comment=form.cleaned_data["comment"],
            )
        except services.RatingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Cảm ơn bạn đã đánh giá kết quả xử lý."))
        return redirect("feedback:detail", code=report.code)
    return _render_detail(request, report, form)


@require_GET
def attachment_file(
    request: HttpRequest, code: str, pk: int, thumbnail: bool = False
) -> HttpResponseBase:
    """A citizen's file, only for those who may see the reporter's personal data."""
    report = _get_report(code)
    if not can_view_personal_data(request.user, report):
        raise Http404
    attachment = get_object_or_404(report.attachments, pk=pk)
    if not is_reporter(request.user, report):
        _log_access(request, report)
    return attachment_response(attachment, thumbnail=thumbnail)
