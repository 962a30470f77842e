from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from feedback import conversation, lookups, nearby_step, public_pages, services
from feedback import held as held_files
from feedback.downloads import attachment_response
from feedback.follows import follower_count
from feedback.forms import (
    FollowForm,
    HideRequestForm,
    LookupForm,
    RatingForm,
    ReporterProofForm,
    ReporterUpdateForm,
    ReportFilterForm,
    ReportForm,
    ReviewForm,
    WithdrawForm,
)
from feedback.models import Attachment, Channel, Report, ReporterUpdate, Status
from feedback.nearby import Nearby
from feedback.permissions import can_view_personal_data
from feedback.reporter_access import (
    TooManyAttempts,
    filed_in_session,
    holds_proof,
    is_reporter,
    prove_with_email,
    remember_filed,
)
from feedback.workflow import record_personal_data_view
from portal.lib import pagecache, ratelimit
from portal.lib.codes import normalize_code
from portal.lib.pagination import CachedCountPaginator
from portal.lib.qr import qr_svg


def _too_many_guesses(request: HttpRequest) -> HttpResponse:
    context = {"request_id": getattr(request, "request_id", "")}
    return render(request, "errors/429.html", context, status=429)


def _get_report_counting_misses(request: HttpRequest, code: str) -> Report:
    """_get_report for URLs anyone can type, through the one code look-up limit.

    Raises lookups.TooManyGuesses (answered 429) or Http404.
    """
    report = lookups.look_up_one(request, code)
    if report is None:
        raise Http404
    lookups.remember(request, report.code)
    return report


def _get_report(code: str) -> Report:
    canonical = normalize_code(code)
    if canonical is None:
        raise Http404
    return get_object_or_404(
        Report.objects.select_related("category", "agency", "rating", "commune"),
        code=canonical,
    )


def _too_large(request: HttpRequest) -> bool:
    """A body far over the attachment limits is refused before it is read."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.REPORT_MAX_TOTAL_SIZE + 1024 * 1024


@require_http_methods(["GET", "HEAD", "POST"])
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
    # Read before a POST without a session gets one: a new session holds nothing.
    held = held_files.held_for(request.session.session_key)
    session_key = _session_key(request) if request.method == "POST" else None
    token = request.POST.get("nearby_step", "")
    step = nearby_step.Claim()
    if session_key is not None and token:
        step = nearby_step.claim(session_key, token)
        if step.filed_code:
            return _filed_already(request, step.filed_code)
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        ip=ratelimit.client_ip(request),
        held=held,
        verified=step.verified,
    )
    context: dict[str, Any] = {"form": form}
    if request.method == "POST":
        assert session_key is not None
        valid = form.is_valid()
        held_files.drop(session_key=session_key, ids=form.dropped_held)
        if valid and not step.verified:
            found = nearby_step.not_seen(request.POST, form.cleaned_data)
            if found:
                return _nearby_step(request, form, found, session_key)
        if valid:
            report = None
            try:
                report = services.submit_report(
                    data=form.cleaned_data,
                    checked=form.checked_files,
                    held=form.kept_held,
                    user=request.user,
                    # Set by static/js/pwa.js when the portal runs as an installed app.
                    channel=Channel.APP
                    if request.POST.get("kenh") == "app"
                    else Channel.WEB,
                )
            finally:
                if step.verified:
                    filed = report.code if report is not None else ""
                    nearby_step.finish(session_key, token, filed)
            remember_filed(request, report)
            return redirect("feedback:submitted", code=report.code)
        if step.verified:
            # The captcha was passed for this submission: not asked again.
            nearby_step.finish(session_key, token, "")
            context["nearby_step"] = nearby_step.issue(session_key)
        elif token and "captcha" in form.fields:
            messages.error(request, STEP_EXPIRED())
        # The form comes back with errors: the files that passed wait for it.
        held_files.hold(session_key=session_key, files=form.checked_files)
        form.held = held_files.held_for(session_key)
    return render(request, "feedback/submit.html", context)


def STEP_EXPIRED() -> str:
    return _(
        "Bước xem phản ánh gần đây đã hết hạn. Vui lòng nhập mã xác thực "
        "rồi gửi lại phản ánh."
    )


def _nearby_step(
    request: HttpRequest, form: ReportForm, found: list[Nearby], session_key: str
) -> HttpResponse:
    """The step: the reports nearby, to follow one, or file this one anyway."""
    held_files.hold(session_key=session_key, files=form.checked_files)
    email = form.cleaned_data.get("email") or ""
    nearby = [
        {
            "report": item.report,
            "distance_m": round(item.distance_m),
            # Several forms on one page: ids must stay unique.
            "follow_form": FollowForm(
                initial={"email": email}, auto_id=f"follow_{n}_%s"
            ),
        }
        for n, item in enumerate(found, start=1)
    ]
    response = render(
        request,
        "feedback/submit_nearby.html",
        {
            "nearby": nearby,
            "carry": nearby_step.carried(request.POST),
            "token": nearby_step.issue(session_key),
            "held": held_files.held_for(session_key),
            "days": settings.NEARBY_DAYS,
        },
    )
    # What the citizen typed is in the page: never cached.
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    return response


def _filed_already(request: HttpRequest, code: str) -> HttpResponse:
    """A second submit of the same step: the report the first one filed."""
    report = get_object_or_404(Report, code=code)
    remember_filed(request, report)
    return redirect("feedback:submitted", code=report.code)


def _session_key(request: HttpRequest) -> str:
    """The browser session's key, creating the session if it has none yet."""
    if not request.session.session_key:
        request.session.save()
    return str(request.session.session_key)


