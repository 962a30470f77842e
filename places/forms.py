"""Form fields for a place: the commune select and WGS84 coordinates."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from places.models import AdministrativeUnit

SIX_PLACES = Decimal("0.000001")


class CommuneSelect(forms.Select):
    """A <select> grouped by former province, each option naming the old units.

    Works without JavaScript; each option carries its folded names in
    ``data-search`` so places.js can filter the list as the citizen types.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.search: dict[str, str] = {}

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> Any:
        option = super().create_option(name, value, *args, **kwargs)
        key = str(value)
        if key in self.search:
            option["attrs"]["data-search"] = self.search[key]
        return option


def _short(name: str) -> str:
    for prefix in ("Thị trấn ", "Phường ", "Xã "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def unit_label(unit: AdministrativeUnit) -> str:
    old = [n for n in unit.legacy_names if _short(n) != _short(unit.name)]
    if not old:
        return unit.name
    return str(_("%(name)s (trước đây: %(old)s)")) % {
        "name": unit.name,
        "old": ", ".join(_short(n) for n in old),
    }


class CommuneField(forms.ModelChoiceField):
    widget = CommuneSelect

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Xã/phường/đặc khu"))
        kwargs.setdefault("empty_label", _("— Chọn xã/phường —"))
        kwargs.setdefault(
            "help_text",
            _(
                "Đơn vị hành chính từ 01/7/2025. Tên cũ (trước sáp nhập) được ghi "
                "trong ngoặc để Ông/Bà dễ tìm."
            ),
        )
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": _("Xã/phường đã chọn không có trong danh sách.")},
        )
        super().__init__(
            queryset=AdministrativeUnit.objects.of_province(
                settings.PORTAL_PROVINCE_CODE
            ),
            **kwargs,
        )

    def build_choices(self) -> None:
        """Options grouped by former province (one query, at render time)."""
        groups: dict[str, list[tuple[str, str]]] = {}
        search: dict[str, str] = {}
        assert self.queryset is not None
        for unit in self.queryset.order_by("name"):
            group = (
                str(_("Khu vực tỉnh Ninh Thuận cũ"))
                if unit.former_ninh_thuan
                else str(_("Khu vực tỉnh Khánh Hòa cũ"))
            )
            groups.setdefault(group, []).append((unit.code, unit_label(unit)))
            search[unit.code] = unit.search_text
        widget = self.widget
        assert isinstance(widget, CommuneSelect)
        widget.choices = [("", self.empty_label or ""), *sorted(groups.items())]
        widget.search = search


class CoordinateField(forms.CharField):
    """Decimal degrees; a comma is accepted as the decimal mark, 6 places kept."""

    def __init__(self, *, low: float, high: float, **kwargs: Any) -> None:
        self.low, self.high = low, high
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "inputmode": "decimal",
                    "autocomplete": "off",
                    "maxlength": 20,
                    "size": 12,
                }
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = str(super().to_python(value) or "").strip().replace(",", ".")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(
                _("Toạ độ phải là số thập phân, ví dụ 11.564500."), code="invalid"
            ) from None
        if not number.is_finite() or not self.low <= number <= self.high:
            raise forms.ValidationError(
                _("Toạ độ phải là số thập phân, ví dụ 11.564500."), code="invalid"
            )
        return number.quantize(SIX_PLACES, rounding=ROUND_HALF_UP)
