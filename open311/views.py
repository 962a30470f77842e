"""Open311 GeoReport v2 endpoints (/open311/v2/) and the partners' API guide.

Every answer under /open311/ is Open311: a view that fails, a method a path does
not take, a path that does not exist all answer the standard's error list, in the
format the path asks for (XML, the required one, when it names none).
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from feedback import lookups
from feedback.models import Attachment, Category, Report
from open311 import selectors, services
from open311.forms import (
    MAX_RESULTS,
    PARAMETERS,
    DateWindowForm,
    RequestsFilterForm,
    ServiceRequestForm,
    UpdateForm,
)
from open311.models import Partner
from open311.render import (
    accepts_gzip,
    body_of,
    compressed,
    errors,
    fmt_of,
    respond,
    respond_shared,
)
from portal.lib import pagecache, ratelimit, uploads

logger = logging.getLogger(__name__)

CHANGESET = "2026-12-01T00:00:00+07:00"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
View = Callable[..., HttpResponse]
LIST_CACHE_PREFIX = "open311:requests:"


class ApiError(Exception):
    """A refusal deep in a view (e.g. a look-up limit), answered as an Open311
    error with its own status code by the ``api`` decorator."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def api(*methods: str) -> Callable[[View], View]:
    """An Open311 view: ``fmt`` normalised, other methods a 405, any failure a
    400 or 500, each in the Open311 error format.

    Partner servers authenticate with api_key, never a browser cookie, so CSRF
    does not apply (and would answer an HTML page).
    """
    allowed = {*methods, "HEAD"} if "GET" in methods else set(methods)

    def decorate(view: View) -> View:
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            fmt = fmt_of(kwargs.pop("fmt", None))
            if request.method not in allowed:
                response = errors(
                    fmt,
                    405,
                    _(
                        "Phương thức %(method)s không dùng được ở đây; chỉ nhận "
                        "%(allowed)s."
                    )
                    % {"method": request.method, "allowed": ", ".join(methods)},
                )
                response["Allow"] = ", ".join(sorted(allowed))
                return response
            try:
                return view(request, fmt, *args, **kwargs)
            except ApiError as error:
                return errors(fmt, error.status, error.message)
            except SuspiciousOperation as error:
                logger.warning("Open311 request refused: %s", type(error).__name__)
                return errors(
                    fmt, 400, _("Yêu cầu không hợp lệ (quá lớn hoặc sai dạng).")
                )
            except Exception:
                logger.exception("Open311 request failed")
                return errors(
                    fmt,
                    500,
                    _("Lỗi hệ thống; hãy thử lại sau. Mã yêu cầu: %(id)s")
                    % {"id": getattr(request, "request_id", "")},
                )

        return wrapper

    return decorate


def _base_url(request: HttpRequest) -> str:
    """The endpoint's base URL without a trailing slash, as in the discovery
    specification's example: a client appends "/requests.xml" to it."""
    url = request.build_absolute_uri(reverse("open311:discovery", args=["xml"]))
    return url.rsplit("/", 1)[0]


def reports_by_code(request: HttpRequest, raw_codes: list[str]) -> list[Report]:
    """The reports named by codes a client sent: THE by-code look-up of the API.

    GET requests?service_request_id=, GET requests/{id} and POST
    servicerequestupdates all come through here, so the one limit on guessing
    tracking codes (feedback.lookups, shared with the web pages) covers them
    all: a batch of N codes is N look-ups, and a refusal is an Open311 error
    (400 for a batch too large, 429 once over the limit). Codes are read as
    people type them (any case, dashes, O/0 and I/1 confusions).
    """
    try:
        return lookups.look_up(request, raw_codes, fetch=selectors.by_codes)
    except lookups.LookupRefused as refused:
        raise ApiError(refused.status, refused.message) from None


def _media_url(request: HttpRequest) -> Callable[[Attachment], str]:
    def url(attachment: Attachment) -> str:
        path = reverse(
            "feedback:attachment",
            kwargs={"code": attachment.report.code, "pk": attachment.pk},
        )
        return request.build_absolute_uri(path)

    return url


def _form_errors(fmt: str, form_errors: Any, status: int = 400) -> HttpResponse:
    descriptions = []
    for name, messages in form_errors.items():
        param = PARAMETERS.get(name, name if name != "__all__" else "")
        for message in messages:
            descriptions.append(f"{param}: {message}" if param else str(message))
    return errors(fmt, status, *descriptions)