@require_safe
def submitted(request: HttpRequest, code: str) -> HttpResponse:
    report = _get_report(code)
    if not filed_in_session(request, report):
        raise Http404
    link = request.build_absolute_uri(
        reverse("feedback:detail", kwargs={"code": report.code})
    )
    qr = qr_svg(link, _("Mã QR mở trang theo dõi phản ánh %(code)s") % {"code": code})
    return render(
        request,
        "feedback/submitted.html",
        {"report": report, "link": link, "qr": qr},
    )


@require_safe
def lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        try:
            report = lookups.look_up_one(request, form.cleaned_data["code"])
        except lookups.TooManyGuesses:
            return _too_many_guesses(request)
        if report is not None:
            lookups.remember(request, report.code)
            return redirect("feedback:detail", code=report.code)
        form.add_error(
            "code",
            _(
                "Không tìm thấy phản ánh có mã này. Vui lòng kiểm tra lại mã "
                "trong email xác nhận hoặc trang gửi thành công."
            ),
        )
    return render(request, "feedback/lookup.html", {"form": form})


@require_safe
@pagecache.cache_anonymous_page([public_pages.LIST_VERSION_KEY])
def report_list(request: HttpRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET)
    form.is_valid()  # invalid filters are ignored; the valid ones still apply
    data = form.cleaned_data
    filters = {
        name: data[name] for name in ("category", "status", "commune") if data.get(name)
    }
    reports = Report.objects.public().select_related("category", "commune")
    reports = reports.only(
        "code", "title", "content", "status", "resolved_at", "created_at",
        "category__name", "commune__name",
    )  # fmt: skip
    # It ranks what the other filters leave, best matches first.
    found = reports.ranked_search(data["q"], **filters) if data.get("q") else None
    newest = reports.filter(**filters).order_by("-created_at", "-pk")
    results: Any = found if found is not None else newest
    # COUNT(*) over the published reports takes ~0.5 s at a million rows: cached.
    paginator = CachedCountPaginator(
        results, 20, count_timeout=settings.STATS_CACHE_SECONDS
    )
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "capped": found is not None and found.more,
        "filters_version": public_pages.filters_version(),
        "filters_seconds": public_pages.FILTERS_SECONDS,
    }
    return render(request, "feedback/list.html", context)


@require_safe
def detail(request: HttpRequest, code: str) -> HttpResponse:
    # Anonymous visitors share one rendering of the page while nothing on it
    # changes (public_pages); the code look-up limit still applies to them.
    cache_as = None
    if (
        pagecache.enabled(request)
        and normalize_code(code) == code
        and not public_pages.may_differ_for(request, code)
    ):
        key = pagecache.page_key(request, "report")
        checked_key = public_pages.checked_key(code)
        limit_key, limit = lookups.limit_key(request)
        entry, found = pagecache.fetch(
            key, checked_key, *([limit_key] if limit else [])
        )
        over_limit = limit > 0 and int(found.get(limit_key) or 0) >= limit
        version = None
        if not over_limit:
            version = public_pages.recent_fingerprint(code, found.get(checked_key))
        if version is not None:
            hit = pagecache.serve(request, key, entry, version, never_cache=False)
            if hit is not None:
                lookups.remember(request, code, create=False)
                return hit
            cache_as = (key, version)
    try:
        report = _get_report_counting_misses(request, code)
    except lookups.TooManyGuesses:
        return _too_many_guesses(request)
    if report.code != code:
        return redirect("feedback:detail", code=report.code, permanent=True)
    return _render_detail(request, report, cache_as=cache_as)


def _log_access(request: HttpRequest, report: Report) -> None:
    # Law 91/2025: officials' access to personal data is recorded (once a day).
    record_personal_data_view(report=report, by=request.user)


def _rating_of(report: Report) -> Any:
    try:
        return report.rating
    except Report.rating.RelatedObjectDoesNotExist:
        return None


