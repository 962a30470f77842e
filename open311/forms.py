"""Open311 parameters mapped onto the portal's own report form and filters."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from feedback.forms import ReportForm

# The Open311 parameter that carries each field of the portal's form, so that an
# error names what the partner app sent.
PARAMETERS = {
    "full_name": "first_name/last_name",
    "id_number": "attribute[id_number]",
    "location": "address_string",
    "email": "email",
    "phone": "phone",
    "title": "attribute[title]",
    "content": "description",
    "category": "service_code",
    "attachments": "media",
    "allow_publish": "attribute[allow_publish]",
    "consent": "attribute[consent]",
}
TRUE_VALUES = {"true", "1", "yes", "on"}
DEFAULT_WINDOW = timedelta(days=90)
MAX_RESULTS = 1000
OPEN311_STATUSES = {"open", "closed"}


class ApiReportForm(ReportForm):
    """The web form's validation without the captcha: the partner's key replaces it.

    Rate limits are per partner and counted by the view for every keyed request.
    """

    captcha = None  # type: ignore[assignment]

    def _throttle(self) -> None:
        return None


def _title_from(description: str) -> str:
    first = " ".join(description.split())
    for stop in (". ", "? ", "! ", "\n"):
        if stop in first:
            first = first.split(stop, 1)[0]
            break
    return first[:200]


def report_data(params: Any, category_pk: int | None) -> dict[str, Any]:
    """The web form's fields from the Open311 POST parameters."""
    first = params.get("first_name", "")
    last = params.get("last_name", "")
    description = params.get("description", "")
    title = params.get("attribute[title]", "") or _title_from(description)
    data = {
        # Vietnamese order: family name (last_name) first, then given names.
        "full_name": f"{last} {first}".strip(),
        "id_number": params.get("attribute[id_number]", ""),
        "location": params.get("address_string", ""),
        "email": params.get("email", ""),
        "phone": params.get("phone", ""),
        "title": title,
        "content": description,
        "category": str(category_pk) if category_pk else "",
    }
    if params.get("attribute[consent]", "").strip().lower() in TRUE_VALUES:
        data["consent"] = "on"
    if params.get("attribute[allow_publish]", "").strip().lower() in TRUE_VALUES:
        data["allow_publish"] = "on"
    return data


def _parse_when(raw: str) -> datetime:
    value = parse_datetime(raw.strip().replace(" ", "+"))
    if value is None:
        raise forms.ValidationError(
            _("Ngày giờ không đúng ISO 8601, ví dụ 2026-11-28T08:00:00+07:00.")
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


class RequestsFilterForm(forms.Form):
    """GET /requests filters: dates (default the last 90 days), status, service."""

    service_request_id = forms.CharField(required=False, max_length=2000)
    service_code = forms.CharField(required=False, max_length=2000)
    start_date = forms.CharField(required=False, max_length=40)
    end_date = forms.CharField(required=False, max_length=40)
    status = forms.CharField(required=False, max_length=40)

    def clean_start_date(self) -> datetime | None:
        raw = self.cleaned_data["start_date"]
        return _parse_when(raw) if raw else None

    def clean_end_date(self) -> datetime | None:
        raw = self.cleaned_data["end_date"]
        return _parse_when(raw) if raw else None

    def clean_status(self) -> list[str]:
        values = [v.strip() for v in self.cleaned_data["status"].split(",") if v]
        unknown = [v for v in values if v not in OPEN311_STATUSES]
        if unknown:
            raise forms.ValidationError(_("status chỉ nhận open hoặc closed."))
        return values

    def clean_service_code(self) -> list[str]:
        return [v.strip() for v in self.cleaned_data["service_code"].split(",") if v]

    def clean_service_request_id(self) -> list[str]:
        raw = self.cleaned_data["service_request_id"]
        return [v.strip() for v in raw.split(",") if v.strip()][:MAX_RESULTS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        # The standard's default window is the last 90 days; with one date given,
        # the window runs from it to now, or 90 days up to it.
        if end is None:
            end = timezone.now()
        if start is None:
            start = end - DEFAULT_WINDOW
        if start is not None and end is not None and start > end:
            raise forms.ValidationError(_("start_date phải trước end_date."))
        cleaned["start_date"], cleaned["end_date"] = start, end
        return cleaned