def _api_key(request: HttpRequest) -> str:
    # The body first (the standard's POST), then the query string, where many
    # clients (and FixMyStreet's GET of updates) put it.
    return str(request.POST.get("api_key") or request.GET.get("api_key") or "").strip()


def _partner(request: HttpRequest, fmt: str) -> Partner | HttpResponse:
    raw_key = _api_key(request)
    if not raw_key:
        return errors(fmt, 403, _("Thiếu api_key (trong nội dung hoặc query string)."))
    partner = Partner.objects.by_key(raw_key)
    if partner is None:
        return errors(fmt, 403, _("api_key không hợp lệ."))
    if not partner.is_active:
        return errors(fmt, 403, _("api_key đã bị thu hồi."))
    return partner


def _within_limit(partner: Partner, fmt: str) -> HttpResponse | None:
    if ratelimit.hit(
        "open311-partner", str(partner.pk), rate=(partner.rate_limit, 3600)
    ):
        return None
    response = errors(
        fmt,
        429,
        _("Đối tác đã gửi quá %(count)s yêu cầu trong một giờ.")
        % {"count": partner.rate_limit},
    )
    response["Retry-After"] = "3600"
    return response


@api("GET")
def docs(request: HttpRequest, fmt: str) -> HttpResponse:
    services_ = selectors.services()
    context = {
        "base_url": _base_url(request),
        "services": services_,
        "example_code": services_[0].slug if services_ else "giao-thong",
        "max_results": MAX_RESULTS,
        "guides_url": reverse("stats:guides"),
    }
    return render(request, "open311/docs.html", context)