def _may_rate(report: Report, rating: Any) -> bool:
    """Unrated, or rated before the latest answer (reopened and answered again)."""
    if report.status != Status.RESOLVED:
        return False
    return rating is None or (
        report.resolved_at is not None and rating.created_at < report.resolved_at
    )


def _render_detail(
    request: HttpRequest,
    report: Report,
    rating_form: RatingForm | None = None,
    status: int = 200,
    cache_as: tuple[str, object] | None = None,
    **forms: Any,
) -> HttpResponse:
    """The report page; ``cache_as`` (key, version): the page may be shared
    with every anonymous visitor who sees it as this one does."""
    owner = is_reporter(request.user, report)
    personal = can_view_personal_data(request.user, report)
    proven = holds_proof(request, report)
    # Once public, the code is on public pages: holding it proves nothing, so
    # everyone but the proven reporter and allowed officials gets the public view
    # (no location text, the answer once published).
    public_view = report.was_public and not (owner or personal or proven)
    if personal and not owner:
        _log_access(request, report)
    rating = _rating_of(report)
    may_rate = _may_rate(report, rating)
    can_review = conversation.can_request_review(report)
    if rating_form is None and may_rate:
        rating_form = RatingForm(needs_email=not proven, can_review=can_review)
    changes = list(report.changes.all())
    public = report.is_public  # the same test as Report.objects.public(), no query
    files = conversation_context(
        report, proven=proven, personal=personal, public=public
    )
    context = {
        "report": report,
        "changes": changes,
        "is_owner": owner,
        "is_reporter": proven,
        "show_personal": personal,
        "public_view": public_view,
        "show_answer": report.status == "resolved"
        and bool(report.answer)
        and (report.is_published or not public_view),
        "rating": rating,
        "rating_form": rating_form if may_rate else None,
        "review_form": forms.get("review_form")
        or (
            ReviewForm(initial={"reasons": rating.reasons if rating else []})
            if proven and can_review and rating is not None and not rating.satisfied
            else None
        ),
        "review_window_end": conversation.review_window_end(report),
        "proof_form": forms.get("proof_form")
        or (ReporterProofForm() if not proven else None),
        "timeline": timeline(report, changes, files["update_files"]),
        "update_form": forms.get("update_form")
        or (ReporterUpdateForm() if proven and report.is_open else None),
        "can_correct": proven and conversation.correction_open(report),
        "correction_minutes": settings.CORRECTION_MINUTES,
        "withdraw_form": forms.get("withdraw_form")
        or (
            WithdrawForm() if proven and conversation.correction_open(report) else None
        ),
        "hide_form": forms.get("hide_form") or (HideRequestForm() if proven else None),
        "is_public": public,
        "followers": follower_count(report) if public else 0,
        # The reporter is told of every change already.
        "follow_form": forms.get("follow_form")
        or (FollowForm() if public and not proven else None),
        **files,
        **{k: v for k, v in forms.items() if v is not None},
    }
    if personal or owner or proven:
        response = render(request, "feedback/detail.html", context, status=status)
        # The reporter's own data, or an official's view of it: never cached.
        patch_cache_control(response, private=True, no_store=True, max_age=0)
        return response
    if cache_as is None:
        return render(request, "feedback/detail.html", context, status=status)
    key, version = cache_as
    response = pagecache.render_for_cache(
        request, lambda: render(request, "feedback/detail.html", context, status=status)
    )
    return pagecache.store(
        request,
        key,
        response,
        version,
        settings.REPORT_PAGE_CACHE_SECONDS,
        never_cache=False,
    )


def timeline(
    report: Report, changes: list[Any], update_files: list[Attachment]
) -> list[dict[str, Any]]:
    """The public timeline: status changes and the reporter's updates, in order."""
    items: list[dict[str, Any]] = [
        {"at": c.created_at, "status": c.get_to_status_display()} for c in changes
    ]
    updates = report.reporter_updates.filter(
        kind__in=(ReporterUpdate.Kind.UPDATE, ReporterUpdate.Kind.CORRECTION)
    ).only("kind", "text", "created_at", "report_id")
    for update in updates:
        items.append(
            {
                "at": update.created_at,
                "update": update.text
                if update.kind == ReporterUpdate.Kind.UPDATE
                else "",
                "corrected": update.kind == ReporterUpdate.Kind.CORRECTION,
                "files": [f for f in update_files if f.update_id == update.pk],
            }
        )
    items.sort(key=lambda item: item["at"])
    return items


