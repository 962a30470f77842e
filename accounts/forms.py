from __future__ import annotations

import contextlib
import re
from typing import Any

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts import services, throttle
from accounts.models import User
from portal.lib import emails, ratelimit
from portal.lib.text import clean_line, interpolate_lazy
from portal.lib.validators import (
    normalize_id_number,
    normalize_phone,
    validate_id_number,
    validate_phone,
)


class PortalCaptchaField(CaptchaField):
    """django-simple-captcha with a labelled answer box and Vietnamese messages."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Mã xác thực"))
        kwargs.setdefault(
            "help_text", _("Nhập các ký tự trong ảnh (không phân biệt hoa thường).")
        )
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": _("Mã xác thực không đúng, vui lòng nhập lại mã mới."),
                "required": _("Vui lòng nhập mã xác thực."),
            },
        )
        kwargs.setdefault(
            "widget",
            CaptchaTextInput(
                attrs={
                    "class": "form-control captcha-answer",
                    "autocomplete": "off",
                    "autocapitalize": "characters",
                    "spellcheck": "false",
                }
            ),
        )
        super().__init__(**kwargs)


def consent_field(purpose: str | Promise) -> forms.BooleanField:
    return forms.BooleanField(
        label=interpolate_lazy(
            _("Tôi đồng ý cho cơ quan nhà nước xử lý dữ liệu cá nhân nêu trên %s."),
            purpose,
        ),
        required=True,
        error_messages={
            "required": _("Ông/Bà cần đồng ý xử lý dữ liệu cá nhân để tiếp tục.")
        },
    )


class PersonalDataMixin:
    """Cleaning shared by every form that takes the seed's personal fields."""

    cleaned_data: dict[str, Any]

    def clean_full_name(self) -> str:
        value = clean_line(self.cleaned_data["full_name"])
        if len(value) < 2:
            raise forms.ValidationError(_("Vui lòng nhập đầy đủ họ và tên."))
        if any(ch.isdigit() for ch in value):
            raise forms.ValidationError(_("Họ và tên không được chứa chữ số."))
        return value

    def clean_id_number(self) -> str:
        value = normalize_id_number(self.cleaned_data["id_number"])
        validate_id_number(value)
        return value

    def clean_phone(self) -> str:
        value = normalize_phone(self.cleaned_data["phone"])
        validate_phone(value)
        return value

    def clean_address(self) -> str:
        value = clean_line(self.cleaned_data["address"])
        if len(value) < 5:
            raise forms.ValidationError(_("Vui lòng nhập địa chỉ đầy đủ hơn."))
        return value

    def clean_email(self) -> str:
        return clean_line(self.cleaned_data["email"]).lower()


# The seed's personal fields, with the same labels and input hints on every form
# that asks for them (registration, profile, report). Each call makes a new field.