@api("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    docs_url = request.build_absolute_uri(reverse("open311:docs"))
    value = {
        "changeset": CHANGESET,
        "contact": _("%(site)s — tài liệu API: %(docs)s")
        % {"site": settings.SITE_NAME, "docs": docs_url},
        "key_service": _("Khoá API do quản trị viên cấp cho từng đối tác, xem %(docs)s")
        % {"docs": docs_url},
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": _base_url(request),
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return respond(fmt, "discovery", value)


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.slug,
        "service_name": category.name,
        "description": _("Phản ánh, kiến nghị về lĩnh vực %(name)s.")
        % {"name": category.name},
        # Every service has attributes, two of them required (ID number, consent).
        "metadata": True,
        "type": "realtime",
        "keywords": None,
        "group": None,
    }


@api("GET")
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    return respond(fmt, "services", [_service(c) for c in selectors.services()])


def attributes() -> list[dict[str, Any]]:
    """The portal's attributes, the same for every service."""
    yes_no = [{"key": "true", "name": _("Có")}, {"key": "false", "name": _("Không")}]
    return [
        {
            "variable": True,
            "code": "id_number",
            "datatype": "string",
            "required": True,
            "datatype_description": _("CCCD 12 chữ số hoặc CMND 9 chữ số."),
            "order": 1,
            "description": _(
                "Số CMND/CCCD của người phản ánh (cơ quan nhà nước chỉ tiếp nhận "
                "phản ánh của người xác định được danh tính)"
            ),
        },
        {
            "variable": True,
            "code": "consent",
            "datatype": "singlevaluelist",
            "required": True,
            "datatype_description": _(
                "Phải là true: người phản ánh đã tự tích ô đồng ý trong ứng dụng "
                "(ô không được tích sẵn)."
            ),
            "order": 2,
            "description": _(
                "Người phản ánh đồng ý cho cơ quan nhà nước xử lý dữ liệu cá nhân "
                "để tiếp nhận, xử lý và trả lời phản ánh"
            ),
            "values": [{"key": "true", "name": _("Đồng ý")}],
        },
        {
            "variable": True,
            "code": "title",
            "datatype": "string",
            "required": False,
            "datatype_description": _(
                "Từ 10 đến 200 ký tự; bỏ trống thì lấy câu đầu của description."
            ),
            "order": 3,
            "description": _("Tiêu đề phản ánh"),
        },
        {
            "variable": True,
            "code": "allow_publish",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": _("Mặc định false."),
            "order": 4,
            "description": _(
                "Đồng ý công khai nội dung phản ánh và kết quả trả lời "
                "(tên được viết tắt)"
            ),
            "values": yes_no,
        },
    ]


@api("GET")
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    category = selectors.service(code)
    if category is None:
        return errors(fmt, 404, _("Không có dịch vụ với service_code này."))
    value = {"service_code": category.slug, "attributes": attributes()}
    return respond(fmt, "service_definition", value)


@api("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    form = RequestsFilterForm(request.GET)
    if not form.is_valid():
        return _form_errors(fmt, form.errors)
    cleaned = form.cleaned_data
    media_url = _media_url(request)
    if cleaned["service_request_id"]:
        # Named by their codes: each is shown; what the citizen wrote only if public.
        found = reports_by_code(request, cleaned["service_request_id"])
        public = selectors.public_ids(found)
        items = [
            selectors.request_payload(r, public=r.pk in public, media_url=media_url)
            for r in found
        ]
        return respond(fmt, "service_requests", items)
    key = _list_key(request, fmt, cleaned)
    # Plain and gzipped kept apart: a hit reads only the one it sends (~80 KB
    # rather than ~840 KB for 1,000 requests).
    gzipped = accepts_gzip(request)
    variant = f"{key}:{'gzip' if gzipped else 'plain'}"
    seconds = settings.PAGE_CACHE_SECONDS
    entry = cache.get(variant) if seconds > 0 else None
    # Past its time, the answer is still given while one caller renders the
    # next: partners polling at once never all wait for it (~100 ms).
    if isinstance(entry, tuple) and pagecache.may_serve(key, entry[1]):
        body = entry[0]
    else:
        reports = selectors.listed(
            start=cleaned["start_date"],
            end=cleaned["end_date"],
            statuses=cleaned["status"],
            service_codes=cleaned["service_code"],
            limit=MAX_RESULTS,
        )
        items = [
            selectors.request_payload(r, public=True, media_url=media_url)
            for r in reports
        ]
        plain = body_of(fmt, "service_requests", items)
        packed = compressed(plain)
        if seconds > 0:
            pagecache.keep(key, {f"{key}:plain": plain, f"{key}:gzip": packed}, seconds)
        body = packed if gzipped else plain
    return respond_shared(fmt, body, gzipped=gzipped)


def _list_key(request: HttpRequest, fmt: str, cleaned: dict[str, Any]) -> str:
    """The list is the same for every caller (public reports only, no key
    needed): shared for PAGE_CACHE_SECONDS, like the home page (and past it
    only while one caller renders the next). Up to 1000 reports cost ~100 ms
    to render; partners poll it. The key holds what the
    answer depends on: the format, the host (media_url), the parameters as
    sent (no dates: the last 90 days, at most that many seconds old)."""
    raw = "|".join(
        [
            fmt,
            request.build_absolute_uri("/"),
            request.GET.get("start_date", ""),
            request.GET.get("end_date", ""),
            ",".join(cleaned["status"]),
            ",".join(sorted(set(cleaned["service_code"]))),
        ]
    )
    return LIST_CACHE_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


@api("GET")
def request_detail(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    found = reports_by_code(request, [code])
    if not found:
        return errors(fmt, 404, _("Không có phản ánh với mã này."))
    report = found[0]
    public = bool(selectors.public_ids(found))
    item = selectors.request_payload(
        report, public=public, media_url=_media_url(request)
    )
    return respond(fmt, "service_requests", [item])


@api("GET")
def token(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    submission = selectors.submission_by_token(token)
    if submission is None:
        return errors(fmt, 404, _("Không có token này."))
    item = {"service_request_id": submission.report.code, "token": submission.token}
    return respond(fmt, "service_requests", [item])


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    partner = _partner(request, fmt)
    if isinstance(partner, HttpResponse):
        return partner
    refused = _within_limit(partner, fmt)
    if refused is not None:
        return refused
    params = request.POST
    code = params.get("service_code", "").strip()
    category = selectors.service(code) if code else None
    if code and category is None:
        return errors(
            fmt,
            404,
            _("Không có dịch vụ với service_code “%(code)s”; xem services.%(fmt)s.")
            % {"code": code[:100], "fmt": fmt},
        )
    form = ServiceRequestForm.from_params(params, list(request.FILES.getlist("media")))
    valid = form.is_valid()
    if category is None:
        form.add_error(
            None, _("service_code: bắt buộc; xem services.%(fmt)s.") % {"fmt": fmt}
        )
        valid = False
    if not valid:
        return _form_errors(fmt, form.errors)
    assert category is not None
    media = services.take_media_urls(params.getlist("media_url"))
    data = {**form.report_data(category.name), "category": category}
    try:
        submission = services.file_request(
            partner=partner,
            data=data,
            files=[*form.checked_files, *media.files],
            links=media.links,
            device_id=params.get("device_id", ""),
            account_id=params.get("account_id", ""),
        )
    except uploads.UploadRejected as error:
        return errors(fmt, 400, f"media: {error.message}")
    report = submission.report
    notice = _("Đã nhận phản ánh. Theo dõi bằng mã %(code)s tại %(url)s") % {
        "code": report.code,
        "url": request.build_absolute_uri(
            reverse("feedback:detail", kwargs={"code": report.code})
        ),
    }
    item = {
        "service_request_id": report.code,
        "token": submission.token,
        "service_notice": " ".join([notice, *media.notices]),
        "account_id": submission.account_id or None,
    }
    return respond(fmt, "service_requests", [item], status=201)


@api("GET", "POST")
def updates(request: HttpRequest, fmt: str) -> HttpResponse:
    """The servicerequestupdates extension, as FixMyStreet speaks it."""
    partner = _partner(request, fmt)
    if isinstance(partner, HttpResponse):
        return partner
    if request.method == "POST":
        return _post_update(request, fmt, partner)
    form = DateWindowForm(request.GET)
    if not form.is_valid():
        return _form_errors(fmt, form.errors)
    items = selectors.updates(
        partner_id=partner.pk,
        start=form.cleaned_data["start_date"],
        end=form.cleaned_data["end_date"],
        limit=MAX_RESULTS,
        media_url=_media_url(request),
    )
    return respond(fmt, "service_request_updates", items)


def _post_update(request: HttpRequest, fmt: str, partner: Partner) -> HttpResponse:
    refused = _within_limit(partner, fmt)
    if refused is not None:
        return refused
    form = UpdateForm(request.POST)
    if not form.is_valid():
        return _form_errors(fmt, form.errors)
    found = reports_by_code(request, [form.cleaned_data["service_request_id"]])
    if not found:
        return errors(fmt, 404, _("service_request_id: không có phản ánh với mã này."))
    report: Report = found[0]
    media = services.take_media_urls(request.POST.getlist("media_url"))
    try:
        done = services.post_update(
            partner=partner,
            report=report,
            text=form.cleaned_data["description"],
            external_id=form.cleaned_data["update_id"],
            media=media,
            files=request.FILES.getlist("media"),
        )
    except services.UpdateRefused as error:
        return errors(fmt, error.status, error.message)
    except uploads.UploadRejected as error:
        return errors(fmt, 400, f"media: {error.message}")
    item: dict[str, Any] = {"update_id": f"reporter-{done.update_id}"}
    if media.notices:
        item["service_notice"] = " ".join(media.notices)
    return respond(fmt, "service_request_updates", [item])


@csrf_exempt
def without_slash(request: HttpRequest, rest: str) -> HttpResponse:
    """``…/v2requests.xml``: answered as ``…/v2/requests.xml`` (no redirect, which
    would turn a client's POST into a GET)."""
    try:
        match = resolve("/open311/v2/" + rest)
    except Resolver404:
        return not_found(request, path="v2" + rest)
    if match.func is without_slash:
        return not_found(request, path="v2" + rest)
    response: HttpResponse = match.func(request, *match.args, **match.kwargs)
    return response


ALL_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


@api(*ALL_METHODS)
def not_found(request: HttpRequest, fmt: str, path: str = "") -> HttpResponse:
    """Any other path under /open311/, in the format its extension names."""
    extension = path.rsplit(".", 1)[-1] if "." in path else ""
    fmt = fmt_of(extension)
    if extension and fmt != extension.lower():
        description = _(
            "Không có định dạng “%(ext)s”: dùng .xml hoặc .json, ví dụ %(url)s"
        ) % {"ext": extension[:20], "url": _base_url(request) + "/services.xml"}
    else:
        description = _("Không có đường dẫn này; xem %(url)s") % {
            "url": _base_url(request) + "/discovery.xml"
        }
    return errors(fmt, 404, description)