def conversation_context(
    report: Report, *, proven: bool, personal: bool, public: bool
) -> dict[str, Any]:
    """Photos and files by who may see them: the reporter and the officials
    allowed their personal data see all; the public sees the photos an
    official marked public and the answer's files once the answer is public."""
    files = list(report.attachments.all())
    if proven or personal:
        shown = files
    else:
        answer_public = report.is_published and report.status == Status.RESOLVED
        photos_public = public
        shown = [
            f
            for f in files
            if (f.kind == Attachment.Kind.ANSWER and answer_public)
            or (f.is_public and f.is_image and photos_public)
        ]
    return {
        "attachments": [f for f in shown if f.kind == Attachment.Kind.CITIZEN],
        "answer_files": [f for f in shown if f.kind == Attachment.Kind.ANSWER],
        "update_files": [f for f in shown if f.kind == Attachment.Kind.UPDATE],
    }


def _check_proof(
    request: HttpRequest, report: Report, form: Any, field: str = "email"
) -> bool:
    """True when the request acts for the reporter; else adds the form error."""
    if holds_proof(request, report):
        return True
    try:
        if prove_with_email(request, report, form.cleaned_data.get(field) or ""):
            return True
    except TooManyAttempts:
        form.add_error(None, _("Ông/Bà đã thử quá nhiều lần, vui lòng thử lại sau."))
        return False
    form.add_error(field, _("Email không khớp với email đã dùng khi gửi phản ánh."))
    return False


@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    try:
        report = _get_report_counting_misses(request, code)
    except lookups.TooManyGuesses:
        return _too_many_guesses(request)
    proven = holds_proof(request, report)
    can_review = conversation.can_request_review(report)
    form = RatingForm(request.POST, needs_email=not proven, can_review=can_review)
    if not form.is_valid() or not _check_proof(request, report, form):
        # The page again with the form's errors: a normal answer, not a 400.
        return _render_detail(request, report, form)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            services.rate_report(
                report=report,
                satisfied=data["satisfied"],
                comment=data["comment"],
                reasons=data["reasons"],
            )
            if data.get("request_review"):
                conversation.request_review(
                    report=report,
                    by=request.user,
                    reasons=data["reasons"],
                    comment=data["comment"],
                )
    except (services.RatingError, conversation.ConversationError) as error:
        messages.error(request, error.message)
    else:
        if data.get("request_review"):
            messages.success(request, REVIEW_DONE())
        else:
            messages.success(request, _("Cảm ơn Ông/Bà đã đánh giá kết quả xử lý."))
    return redirect("feedback:detail", code=report.code)


def REVIEW_DONE() -> str:
    return _(
        "Đã gửi yêu cầu xem xét lại. Phản ánh được mở lại để xử lý tiếp; "
        "Ông/Bà sẽ nhận thông báo qua email khi có kết quả mới."
    )


@require_POST
def prove(request: HttpRequest, code: str) -> HttpResponse:
    """“Tôi là người gửi”: the email used when filing, checked once a session."""
    try:
        report = _get_report_counting_misses(request, code)
    except lookups.TooManyGuesses:
        return _too_many_guesses(request)
    form = ReporterProofForm(request.POST)
    if not form.is_valid() or not _check_proof(request, report, form):
        return _render_detail(request, report, status=400, proof_form=form)
    messages.success(
        request,
        _("Đã xác nhận Ông/Bà là người gửi phản ánh này (trong phiên truy cập này)."),
    )
    return redirect("feedback:detail", code=report.code)


@require_POST
def review(request: HttpRequest, code: str) -> HttpResponse:
    """“Yêu cầu xem xét lại” after a “Chưa hài lòng” rating."""
    report = _get_report(code)
    if not holds_proof(request, report):
        raise Http404
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, report, status=400, review_form=form)
    try:
        conversation.request_review(
            report=report,
            by=request.user,
            reasons=form.cleaned_data["reasons"],
            comment=form.cleaned_data["comment"],
        )
    except conversation.ConversationError as error:
        form.add_error(None, error.message)
        return _render_detail(request, report, status=400, review_form=form)
    messages.success(request, REVIEW_DONE())
    return redirect("feedback:detail", code=report.code)


@require_safe
def attachment_file(
    request: HttpRequest, code: str, pk: int, thumbnail: bool = False
) -> HttpResponseBase:
    """A citizen's file, only for those who may see the reporter's personal data."""
    report = _get_report(code)
    attachment = get_object_or_404(report.attachments, pk=pk)
    personal = can_view_personal_data(request.user, report)
    if not personal and not holds_proof(request, report):
        if not is_public_file(report, attachment):
            raise Http404
        return attachment_response(attachment, thumbnail=thumbnail, public=True)
    if personal and not is_reporter(request.user, report):
        _log_access(request, report)
    return attachment_response(attachment, thumbnail=thumbnail)


def is_public_file(report: Report, attachment: Attachment) -> bool:
    """What the public page shows: photos an official marked public, and the
    answer's files once the answer is published."""
    if attachment.kind == Attachment.Kind.ANSWER:
        return report.status == Status.RESOLVED and report.is_published
    return attachment.is_public and attachment.is_image and report.is_public
