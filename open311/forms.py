"""Open311 parameters: the POST of a service request, of an update, and the filters.

Every form here names its errors by the Open311 parameter the partner sent
(``PARAMETERS``) and reports all of them at once.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from accounts.forms import (
    PersonalDataMixin,
    consent_field,
    email_field,
    id_number_field,
    phone_field,
)
from feedback.forms import CONTENT_MAX, TITLE_MAX, TITLE_MIN, MultipleFileField
from feedback.models import ReporterUpdate
from places.models import AdministrativeUnit
from portal.lib import uploads
from portal.lib.text import clean_line, clean_text

# The Open311 parameter behind each field of the forms below.
PARAMETERS = {
    "full_name": "first_name/last_name",
    "id_number": "attribute[id_number]",
    "location": "address_string",
    "address_id": "address_id",
    "lat": "lat",
    "long": "long",
    "email": "email",
    "phone": "phone",
    "title": "attribute[title]",
    "content": "description",
    "attachments": "media",
    "allow_publish": "attribute[allow_publish]",
    "consent": "attribute[consent]",
    "service_request_id": "service_request_id",
    "description": "description",
    "start_date": "start_date",
    "end_date": "end_date",
    "status": "status",
    "service_code": "service_code",
}
TRUE_VALUES = {"true", "1", "yes", "on"}
FALSE_VALUES = {"false", "0", "no", "off", ""}
UPDATE_MAX = ReporterUpdate._meta.get_field("text").max_length
DEFAULT_WINDOW = dt.timedelta(days=90)
COORDINATE_PLACES = Decimal("0.000001")
MAX_RESULTS = 1000
OPEN311_STATUSES = ("open", "closed")
# Codes per look-up: a partner following its own reports needs few at a time.
MAX_CODES = 100


def _flag(params: Any, name: str) -> bool:
    return str(params.get(name, "")).strip().lower() in TRUE_VALUES


def _title_from(description: str) -> str:
    first = " ".join(description.split())
    for stop in (". ", "? ", "! "):
        if stop in first:
            first = first.split(stop, 1)[0]
            break
    return first[:TITLE_MAX].strip()


class ServiceRequestForm(PersonalDataMixin, forms.Form):
    """POST requests: the standard's fields, all optional but the location, plus
    the portal's attributes that the service definition declares required.

    ``clean`` applies the standard's location rule: coordinates, address_string or
    address_id (the commune's 5-digit code), at least one of them.
    """

    full_name = forms.CharField(required=False, max_length=150)
    id_number = id_number_field()
    email = email_field()
    phone = phone_field()
    location = forms.CharField(required=False, max_length=500)
    address_id = forms.CharField(required=False, max_length=20)
    lat = forms.DecimalField(
        required=False, min_value=Decimal(-90), max_value=Decimal(90)
    )
    long = forms.DecimalField(
        required=False, min_value=Decimal(-180), max_value=Decimal(180)
    )
    title = forms.CharField(required=False, max_length=TITLE_MAX)
    content = forms.CharField(required=False, max_length=CONTENT_MAX)
    attachments = MultipleFileField(required=False)
    allow_publish = forms.BooleanField(required=False)
    consent = consent_field(_("để tiếp nhận, xử lý và trả lời phản ánh"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("email", "phone"):
            self.fields[name].required = False
        self.fields["id_number"].error_messages["required"] = _(
            "Cần số CMND/CCCD của người phản ánh (thuộc tính bắt buộc, xem định "
            "nghĩa dịch vụ)."
        )
        self.fields["consent"].error_messages["required"] = _(
            "Phải là true: người phản ánh đã tự tích ô đồng ý xử lý dữ liệu cá nhân "
            "(thuộc tính bắt buộc, xem định nghĩa dịch vụ)."
        )
        self.checked_files: list[uploads.CheckedFile] = []

    @classmethod
    def from_params(cls, params: Any, files: list[Any]) -> ServiceRequestForm:
        first = clean_line(params.get("first_name", ""))
        last = clean_line(params.get("last_name", ""))
        data: dict[str, Any] = {
            # Vietnamese order: the family name (last_name) first, then given names.
            "full_name": f"{last} {first}".strip(),
            "id_number": params.get("attribute[id_number]", ""),
            "location": params.get("address_string", ""),
            "address_id": params.get("address_id", ""),
            "lat": params.get("lat", ""),
            "long": params.get("long", ""),
            "email": params.get("email", ""),
            "phone": params.get("phone", ""),
            "title": params.get("attribute[title]", ""),
            "content": params.get("description", ""),
        }
        if _flag(params, "attribute[consent]"):
            data["consent"] = "on"
        if _flag(params, "attribute[allow_publish]"):
            data["allow_publish"] = "on"
        return cls(data, {"attachments": files} if files else None)

    def clean_full_name(self) -> str:
        if not self.cleaned_data["full_name"]:
            return ""
        return super().clean_full_name()

    def clean_phone(self) -> str:
        return super().clean_phone() if self.cleaned_data["phone"] else ""

    def clean_email(self) -> str:
        return super().clean_email() if self.cleaned_data["email"] else ""

    def clean_location(self) -> str:
        return clean_line(self.cleaned_data["location"])

    def clean_address_id(self) -> AdministrativeUnit | None:
        code = self.cleaned_data["address_id"].strip()
        if not code:
            return None
        unit = AdministrativeUnit.objects.filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(
                _(
                    "Không có xã/phường với mã %(code)s; address_id là mã đơn vị "
                    "hành chính cấp xã 5 chữ số."
                )
                % {"code": code[:20]}
            )
        return unit

    def clean_title(self) -> str:
        value = clean_line(self.cleaned_data["title"])
        if value and len(value) < TITLE_MIN:
            raise forms.ValidationError(
                _("Tiêu đề cần ít nhất %(min)s ký tự (hiện có %(count)s).")
                % {"min": TITLE_MIN, "count": len(value)}
            )
        return value

    def clean_content(self) -> str:
        return clean_text(self.cleaned_data["content"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        lat, long = cleaned.get("lat"), cleaned.get("long")
        has_lat = lat is not None or "lat" in self.errors
        has_long = long is not None or "long" in self.errors
        if has_lat != has_long:
            missing = "long" if has_lat else "lat"
            self.add_error(
                missing,
                _("Cần gửi cả lat và long (toạ độ WGS84), thiếu %(name)s.")
                % {"name": missing},
            )
        located = (
            (has_lat and has_long)
            or cleaned.get("location")
            or cleaned.get("address_id")
            or "location" in self.errors
            or "address_id" in self.errors
        )
        if not located:
            self.add_error(
                None,
                _(
                    "Thiếu vị trí: cần lat và long, hoặc address_string, hoặc "
                    "address_id (mã xã/phường 5 chữ số)."
                ),
            )
        if cleaned.get("attachments"):
            try:
                self.checked_files = uploads.check_files(cleaned["attachments"])
            except uploads.UploadRejected as error:
                self.add_error("attachments", error.message)
        return cleaned

    def report_data(self, service_name: str) -> dict[str, Any]:
        """The fields of feedback's submit_report, from the cleaned parameters."""
        cleaned = self.cleaned_data
        unit: AdministrativeUnit | None = cleaned["address_id"]
        # The report stores six decimal places (about 0.1 m); a phone may send more.
        lat, long = (
            None if v is None else v.quantize(COORDINATE_PLACES)
            for v in (cleaned["lat"], cleaned["long"])
        )
        location = cleaned["location"]
        if not location and unit is not None:
            location = unit.name
        if not location and lat is not None and long is not None:
            location = f"{lat}, {long}"
        content = cleaned["content"]
        return {
            "full_name": cleaned["full_name"],
            "id_number": cleaned["id_number"],
            "email": cleaned["email"],
            "phone": cleaned["phone"],
            "location": location,
            "commune": unit,
            "latitude": lat,
            "longitude": long,
            "title": cleaned["title"] or _title_from(content) or service_name,
            "content": content,
            "allow_publish": cleaned["allow_publish"],
        }


class UpdateForm(forms.Form):
    """POST servicerequestupdates: the citizen's words on a report they follow."""

    service_request_id = forms.CharField(max_length=40)
    description = forms.CharField(max_length=UPDATE_MAX)
    update_id = forms.CharField(required=False, max_length=100)

    def clean_description(self) -> str:
        value = clean_text(self.cleaned_data["description"])
        if not value:
            raise forms.ValidationError(_("Cần nội dung cập nhật."))
        return value


def parse_when(raw: str) -> dt.datetime:
    """An ISO 8601 date-time (or date) as an aware datetime, or a clear error.

    A ``+`` that a client left unescaped in a query string arrives as a space;
    a value without an offset is read in the portal's time zone. Out-of-range
    values (month 13, offset +99:00, a year 1 shifted before year 1) are refused
    here so that they never reach the database.
    """
    text = raw.strip().replace(" ", "+")
    example = "2026-11-28T08:00:00+07:00"
    try:
        value = parse_datetime(text)
        if value is None:
            day = parse_date(text)
            if day is not None:
                value = dt.datetime.combine(day, dt.time())
    except ValueError:
        raise forms.ValidationError(
            _(
                "Ngày giờ “%(value)s” không tồn tại (tháng, ngày, giờ hoặc múi giờ "
                "vượt giới hạn); ví dụ đúng: %(example)s."
            )
            % {"value": text[:40], "example": example}
        ) from None
    if value is None:
        raise forms.ValidationError(
            _("Ngày giờ “%(value)s” không đúng ISO 8601; ví dụ đúng: %(example)s.")
            % {"value": text[:40], "example": example}
        )
    try:
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        value.astimezone(dt.UTC)
        if not 1900 <= value.year <= 9000:
            raise OverflowError
    except (OverflowError, ValueError):
        raise forms.ValidationError(
            _("Ngày giờ “%(value)s” nằm ngoài khoảng hệ thống nhận (năm 1900–9000).")
            % {"value": text[:40]}
        ) from None
    return value


class DateWindowForm(forms.Form):
    """start_date and end_date: the last 90 days by default, as the standard says."""

    start_date = forms.CharField(required=False, max_length=40)
    end_date = forms.CharField(required=False, max_length=40)

    def clean_start_date(self) -> dt.datetime | None:
        raw = self.cleaned_data["start_date"]
        return parse_when(raw) if raw.strip() else None

    def clean_end_date(self) -> dt.datetime | None:
        raw = self.cleaned_data["end_date"]
        return parse_when(raw) if raw.strip() else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "start_date" in self.errors or "end_date" in self.errors:
            return cleaned
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        # With one date given, the window runs from it to now, or 90 days up to it.
        if end is None:
            end = timezone.now()
        if start is None:
            start = end - DEFAULT_WINDOW
        if start > end:
            self.add_error("start_date", _("start_date phải trước end_date."))
        cleaned["start_date"], cleaned["end_date"] = start, end
        return cleaned


def _list(params: Any, name: str) -> list[str]:
    """A parameter given several times and/or comma-separated, as one list."""
    values: list[str] = []
    for raw in params.getlist(name):
        values.extend(v.strip() for v in str(raw).split(",") if v.strip())
    return values


class RequestsFilterForm(DateWindowForm):
    """GET requests: by codes, or by dates, status and service."""

    def __init__(self, params: Any) -> None:
        super().__init__(
            {
                "start_date": params.get("start_date", ""),
                "end_date": params.get("end_date", ""),
            }
        )
        self.params = params

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        statuses = [v.lower() for v in _list(self.params, "status")]
        unknown = sorted({v for v in statuses if v not in OPEN311_STATUSES})
        if unknown:
            self.add_error(
                None,
                forms.ValidationError(
                    _("status: chỉ nhận open hoặc closed (nhận được: %(values)s).")
                    % {"values": ", ".join(v[:20] for v in unknown[:5])}
                ),
            )
        cleaned["status"] = sorted(set(statuses))
        cleaned["service_code"] = _list(self.params, "service_code")
        codes = _list(self.params, "service_request_id")
        if len(codes) > MAX_CODES:
            self.add_error(
                None,
                forms.ValidationError(
                    _("service_request_id: tối đa %(count)s mã mỗi lần.")
                    % {"count": MAX_CODES}
                ),
            )
        cleaned["service_request_id"] = codes
        return cleaned
