from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback.models import Category
from places.models import AdministrativeUnit
from stats.selectors import Filters

MIN_YEAR, MAX_YEAR = 2000, 2100


class StatsFilterForm(forms.Form):
    PERIODS = [
        ("all", _("Toàn bộ thời gian")),
        ("month", _("Tháng này")),
        ("year", _("Năm nay")),
        ("custom", _("Khoảng thời gian tự chọn")),
    ]
    period = forms.ChoiceField(
        label=_("Thời gian"), choices=PERIODS, required=False, initial="all"
    )
    start = forms.DateField(
        label=_("Từ ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=_("Đến ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    category = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=Category.objects.filter(is_active=True),
        to_field_name="slug",
        required=False,
        empty_label=_("Tất cả lĩnh vực"),
    )
    # ?commune=<the unit's 5-digit code>, as on the report form and the list.
    commune = forms.ModelChoiceField(
        label=_("Xã/phường"),
        queryset=AdministrativeUnit.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Tất cả xã/phường"),
        error_messages={
            "invalid_choice": _("Xã/phường đã chọn không có trong danh sách.")
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        commune = self.fields["commune"]
        assert isinstance(commune, forms.ModelChoiceField)
        commune.queryset = AdministrativeUnit.objects.of_province(
            settings.PORTAL_PROVINCE_CODE
        ).only("code", "name")
        for name, field in self.fields.items():
            selects = ("period", "category", "commune")
            css = "form-select" if name in selects else "form-control"
            if name in self.errors:
                css += " is-invalid"
            field.widget.attrs["class"] = css

    def _clean_date(self, name: str) -> date | None:
        value: date | None = self.cleaned_data.get(name)
        # date.max + 1 day overflows in the query: keep to years that make sense.
        if value is not None and not MIN_YEAR <= value.year <= MAX_YEAR:
            raise forms.ValidationError(
                _("Chọn một ngày từ năm %(start)s đến năm %(end)s.")
                % {"start": MIN_YEAR, "end": MAX_YEAR}
            )
        return value

    def clean_start(self) -> date | None:
        return self._clean_date("start")

    def clean_end(self) -> date | None:
        return self._clean_date("end")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("period") == "custom":
            start, end = data.get("start"), data.get("end")
            if not start and not end and "start" not in self.errors:
                self.add_error(
                    "start", _("Chọn ít nhất ngày bắt đầu hoặc ngày kết thúc.")
                )
            elif start and end and start > end:
                self.add_error("end", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data

    def filters(self, today: date | None = None) -> Filters:
        """The filters of the valid fields; a field with an error is ignored."""
        today = today or timezone.localdate()
        data = self.cleaned_data if self.is_bound else {}
        where = {
            name: data.get(name) if name not in self.errors else None
            for name in ("category", "commune")
        }
        period = data.get("period") or "all"
        if period == "month":
            return Filters(start=today.replace(day=1), **where)
        if period == "year":
            return Filters(start=date(today.year, 1, 1), **where)
        if period == "custom" and not self.errors.keys() & {"start", "end"}:
            return Filters(start=data.get("start"), end=data.get("end"), **where)
        return Filters(**where)
