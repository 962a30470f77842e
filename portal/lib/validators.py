"""Validators for Vietnamese identity numbers and phone numbers."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Province codes of the CCCD: 001-096, with gaps where provinces were merged away.
PROVINCE_CODES = frozenset(
    {
        1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31,
        33, 34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60,
        62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91,
        92, 93, 94, 95, 96,
    }
)  # fmt: skip

# Mobile prefixes in use after the 2018 renumbering (Viettel, Vinaphone, Mobifone,
# Vietnamobile, Gmobile, Itelecom, Reddi and the MVNOs).
MOBILE_PREFIXES = frozenset(
    {
        "32", "33", "34", "35", "36", "37", "38", "39",
        "52", "55", "56", "58", "59",
        "70", "76", "77", "78", "79",
        "81", "82", "83", "84", "85", "86", "87", "88", "89",
        "90", "91", "92", "93", "94", "96", "97", "98", "99",
    }
)  # fmt: skip

_SEPARATORS = re.compile(r"[\s.\-()]")


def normalize_id_number(value: str) -> str:
    return _SEPARATORS.sub("", value)


def validate_id_number(value: str) -> None:
    """CCCD: 12 digits starting with a province code; CMND: 9 digits."""
    digits = normalize_id_number(value)
    if not digits.isascii() or not digits.isdigit():
        raise ValidationError(
            _("Số CMND/CCCD chỉ gồm chữ số."), code="id_number_digits"
        )
    if len(digits) == 9:
        return
    if len(digits) != 12:
        raise ValidationError(
            _("Số CMND có 9 chữ số, số CCCD có 12 chữ số."), code="id_number_length"
        )
    if int(digits[:3]) not in PROVINCE_CODES:
        raise ValidationError(
            _("Ba chữ số đầu của CCCD (%(code)s) không phải mã tỉnh, thành phố."),
            code="id_number_province",
            params={"code": digits[:3]},
        )


def normalize_phone(value: str) -> str:
    """Return the phone in its stored form: national, with a leading 0 (0912345678)."""
    phone = _SEPARATORS.sub("", value)
    if phone.startswith("+84"):
        phone = "0" + phone[3:]
    elif phone.startswith("84") and len(phone) == 11:
        phone = "0" + phone[2:]
    return phone


def validate_phone(value: str) -> None:
    """A Vietnamese mobile (10 digits) or landline (0 + 2xx area code, 11 digits)."""
    phone = normalize_phone(value)
    if not phone.isascii() or not phone.isdigit() or not phone.startswith("0"):
        raise ValidationError(
            _("Số điện thoại không hợp lệ. Ví dụ: 0912 345 678 hoặc +84 912 345 678."),
            code="phone_invalid",
        )
    if len(phone) == 10 and phone[1:3] in MOBILE_PREFIXES:
        return
    if len(phone) == 11 and phone[1] == "2":
        return
    raise ValidationError(
        _(
            "Số điện thoại không hợp lệ: số di động có 10 chữ số với đầu số đang "
            "dùng (03, 05, 07, 08, 09), số cố định có 11 chữ số bắt đầu bằng 02."
        ),
        code="phone_invalid",
    )
