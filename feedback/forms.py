from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
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
from feedback import held as held_files
from feedback.models import PUBLIC_STATUSES, Category, HeldUpload, Rating
from places.forms import CommuneField, CoordinateField
from places.geo import in_province
from places.models import AdministrativeUnit
from portal.lib import ratelimit, uploads
from portal.lib.text import clean_line, clean_text, interpolate_lazy

PUBLIC_STATUS_CHOICES = [(s.value, s.label) for s in PUBLIC_STATUSES]

TITLE_MIN, TITLE_MAX = 10, 200
CONTENT_MIN, CONTENT_MAX = 20, 10_000
LOCATION_MIN = 5
# The same messages from the server and, before upload, from static/js/forms.js.
TITLE_MESSAGE = _("Tiêu đề cần ít nhất %(min)s ký tự (hiện có %(count)s).")
CONTENT_MESSAGE = _("Nội dung cần ít nhất %(min)s ký tự (hiện có %(count)s).")
LOCATION_MESSAGE = _("Vui lòng ghi rõ vị trí diễn ra sự việc.")

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


def needs_captcha(user: Any) -> bool:
    """A confirmed account within its rate limit files without a captcha.

    The per-account limit guards against abuse; once the account has used it up,
    the captcha comes back (and the limit still refuses the submission).
    """
    if user is None or user.email_confirmed_at is None or not user.is_active:
        return True
    return ratelimit.exceeded(
        "report-user", str(user.pk), rate=settings.REPORT_RATE_LIMIT
    )


