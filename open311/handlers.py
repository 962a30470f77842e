"""Django's error handlers, answering Open311 errors under /open311/.

The Open311 views answer their own errors (open311.views.api); these cover what
fails around them (a middleware, the request's parsing) so that a partner's client
still reads the standard's error list, never an HTML page. Every other path keeps
the portal's own pages.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from open311.render import errors, fmt_of
from portal import views as portal_views

PREFIX = "/open311/"


def _is_open311(request: HttpRequest) -> bool:
    return request.path.startswith(PREFIX)


def _fmt(request: HttpRequest) -> str:
    last = request.path.rsplit("/", 1)[-1]
    return fmt_of(last.rsplit(".", 1)[-1] if "." in last else "")


def bad_request(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    if _is_open311(request):
        return errors(_fmt(request), 400, _("Yêu cầu không hợp lệ."))
    return portal_views.bad_request(request, exception)


def permission_denied(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    if _is_open311(request):
        return errors(_fmt(request), 403, _("Không được phép."))
    return portal_views.permission_denied(request, exception)


def page_not_found(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    if _is_open311(request):
        return errors(_fmt(request), 404, _("Không có đường dẫn này."))
    return portal_views.page_not_found(request, exception)


def request_too_large(request: HttpRequest) -> HttpResponse:
    """A body over MAX_REQUEST_BYTES, refused before it is read."""
    if _is_open311(request):
        return errors(
            _fmt(request),
            413,
            _("Nội dung yêu cầu quá lớn (tối đa %(size)s MB).")
            % {"size": settings.MAX_REQUEST_BYTES // (1024 * 1024)},
        )
    return portal_views.request_too_large(request)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_open311(request):
        return errors(
            _fmt(request),
            500,
            _("Lỗi hệ thống; hãy thử lại sau. Mã yêu cầu: %(id)s")
            % {"id": getattr(request, "request_id", "")},
        )
    return portal_views.server_error(request)
