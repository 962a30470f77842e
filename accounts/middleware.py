from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from accounts import two_factor

# What an official may open before passing the second factor.
_OPEN_PREFIXES = (
    "/static/",
    "/ngon-ngu/",
    "/captcha/",
    "/healthz",
    "/readyz",
)
# Where personal data is shown: for a non-staff account, only these paths are
# worth the group look-up (everywhere else nothing is at stake).
_GUARDED_PREFIXES = ("/admin/", "/phan-anh/", "/tai-khoan/")


class OfficialsSecondFactorMiddleware:
    """Send officials who have not passed their second factor to enrol or verify.

    Runs after django-otp's OTPMiddleware (which sets ``user.is_verified``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if two_factor.enabled() and self._must_verify(request):
            return self._redirect(request)
        return self.get_response(request)

    def _must_verify(self, request: HttpRequest) -> bool:
        user = request.user
        if not user.is_authenticated or user.is_verified():  # type: ignore[attr-defined]
            return False
        path = request.path_info
        exempt = (
            reverse("accounts:two_factor_verify"),
            reverse("accounts:two_factor_setup"),
            reverse("accounts:logout"),
            reverse("admin:logout"),
        )
        if path in exempt or path.startswith(_OPEN_PREFIXES):
            return False
        if not user.is_staff and not path.startswith(_GUARDED_PREFIXES):
            return False
        return two_factor.required(user)

    def _redirect(self, request: HttpRequest) -> HttpResponse:
        name = (
            "accounts:two_factor_verify"
            if two_factor.has_device(request.user)
            else "accounts:two_factor_setup"
        )
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse(name)}?{query}")