def consent_remembered(user: Any) -> bool:
    """The account agreed to the current version of the consent text."""
    return bool(
        user is not None
        and user.report_consent_version
        and user.report_consent_version == settings.CONSENT_VERSION
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
    commune = CommuneField(required=False)
    latitude = CoordinateField(label=_("Vĩ độ"), low=-90, high=90)
    longitude = CoordinateField(label=_("Kinh độ"), low=-180, high=180)
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
        help_text=interpolate_lazy(
            _("Tóm tắt sự việc, từ %(min)s đến %(max)s ký tự."),
            {"min": TITLE_MIN, "max": TITLE_MAX},
        ),
    )
    content = forms.CharField(
        label=_("Nội dung"),
        max_length=CONTENT_MAX,
        help_text=interpolate_lazy(
            _("Mô tả chi tiết vấn đề, kiến nghị (từ %(min)s ký tự)."),
            {"min": CONTENT_MIN},
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachments = MultipleFileField(label=_("Đính kèm"), required=False)
    # Ticked ids of the session's held files (see feedback/held.py) to leave out.
    drop_held = forms.TypedMultipleChoiceField(
        label=_("Bỏ tệp này"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    allow_publish = forms.BooleanField(
        label=_(
            "Đồng ý công khai phản ánh trên cổng sau khi được tiếp nhận: tiêu đề, "
            "lĩnh vực, xã/phường, vị trí gần đúng, tiến độ xử lý và kết quả trả lời "
            "(tên được viết tắt; không hiện CMND/CCCD, email, số điện thoại)."
        ),
        required=False,
    )
    consent = consent_field(_("để tiếp nhận, xử lý và trả lời phản ánh"))
    captcha = PortalCaptchaField()

    def __init__(
        self,
        *args: Any,
        user: Any = None,
        ip: str = "",
        held: Sequence[HeldUpload] = (),
        verified: bool = False,
        **kwargs: Any,
    ) -> None:
        self.user = user if getattr(user, "is_authenticated", False) else None
        self.ip = ip
        # This submission passed the captcha and the rate limit already (the
        # nearby step's token, feedback/nearby_step.py): neither is asked again.
        self.verified = verified
        if self.user is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                name: getattr(self.user, name, "")
                for name in ("full_name", "id_number", "email", "phone")
            }
        super().__init__(*args, **kwargs)
        if verified or not needs_captcha(self.user):
            del self.fields["captcha"]
        self.consent_remembered = consent_remembered(self.user)
        if self.consent_remembered:
            del self.fields["consent"]
        self.fields["attachments"].help_text = _attachments_help()
        commune = self.fields["commune"]
        assert isinstance(commune, CommuneField)
        commune.build_choices()
        self.held = list(held)
        self._client_checks()
        # The uploads of this request that passed every check, already cleaned:
        # the view holds them, and they are what the report gets.
        self.checked_files: list[uploads.CheckedFile] = []

    @property
    def held(self) -> list[HeldUpload]:
        return self._held

    @held.setter
    def held(self, rows: list[HeldUpload]) -> None:
        self._held = rows
        drop = self.fields["drop_held"]
        assert isinstance(drop, forms.TypedMultipleChoiceField)
        drop.choices = [(row.pk, row.original_name) for row in rows]
        room = max(0, settings.REPORT_MAX_FILES - len(rows))
        self.fields["attachments"].widget.attrs["data-max-files"] = str(room)

    def _client_checks(self) -> None:
        """The server's own messages, for static/js/forms.js to give before upload."""
        for name, minimum, message in (
            ("location", LOCATION_MIN, LOCATION_MESSAGE),
            ("title", TITLE_MIN, TITLE_MESSAGE),
            ("content", CONTENT_MIN, CONTENT_MESSAGE),
        ):
            self.fields[name].widget.attrs.update(
                {
                    "data-minlength": str(minimum),
                    "data-msg-minlength": str(message)
                    % {"min": minimum, "count": "{count}"},
                }
            )
        size = filesizeformat(settings.REPORT_MAX_FILE_SIZE)
        self.fields["attachments"].widget.attrs.update(
            {
                "data-max-size": str(settings.REPORT_MAX_FILE_SIZE),
                "data-msg-max-size": uploads.UploadRejected(
                    "{name}", _("tệp lớn hơn %(max)s cho phép.") % {"max": size}
                ).message,
                "data-msg-max-files": uploads.UploadRejected(
                    "{name}",
                    _("mỗi phản ánh đính kèm tối đa %(count)s tệp.")
                    % {"count": settings.REPORT_MAX_FILES},
                ).message,
            }
        )

    @property
    def kept_held(self) -> list[HeldUpload]:
        dropped = set(self.cleaned_data.get("drop_held") or [])
        return [row for row in self.held if row.pk not in dropped]

    @property
    def dropped_held(self) -> list[int]:
        return list(getattr(self, "cleaned_data", {}).get("drop_held") or [])

    def clean_location(self) -> str:
        value = clean_line(self.cleaned_data["location"])
        if len(value) < LOCATION_MIN:
            raise forms.ValidationError(LOCATION_MESSAGE)
        return value

    def clean_title(self) -> str:
        value = clean_line(self.cleaned_data["title"])
        if len(value) < TITLE_MIN:
            raise forms.ValidationError(
                TITLE_MESSAGE % {"min": TITLE_MIN, "count": len(value)}
            )
        return value

    def clean_content(self) -> str:
        value = clean_text(self.cleaned_data["content"])
        if len(value) < CONTENT_MIN:
            raise forms.ValidationError(
                CONTENT_MESSAGE % {"min": CONTENT_MIN, "count": len(value)}
            )
        return value

    def _clean_coordinates(self, cleaned: dict[str, Any]) -> None:
        lat, long = cleaned.get("latitude"), cleaned.get("longitude")
        if "latitude" in self.errors or "longitude" in self.errors:
            return
        if (lat is None) != (long is None):
            missing = "longitude" if long is None else "latitude"
            self.add_error(
                missing,
                _("Vui lòng nhập cả vĩ độ và kinh độ, hoặc để trống cả hai."),
            )
        elif lat is not None and long is not None and not in_province(lat, long):
            self.add_error(
                "latitude",
                _(
                    "Vị trí đã chọn nằm ngoài địa bàn tỉnh. Vui lòng chọn lại trên "
                    "bản đồ, hoặc để trống toạ độ và ghi rõ vị trí diễn ra."
                ),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._clean_coordinates(cleaned)
        new = cleaned.get("attachments") or []
        # Decoding images costs time: only for a request that passed the captcha.
        if new and "captcha" in self.errors:
            self.add_error(
                "attachments",
                _(
                    "Các tệp vừa chọn chưa được nhận vì mã xác thực chưa đúng. "
                    "Vui lòng nhập mã mới và chọn lại tệp."
                ),
            )
        elif new:
            prepared = held_files.prepare_all(new, kept=self.kept_held)
            self.checked_files = prepared.files
            for message in prepared.errors:
                self.add_error("attachments", message)
        if not self.errors and not self.verified:
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
                    "Ông/Bà đã gửi quá nhiều phản ánh trong thời gian ngắn "
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


class PublicFilterForm(forms.Form):
    """The filters of every public view of reports: the list and the map."""

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
        choices=[("", _("Tất cả trạng thái")), *PUBLIC_STATUS_CHOICES],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    commune = forms.ModelChoiceField(
        label=_("Xã/phường"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        empty_label=_("Tất cả xã/phường"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        commune = self.fields["commune"]
        assert isinstance(commune, forms.ModelChoiceField)
        commune.queryset = AdministrativeUnit.objects.of_province(
            settings.PORTAL_PROVINCE_CODE
        )


class ReportFilterForm(PublicFilterForm):
    q = forms.CharField(label=_("Từ khoá"), required=False, max_length=200)
    field_order = ["q", "category", "status", "commune"]


class RatingForm(forms.Form):
    satisfied = forms.TypedChoiceField(
        label=_("Ông/Bà có hài lòng với kết quả trả lời không?"),
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
        help_text=_("Để xác nhận Ông/Bà là người gửi phản ánh."),
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Several forms share the report page: ids must stay unique.
        kwargs.setdefault("auto_id", "review_%s")
        super().__init__(*args, **kwargs)


class ReporterProofForm(forms.Form):
    """Whoever holds the code and the email used when filing is the reporter."""

    email = forms.EmailField(
        label=_("Email đã dùng khi gửi phản ánh"),
        help_text=_("Để xác nhận Ông/Bà là người gửi phản ánh này."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": _("Vui lòng nhập email đã dùng khi gửi phản ánh.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Several forms share the report page: ids must stay unique.
        kwargs.setdefault("auto_id", "proof_%s")
        super().__init__(*args, **kwargs)


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
        kwargs.setdefault("auto_id", "update_%s")
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Several forms share the report page: ids must stay unique.
        kwargs.setdefault("auto_id", "hide_%s")
        super().__init__(*args, **kwargs)


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Tôi muốn rút phản ánh này (không thể hoàn tác)"),
        error_messages={"required": _("Vui lòng đánh dấu để xác nhận rút phản ánh.")},
    )
    reason = forms.CharField(
        label=_("Lý do (không bắt buộc)"), required=False, max_length=500
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Several forms share the report page: ids must stay unique.
        kwargs.setdefault("auto_id", "withdraw_%s")
        super().__init__(*args, **kwargs)


class FollowForm(forms.Form):
    email = forms.EmailField(
        label=_("Email nhận thông báo"),
        help_text=_(
            "Ông/Bà sẽ nhận email xác nhận; chỉ sau khi xác nhận mới nhận thông báo. "
            "Mỗi email đều có liên kết huỷ theo dõi."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": _("Vui lòng nhập email để theo dõi.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Several forms share the report page: ids must stay unique.
        kwargs.setdefault("auto_id", "follow_%s")
        super().__init__(*args, **kwargs)


class AreaAlertForm(forms.Form):
    email = forms.EmailField(
        label=_("Email nhận bản tin"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": _("Vui lòng nhập email nhận bản tin.")},
    )
    commune_code = forms.RegexField(
        label=_("Mã xã/phường (5 chữ số)"),
        regex=r"^\d{5}$",
        required=False,
        help_text=_("Không bắt buộc. Ví dụ: 22738."),
        error_messages={"invalid": _("Mã xã/phường gồm đúng 5 chữ số.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    category = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=Category.objects.filter(is_active=True),
        required=False,
        empty_label=_("— Mọi lĩnh vực —"),
    )
    consent = forms.BooleanField(
        label=_(
            "Tôi đồng ý để cổng lưu email này chỉ để gửi bản tin hằng ngày; "
            "có thể huỷ bất cứ lúc nào bằng liên kết trong email."
        ),
        error_messages={"required": _("Vui lòng đánh dấu đồng ý để nhận bản tin.")},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            not self.errors
            and not cleaned.get("commune_code")
            and not cleaned.get("category")
        ):
            raise forms.ValidationError(
                _("Vui lòng nhập mã xã/phường hoặc chọn lĩnh vực (hoặc cả hai).")
            )
        return cleaned
