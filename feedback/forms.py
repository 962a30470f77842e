from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from accounts.forms import (
    PersonalDataMixin,
    PortalCaptchaField,
    consent_field,
    email_field,
    full_name_field,
    id_number_field,
    phone_field,
)
from feedback.models import Category, Rating, Status
from portal.lib import ratelimit, uploads
from portal.lib.text import clean_line, clean_text

TITLE_MIN, TITLE_MAX = 10, 200
CONTENT_MIN, CONTENT_MAX = 20, 10_000

ACCEPT = ".jpg,.jpeg,.png,.webp,.heic,.heif,.pdf,.docx,.xlsx,.mp4,image/*"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One <input type=file multiple>; cleans to a list of uploads."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


def _attachments_help() -> str:
    return str(
        _(
            "Không bắt buộc. Tối đa %(count)s tệp, mỗi tệp không quá %(size)s MB: "
            "ảnh (JPEG, PNG, WebP, HEIC), PDF, Word, Excel, video MP4."
        )
        % {
            "count": settings.REPORT_MAX_FILES,
            "size": settings.REPORT_MAX_FILE_SIZE // (1024 * 1024),
        }
    )


class ReportForm(PersonalDataMixin, forms.Form):
    full_name = full_name_field()
    id_number = id_number_field()
    location = forms.CharField(
        label=_("Vị trí diễn ra"),
        max_length=500,
        help_text=_(
            "Ghi rõ số nhà, đường, thôn/khu phố, xã/phường nơi xảy ra sự việc."
        ),
    )
    email = email_field()
    phone = phone_field()
    category = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=Category.objects.filter(is_active=True),
        required=False,
        empty_label=_("— Chưa rõ, để cán bộ phân loại —"),
    )
    title = forms.CharField(
        label=_("Tiêu đề"),
        max_length=TITLE_MAX,
        help_text=_("Tóm tắt sự việc, từ %(min)s đến %(max)s ký tự.")
        % {"min": TITLE_MIN, "max": TITLE_MAX},
    )
    content = forms.CharField(
        label=_("Nội dung"),
        max_length=CONTENT_MAX,
        help_text=_("Mô tả chi tiết vấn đề, kiến nghị (từ %(min)s ký tự).")
        % {"min": CONTENT_MIN},
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachments = MultipleFileField(label=_("Đính kèm"), required=False)
    allow_publish = forms.BooleanField(
        label=_(
            "Đồng ý công khai nội dung phản ánh và kết quả trả lời trên cổng "
            "(tên được viết tắt, không hiện thông tin liên hệ)."
        ),
        required=False,
    )
    consent = consent_field(_("để tiếp nhận, xử lý và trả lời phản ánh"))
    captcha = PortalCaptchaField()

    def __init__(
        self, *args: Any, user: Any = None, ip: str = "", **kwargs: Any
    ) -> None:
        self.user = user if getattr(user, "is_authenticated", False) else None
        self.ip = ip
        if self.user is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                name: getattr(self.user, name, "")
                for name in ("full_name", "id_number", "email", "phone")
            }
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = _attachments_help()
        self.checked_files: list[uploads.CheckedFile] = []

    def clean_location(self) -> str:
        value = clean_line(self.cleaned_data["location"])
        if len(value) < 5:
            raise forms.ValidationError(_("Vui lòng ghi rõ vị trí diễn ra sự việc."))
        return value

    def clean_title(self) -> str:
        value = clean_line(self.cleaned_data["title"])
        if len(value) < TITLE_MIN:
            raise forms.ValidationError(
                _("Tiêu đề cần ít nhất %(min)s ký tự (hiện có %(count)s).")
                % {"min": TITLE_MIN, "count": len(value)}
            )
        return value

    def clean_content(self) -> str:
        value = clean_text(self.cleaned_data["content"])
        if len(value) < CONTENT_MIN:
            raise forms.ValidationError(
                _("Nội dung cần ít nhất %(min)s ký tự (hiện có %(count)s).")
                % {"min": CONTENT_MIN, "count": len(value)}
            )
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # Decoding images costs time: only for a request that passed the captcha.
        if "captcha" not in self.errors and "attachments" in cleaned:
            try:
                self.checked_files = uploads.check_files(cleaned["attachments"])
            except uploads.UploadRejected as error:
                self.add_error("attachments", error.message)
        if not self.errors:
            self._throttle()
        return cleaned

    def _throttle(self) -> None:
        # Counted only for otherwise valid submissions, after the captcha passed.
        rate = settings.REPORT_RATE_LIMIT
        allowed = ratelimit.hit("report-ip", self.ip, rate=rate)
        if self.user is not None:
            allowed = ratelimit.hit("report-user", str(self.user.pk), rate=rate) and (
                allowed
            )
        if not allowed:
            raise forms.ValidationError(
                _(
                    "Bạn đã gửi quá nhiều phản ánh trong thời gian ngắn "
                    "(tối đa %(count)s lần trong %(minutes)s phút). "
                    "Vui lòng thử lại sau."
                )
                % {"count": rate[0], "minutes": max(1, rate[1] // 60)},
                code="rate_limited",
            )


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Mã phản ánh"),
        max_length=40,
        help_text=_("Ví dụ: PA-7K3Q-X9MD (không phân biệt chữ hoa, chữ thường)."),
        widget=forms.TextInput(
            attrs={
                "autocapitalize": "characters",
                "autocomplete": "off",
                "spellcheck": "false",
            }
        ),
    )


class ReportFilterForm(forms.Form):
    q = forms.CharField(label=_("Từ khoá"), required=False, max_length=200)
    category = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=Category.objects.all(),
        required=False,
        empty_label=_("Tất cả lĩnh vực"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả trạng thái")), *Status.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class RatingForm(forms.Form):
    satisfied = forms.TypedChoiceField(
        label=_("Bạn có hài lòng với kết quả trả lời không?"),
        choices=[("1", _("Hài lòng")), ("0", _("Chưa hài lòng"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        error_messages={"required": _("Vui lòng chọn mức độ hài lòng.")},
    )
    comment = forms.CharField(
        label=_("Góp ý (không bắt buộc)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reasons = forms.MultipleChoiceField(
        label=_("Nếu chưa hài lòng, vì sao?"),
        choices=Rating.Reason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    request_review = forms.BooleanField(
        label=_("Yêu cầu xem xét lại (phản ánh được mở lại để cơ quan xử lý tiếp)"),
        required=False,
    )
    email = forms.EmailField(
        label=_("Email đã dùng khi gửi phản ánh"),
        required=False,
        help_text=_("Để xác nhận bạn là người gửi phản ánh."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(
        self,
        *args: Any,
        needs_email: bool,
        can_review: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not can_review:
            del self.fields["request_review"]
        self.needs_email = needs_email
        if needs_email:
            self.fields["email"].required = True
            self.fields["email"].error_messages["required"] = _(
                "Vui lòng nhập email đã dùng khi gửi phản ánh."
            )
        else:
            del self.fields["email"]

    def clean_comment(self) -> str:
        return clean_text(self.cleaned_data.get("comment") or "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("request_review") and not cleaned.get("reasons"):
            self.add_error(
                "reasons",
                _("Vui lòng chọn ít nhất một lý do để cơ quan xem xét lại."),
            )
        if cleaned.get("satisfied") and cleaned.get("request_review"):
            self.add_error(
                "request_review",
                _("Chỉ yêu cầu xem xét lại khi Ông/Bà chưa hài lòng với kết quả."),
            )
        return cleaned


class ReviewForm(forms.Form):
    """Ask for a review after a "Chưa hài lòng" rating (or from the
    questionnaire's "not yet" link): reasons and a comment."""

    reasons = forms.MultipleChoiceField(
        label=_("Vì sao Ông/Bà chưa hài lòng?"),
        choices=Rating.Reason.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Vui lòng chọn ít nhất một lý do.")},
    )
    comment = forms.CharField(
        label=_("Góp ý thêm (không bắt buộc)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_comment(self) -> str:
        return clean_text(self.cleaned_data.get("comment") or "")


class ReporterProofForm(forms.Form):
    """Whoever holds the code and the email used when filing is the reporter."""

    email = forms.EmailField(
        label=_("Email đã dùng khi gửi phản ánh"),
        help_text=_("Để xác nhận Ông/Bà là người gửi phản ánh này."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": _("Vui lòng nhập email đã dùng khi gửi phản ánh.")},
    )


PHOTO_ACCEPT = ".jpg,.jpeg,.png,.webp,.heic,.heif,image/*"


class ReporterUpdateForm(forms.Form):
    """The reporter adds information to an open report."""

    text = forms.CharField(
        label=_("Thông tin bổ sung"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ví dụ: sự việc đã thay đổi thế nào, thêm chi tiết về vị trí."),
    )
    photos = MultipleFileField(
        label=_("Ảnh (không bắt buộc)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": PHOTO_ACCEPT}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photos"].help_text = _(
            "Tối đa %(count)s ảnh, mỗi ảnh không quá %(size)s MB."
        ) % {
            "count": settings.REPORTER_UPDATE_MAX_FILES,
            "size": settings.REPORT_MAX_FILE_SIZE // (1024 * 1024),
        }

    def clean_text(self) -> str:
        return clean_text(self.cleaned_data.get("text") or "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("text") and not cleaned.get("photos") and not self.errors:
            self.add_error("text", _("Vui lòng nhập nội dung bổ sung hoặc chọn ảnh."))
        return cleaned


class CorrectionForm(forms.Form):
    """Correct the title and content shortly after filing."""

    title = ReportForm.base_fields["title"]
    content = ReportForm.base_fields["content"]
    clean_title = ReportForm.clean_title
    clean_content = ReportForm.clean_content


class HideRequestForm(forms.Form):
    text = forms.CharField(
        label=_("Đoạn cần ẩn"),
        max_length=500,
        help_text=_(
            "Chép đúng đoạn có dữ liệu cá nhân (ví dụ số điện thoại, địa chỉ nhà) "
            "trong nội dung Ông/Bà đã gửi. Cán bộ sẽ ẩn đoạn này."
        ),
    )


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Tôi muốn rút phản ánh này (không thể hoàn tác)"),
        error_messages={"required": _("Vui lòng đánh dấu để xác nhận rút phản ánh.")},
    )
    reason = forms.CharField(
        label=_("Lý do (không bắt buộc)"), required=False, max_length=500
    )
