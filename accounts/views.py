from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from accounts import services, throttle, two_factor
from accounts.forms import (
    NEUTRAL_ANSWER,
    DeleteAccountForm,
    LoginForm,
    PasswordResetForm,
    ProfileForm,
    RegisterForm,
    ResendConfirmationForm,
    SecondFactorForm,
)
from accounts.models import User
from portal.lib import ratelimit
from portal.lib.qr import qr_svg


@require_http_methods(["GET", "HEAD", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = RegisterForm(request.POST or None, client_ip=ratelimit.client_ip(request))
    if request.method == "POST" and form.is_valid():
        try:
            if form.duplicates:
                # The same answer as a new account; the owner hears of it.
                services.notify_account_in_use(form.duplicates)
            else:
                services.register_user(
                    data=form.cleaned_data,
                    password=form.cleaned_data["password1"],
                )
        except IntegrityError:
            # Someone took the same username, email or ID a moment ago.
            form.add_error(
                None,
                _(
                    "Tài khoản, email hoặc CMND/CCCD vừa được đăng ký. "
                    "Vui lòng kiểm tra lại."
                ),
            )
        else:
            request.session["registered_email"] = form.cleaned_data["email"]
            return redirect("accounts:register_done")
    return render(request, "accounts/register.html", {"form": form})


@require_safe
def register_done(request: HttpRequest) -> HttpResponse:
    email = request.session.get("registered_email", "")
    return render(request, "accounts/register_done.html", {"email": email})


@require_GET
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = services.confirm_email(token)
    except services.ConfirmationError as error:
        return render(
            request,
            "accounts/confirm_failed.html",
            {"reason": error.reason},
            status=400,
        )
    messages.success(
        request,
        _("Đã xác nhận email %(email)s. Ông/Bà có thể đăng nhập.")
        % {"email": user.email},
    )
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    return redirect("accounts:login")


@require_http_methods(["GET", "HEAD", "POST"])
def resend_confirmation(request: HttpRequest) -> HttpResponse:
    form = ResendConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        services.resend_confirmation(email)
        # The same answer whether or not the address is registered.
        messages.info(
            request,
            _(
                "Nếu %(email)s thuộc một tài khoản chưa kích hoạt, liên kết xác nhận "
                "mới đã được gửi tới địa chỉ này."
            )
            % {"email": email},
        )
        return redirect("accounts:login")
    return render(request, "accounts/resend.html", {"form": form})


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if throttle.address_blocked(request):
            context = {"request_id": getattr(request, "request_id", "")}
            return render(request, "errors/429.html", context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        # This failure may be the one that makes the captcha necessary.
        if throttle.captcha_required(self.request, str(form.data.get("username", ""))):
            form.add_captcha()
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "emails/password-reset-body.txt"
    html_email_template_name = "emails/password-reset-body.html"
    subject_template_name = "emails/password-reset-subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_email_context = {"site_name": gettext_lazy("Phản ánh hiện trường")}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return super().form_valid(form)


@never_cache  # shows the CCCD, phone and address: never kept by a browser or proxy
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    old_email, old_id_number = user.email, user.id_number
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        updated = form.save(commit=False)
        new_email = updated.email
        updated.email = old_email
        if form.duplicates:
            # Someone else's email or ID number: kept as it was, that account's
            # owner is told, and the answer does not say which (or whether).
            if "id_number" in form.duplicates:
                updated.id_number = old_id_number
            updated.save()
            services.notify_account_in_use(form.duplicates)
            messages.info(request, NEUTRAL_ANSWER)
            return redirect("accounts:profile")
        updated.save()
        if new_email.lower() != old_email.lower():
            services.send_confirmation(user=updated, email=new_email)
            messages.info(
                request,
                _(
                    "Đã lưu. Email mới chỉ được dùng sau khi Ông/Bà mở liên kết "
                    "xác nhận gửi tới %(email)s."
                )
                % {"email": new_email},
            )
        else:
            messages.success(request, _("Đã lưu thông tin tài khoản."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_GET
def export_data(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    data = services.export_personal_data(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = (
        f'attachment; filename="du-lieu-ca-nhan-{stamp}.json"'
    )
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.delete_account(user)
        logout(request)
        messages.success(
            request,
            _(
                "Tài khoản đã được xoá. Các phản ánh Ông/Bà đã gửi được giữ lại "
                "cho thống kê nhưng không còn thông tin cá nhân."
            ),
        )
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})


WRONG_CODE = gettext_lazy("Mã không đúng hoặc đã hết hạn, vui lòng thử lại.")
TOO_MANY_CODES = gettext_lazy(
    "Đã nhập sai quá nhiều lần. Vui lòng thử lại sau một giờ hoặc liên hệ quản trị "
    "viên để được cấp lại thiết bị xác thực."
)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def _second_factor_page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    response = render(
        request, template, {"next": _next_url(request), **context}, status=status
    )
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """First admin visit: scan the QR code, confirm a code, get backup codes."""
    if two_factor.has_device(request.user):
        return redirect(
            f"{reverse('accounts:two_factor_verify')}?next={_next_url(request)}"
        )
    device = two_factor.pending_device(request.user)
    form = SecondFactorForm(request.POST or None, enrolling=True)
    status = 200
    if request.method == "POST" and form.is_valid():
        if two_factor.throttled(request.user):
            form.add_error(None, TOO_MANY_CODES)
            status = 429
        else:
            codes = two_factor.confirm_enrolment(request, form.cleaned_data["code"])
            if codes is not None:
                return _second_factor_page(
                    request, "accounts/two_factor_backup.html", {"codes": codes}
                )
            form.add_error("code", WRONG_CODE)
            status = 400
    label = _("Mã QR để thêm tài khoản %(user)s vào ứng dụng xác thực") % {
        "user": request.user.get_username()
    }
    context = {
        "form": form,
        "qr": qr_svg(device.config_url, label),
        "secret": two_factor.secret_of(device),
    }
    return _second_factor_page(
        request, "accounts/two_factor_setup.html", context, status
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    if not two_factor.has_device(request.user):
        return redirect(
            f"{reverse('accounts:two_factor_setup')}?next={_next_url(request)}"
        )
    form = SecondFactorForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if two_factor.throttled(request.user):
            form.add_error(None, TOO_MANY_CODES)
            status = 429
        elif two_factor.verify(request, form.cleaned_data["code"]):
            return redirect(_next_url(request))
        else:
            form.add_error("code", WRONG_CODE)
            status = 400
    return _second_factor_page(
        request, "accounts/two_factor_verify.html", {"form": form}, status
    )
