"""Open311 GeoReport v2 endpoints (/open311/v2/) and the partners' API guide."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from feedback import lookups
from feedback.models import Category
from open311 import selectors, services
from open311.forms import (
    MAX_RESULTS,
    PARAMETERS,
    ApiReportForm,
    RequestsFilterForm,
    report_data,
)
from open311.models import Partner, PartnerSubmission
from open311.render import errors, respond
from portal.lib import ratelimit, uploads

CHANGESET = "2026-11-28T00:00:00+07:00"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"


def _absolute(request: HttpRequest, name: str) -> str:
    return request.build_absolute_uri(reverse(name))


def _base_url(request: HttpRequest) -> str:
    """The endpoint's base URL, /open311/v2/ on this host."""
    url = request.build_absolute_uri(reverse("open311:discovery", args=["xml"]))
    return url.rsplit("/", 1)[0] + "/"


@require_GET
def docs(request: HttpRequest) -> HttpResponse:
    context = {
        "base_url": _base_url(request),
        "services": selectors.services(),
        "max_results": MAX_RESULTS,
        "guides_url": reverse("stats:guides"),
    }
    return render(request, "open311/docs.html", context)


@require_GET
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = _base_url(request)
    value = {
        "changeset": CHANGESET,
        "contact": _("%(site)s — tài liệu API: %(docs)s")
        % {"site": settings.SITE_NAME, "docs": _absolute(request, "open311:docs")},
        "key_service": _("Khoá API do quản trị viên cấp cho từng đối tác, xem %(docs)s")
        % {"docs": _absolute(request, "open311:docs")},
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base,
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
        # Every service needs the portal's own attributes (ID number, consent).
        "metadata": True,
        "type": "realtime",
        "keywords": "",
        "group": "",
    }


@require_GET
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    return respond(fmt, "services", [_service(c) for c in selectors.services()])


def _attributes() -> list[dict[str, Any]]:
    yes_no = [{"key": "true", "name": _("Có")}, {"key": "false", "name": _("Không")}]
    return [
        {
            "variable": True,
            "code": "id_number",
            "datatype": "string",
            "required": True,
            "datatype_description": _("CCCD 12 chữ số hoặc CMND 9 chữ số."),
            "order": 1,
            "description": _("Số CMND/CCCD của người phản ánh"),
        },
        {
            "variable": True,
            "code": "consent",
            "datatype": "singlevaluelist",
            "required": True,
            "datatype_description": _(
                "Phải là true: người phản ánh đã tự tích ô đồng ý trong ứng dụng."
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
            "datatype_description": "",
            "order": 4,
            "description": _(
                "Đồng ý công khai nội dung phản ánh và kết quả trả lời "
                "(tên được viết tắt)"
            ),
            "values": yes_no,
        },
    ]


@require_GET
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    category = Category.objects.filter(is_active=True, slug=code).first()
    if category is None:
        return errors(fmt, 404, _("Không có dịch vụ với service_code này."))
    value = {"service_code": category.slug, "attributes": _attributes()}
    return respond(fmt, "service_definition", value)


@csrf_exempt  # partner servers authenticate with api_key, not a browser cookie
@require_http_methods(["GET", "POST"])
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    form = RequestsFilterForm(request.GET)
    if not form.is_valid():
        return _form_errors(fmt, form.errors)
    cleaned = form.cleaned_data
    if cleaned["service_request_id"]:
        # Looked up by exact codes: each is shown, its description only if public.
        try:
            found = lookups.look_up(
                request, cleaned["service_request_id"], fetch=selectors.by_codes
            )
        except lookups.LookupRefused as refused:
            return errors(fmt, refused.status, refused.message)
        published = selectors.published_codes([r.code for r in found])
        items = [
            selectors.request_payload(r, public=r.code in published) for r in found
        ]
        return respond(fmt, "service_requests", items)
    reports = selectors.published(
        start=cleaned["start_date"],
        end=cleaned["end_date"],
        statuses=cleaned["status"],
        service_codes=cleaned["service_code"],
        limit=MAX_RESULTS,
    )
    items = [selectors.request_payload(r, public=True) for r in reports]
    return respond(fmt, "service_requests", items)


@require_GET
def request_detail(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    try:
        reports = lookups.look_up(request, [code], fetch=selectors.by_codes)
    except lookups.LookupRefused as refused:
        return errors(fmt, refused.status, refused.message)
    if not reports:
        return errors(fmt, 404, _("Không có phản ánh với mã này."))
    report = reports[0]
    public = bool(selectors.published_codes([report.code]))
    return respond(
        fmt, "service_requests", [selectors.request_payload(report, public=public)]
    )


@require_GET
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    submission = (
        PartnerSubmission.objects.select_related("report").filter(token=token).first()
    )
    if submission is None:
        return errors(fmt, 404, _("Không có token này."))
    item = {"service_request_id": submission.report.code, "token": submission.token}
    return respond(fmt, "service_requests", [item])


def _form_errors(fmt: str, form_errors: Any) -> HttpResponse:
    descriptions = []
    for field, messages in form_errors.items():
        name = PARAMETERS.get(field, field if field != "__all__" else "")
        for message in messages:
            descriptions.append(f"{name}: {message}" if name else str(message))
    return errors(fmt, 400, *descriptions)


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    raw_key = request.POST.get("api_key", "")
    if not raw_key:
        return errors(fmt, 403, _("Thiếu api_key."))
    partner = Partner.objects.by_key(raw_key)
    if partner is None:
        return errors(fmt, 403, _("api_key không hợp lệ."))
    if not partner.is_active:
        return errors(fmt, 403, _("api_key đã bị thu hồi."))
    if not ratelimit.hit(
        "open311-partner", str(partner.pk), rate=(partner.rate_limit, 3600)
    ):
        response = errors(
            fmt,
            429,
            _("Đối tác đã gửi quá %(count)s phản ánh trong một giờ.")
            % {"count": partner.rate_limit},
        )
        response["Retry-After"] = "3600"
        return response
    params = request.POST
    code = params.get("service_code", "")
    category = Category.objects.filter(is_active=True, slug=code).first()
    if category is None:
        return errors(
            fmt, 400, _("service_code không đúng; xem services.%(fmt)s.") % {"fmt": fmt}
        )
    if not params.get("address_string", "").strip():
        return errors(fmt, 400, _("address_string: cần ghi rõ vị trí diễn ra sự việc."))
    files = list(request.FILES.getlist("media"))
    media_url = params.get("media_url", "").strip()
    if media_url:
        try:
            files.append(services.fetch_media(media_url))
        except services.MediaRefused as error:
            return errors(fmt, 400, f"media_url: {error.message}")
    form = ApiReportForm(
        report_data(params, category.pk),
        MultiValueDict({"attachments": files}),
        ip=ratelimit.client_ip(request),
    )
    if not form.is_valid():
        return _form_errors(fmt, form.errors)
    try:
        submission = services.file_request(
            partner=partner,
            data=form.cleaned_data,
            files=form.cleaned_data["attachments"],
            device_id=params.get("device_id", ""),
            account_id=params.get("account_id", ""),
        )
    except uploads.UploadRejected as error:
        return errors(fmt, 400, f"media: {error.message}")
    item = {
        "service_request_id": submission.report.code,
        "token": submission.token,
        "service_notice": _("Đã nhận phản ánh. Theo dõi bằng mã %(code)s tại %(url)s")
        % {
            "code": submission.report.code,
            "url": request.build_absolute_uri(
                reverse("feedback:detail", kwargs={"code": submission.report.code})
            ),
        },
        "account_id": "",
    }
    return respond(fmt, "service_requests", [item], status=201)