def full_name_field() -> forms.CharField:
    return forms.CharField(
        label=_("Họ và tên"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


def id_number_field() -> forms.CharField:
    return forms.CharField(
        label=_("CMND/CCCD"),
        max_length=20,
        help_text=_("CCCD 12 chữ số hoặc CMND 9 chữ số."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


def address_field() -> forms.CharField:
    return forms.CharField(
        label=_("Địa chỉ"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )


def email_field() -> forms.EmailField:
    return forms.EmailField(
        label=_("Email"),
        max_length=254,
        error_messages={
            "invalid": _("Địa chỉ email không hợp lệ, ví dụ: ten@example.vn.")
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


def phone_field() -> forms.CharField:
    return forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        help_text=_("Ví dụ: 0912 345 678."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


NEUTRAL_ANSWER = _("Nếu thông tin hợp lệ, chúng tôi đã gửi email hướng dẫn.")
TOO_MANY_CHECKS = _("Ông/Bà đã thử quá nhiều lần, vui lòng thử lại sau.")


class UniquePersonalDataMixin:
    """Find the accounts that already hold this email or ID number.

    They are never named to the person filling the form (that would tell anyone
    whether an address or ID number is registered): ``duplicates`` maps each
    field to the account holding it, and the view emails that account's owner
    and answers neutrally. Each look-up spends one unit of ``unique_rate`` for
    ``throttle_ident``, so even a patient prober learns nothing in bulk.
    """

    instance_pk: int | None = None
    throttle_ident: str = ""
    unique_scope = "unique-check"
    duplicates: dict[str, User]

    def _others(self) -> Any:
        users = get_user_model().objects.all()
        if self.instance_pk is not None:
            users = users.exclude(pk=self.instance_pk)
        return users

    def _get_validation_exclusions(self) -> set[str]:
        # The model's unique constraints would name the taken field in an error;
        # the checks above stand in for them (the database still has the last word).
        exclude: set[str] = super()._get_validation_exclusions()  # type: ignore[misc]
        return exclude | {"username", "email", "id_number"}

    def spend_check(self) -> bool:
        """One uniqueness check within the throttle; False (and an error) past it."""
        if ratelimit.hit(
            self.unique_scope, self.throttle_ident, rate=settings.UNIQUE_CHECK_RATE
        ):
            return True
        self.add_error(None, TOO_MANY_CHECKS)  # type: ignore[attr-defined]
        return False

    def find_duplicates(self, cleaned: dict[str, Any]) -> None:
        self.duplicates = {}
        others = self._others()
        email = cleaned.get("email")
        if email:
            owner = others.filter(email__iexact=email).first()
            if owner is not None:
                self.duplicates["email"] = owner
        id_number = cleaned.get("id_number")
        if id_number:
            owner = others.filter(id_number=id_number).first()
            if owner is not None:
                self.duplicates["id_number"] = owner


class RegisterForm(
    UniquePersonalDataMixin, PersonalDataMixin, auth_forms.BaseUserCreationForm
):
    full_name = full_name_field()
    id_number = id_number_field()
    address = address_field()
    email = email_field()
    phone = phone_field()
    consent = consent_field(_("để tạo và quản lý tài khoản"))
    captcha = PortalCaptchaField()

    class Meta:
        model = User
        fields = ("username", "full_name", "id_number", "address", "email", "phone")
        labels = {"username": pgettext_lazy("username field", "Tài khoản")}
        help_texts = {
            "username": _(
                "Tối đa 150 ký tự: chữ, số và @ . + - _ "
                "(không dấu, không khoảng trắng)."
            )
        }

    field_order = [
        "username",
        "password1",
        "password2",
        "full_name",
        "id_number",
        "address",
        "email",
        "phone",
        "consent",
        "captcha",
    ]

    unique_scope = "unique-check-register"

    def __init__(self, *args: Any, client_ip: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.throttle_ident = client_ip
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none"}
        )
        self.fields["password1"].label = _("Mật khẩu")
        self.fields["password2"].label = _("Nhập lại mật khẩu")
        self.fields["password2"].help_text = _("Nhập lại đúng mật khẩu ở trên.")

    def clean_username(self) -> str:
        username = clean_line(self.cleaned_data["username"])
        # As the help text says: no accents, no spaces. Unicode letters would let
        # "аdmin" (Cyrillic а) pass for "admin" in the officials' lists.
        if not re.fullmatch(r"[A-Za-z0-9.@+_-]+", username):
            raise forms.ValidationError(
                _("Tên tài khoản chỉ gồm chữ không dấu, số và các ký tự @ . + - _")
            )
        # The model's own check, which the form's model validation leaves out
        # (see _get_validation_exclusions).
        User.username_validator(username)
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.duplicates = {}
        # Nothing about other accounts before the captcha is right.
        if self.has_error("captcha") or not self.spend_check():
            return cleaned
        username = cleaned.get("username")
        if (
            username
            and get_user_model().objects.filter(username__iexact=username).exists()
        ):
            self.add_error("username", _("Tên tài khoản này đã có người dùng."))
        self.find_duplicates(cleaned)
        return cleaned


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(label=_("Email đã đăng ký"))
    captcha = PortalCaptchaField()


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, its email rendered and sent like every other one.

    The link is built from SITE_URL in the template (never the Host header), and
    the message goes through portal.lib.emails, so with EMAIL_QUEUE=1 it waits in
    the outbox instead of being sent inside the request.
    """

    _users: list[Any] | None = None

    def get_users(self, email: str) -> Any:
        if self._users is None:  # looked up once per request, found or not
            self._users = list(super().get_users(email))
        return iter(self._users)

    def save(self, *args: Any, **kwargs: Any) -> None:
        email = self.cleaned_data["email"]
        if not services.account_email_allowed(email):
            return
        if not list(self.get_users(email)):
            # Nobody has this address: it is told so, through the same queue, so
            # the work (and the time) of the request is the same either way.
            services.send_no_account_notice(email, action="reset")
            return
        super().save(*args, **kwargs)

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        emails.send_after_commit("password-reset", to_email, context)


class LoginForm(auth_forms.AuthenticationForm):
    # max_length here adds the validator Django's own field lacks: a longer name
    # would reach axes, whose 255-character column refuses it on PostgreSQL.
    username = auth_forms.UsernameField(
        label=_("Tài khoản hoặc email"),
        max_length=254,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "username",
                "autocapitalize": "none",
            }
        ),
    )

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        username = str(self.data.get("username", "")) if self.is_bound else ""
        if request is not None and throttle.captcha_required(request, username):
            self.add_captcha()

    def add_captcha(self) -> None:
        if "captcha" not in self.fields:
            self.fields["captcha"] = PortalCaptchaField()

    def clean(self) -> dict[str, Any]:
        if "captcha" not in self.fields or not self.has_error("captcha"):
            return super().clean()
        # A wrong captcha: the password is still checked, so axes counts the
        # failure and locks as usual, but the answer is the captcha error alone
        # whether or not the password was right (no oracle) and nobody logs in.
        with contextlib.suppress(forms.ValidationError):
            super().clean()
        self.user_cache = None
        return self.cleaned_data

    error_messages = {
        "invalid_login": _(
            "Tài khoản/email hoặc mật khẩu không đúng. Lưu ý: sai 5 lần liên tiếp, "
            "tài khoản sẽ bị tạm khoá 15 phút."
        ),
        "inactive": _(
            "Tài khoản chưa được kích hoạt. Vui lòng mở liên kết xác nhận trong email "
            "chúng tôi đã gửi, hoặc yêu cầu gửi lại."
        ),
    }


class ProfileForm(UniquePersonalDataMixin, PersonalDataMixin, forms.ModelForm):
    full_name = full_name_field()
    id_number = id_number_field()
    address = address_field()
    email = email_field()
    phone = phone_field()

    class Meta:
        model = User
        fields = ("full_name", "id_number", "address", "email", "phone")

    unique_scope = "unique-check-profile"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance_pk = self.instance.pk
        self.throttle_ident = str(self.instance.pk)
        self.fields["email"].help_text = _(
            "Đổi email cần xác nhận: chúng tôi gửi liên kết tới địa chỉ mới."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.duplicates = {}
        changed = {
            name
            for name in ("email", "id_number")
            if str(cleaned.get(name) or "").lower()
            != str(getattr(self.instance, name) or "").lower()
        }
        # Only a change looks at other accounts, and within the throttle.
        if changed and self.spend_check():
            self.find_duplicates({name: cleaned.get(name) for name in changed})
        return cleaned


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Mật khẩu hiện tại"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Mật khẩu không đúng."))
        return password


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Mã xác thực hai bước"),
        max_length=20,
        help_text=_(
            "6 chữ số trong ứng dụng xác thực, hoặc một mã dự phòng chưa dùng."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
        error_messages={"required": _("Vui lòng nhập mã xác thực hai bước.")},
    )

    def __init__(self, *args: Any, enrolling: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if enrolling:  # no backup codes exist yet
            self.fields["code"].help_text = _("6 chữ số ứng dụng xác thực hiển thị.")
