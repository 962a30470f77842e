from __future__ import annotations

import re
from typing import Any

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
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
            "required": _("Bạn cần đồng ý xử lý dữ liệu cá nhân để tiếp tục.")
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


class UniquePersonalDataMixin:
    """Refuse a username, email or ID number that another account already has."""

    instance_pk: int | None = None

    def _others(self) -> Any:
        users = get_user_model().objects.all()
        if self.instance_pk is not None:
            users = users.exclude(pk=self.instance_pk)
        return users

    def check_unique(self, cleaned: dict[str, Any]) -> None:
        others = self._others()
        email = cleaned.get("email")
        if email and others.filter(email__iexact=email).exists():
            self.add_error(  # type: ignore[attr-defined]
                "email", _("Email này đã được dùng cho một tài khoản khác.")
            )
        id_number = cleaned.get("id_number")
        if id_number and others.filter(id_number=id_number).exists():
            self.add_error(  # type: ignore[attr-defined]
                "id_number", _("Số CMND/CCCD này đã được dùng cho một tài khoản khác.")
            )


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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
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
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Tên tài khoản này đã có người dùng."))
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_unique(cleaned)
        return cleaned


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(label=_("Email đã đăng ký"))
    captcha = PortalCaptchaField()


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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance_pk = self.instance.pk
        self.fields["email"].help_text = _(
            "Đổi email cần xác nhận: chúng tôi gửi liên kết tới địa chỉ mới."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_unique(cleaned)
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
