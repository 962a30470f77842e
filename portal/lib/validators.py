"""Validators for Vietnamese identity numbers and phone numbers."""

from __future__ import annotations

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from phonenumbers import NumberParseException, PhoneNumberType

# Province codes of the CCCD: 001-096, with gaps where provinces were merged away.
PROVINCE_CODES = frozenset(
    {
        1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31,
        33, 34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60,
        62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91,
        92, 93, 94, 95, 96,
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


# The kinds of number a citizen can be called back on; not 1900/1800 or others.
_PHONE_TYPES = frozenset(
    {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE,
     PhoneNumberType.FIXED_LINE_OR_MOBILE}
)  # fmt: skip


def _vietnamese_number(value: str) -> phonenumbers.PhoneNumber | None:
    """The number ``value`` dials in Vietnam, or None when it is not a phone number.

    Only digits, separators and a leading + are accepted: phonenumbers would read
    letters as a keypad's (09l2... as 0952...).
    """
    phone = _SEPARATORS.sub("", value)
    digits = phone.removeprefix("+")
    if not digits.isascii() or not digits.isdigit():
        return None
    try:
        return phonenumbers.parse(phone, "VN")
    except NumberParseException:
        return None


def normalize_phone(value: str) -> str:
    """Return the phone in its stored form: national, with a leading 0 (0912345678).

    "+84 912 345 678", "84912345678" and "0912.345.678" are all stored as
    0912345678; a value that is no Vietnamese number is returned without its
    separators, for validate_phone to refuse.
    """
    number = _vietnamese_number(value)
    if number is None or number.country_code != 84:
        return _SEPARATORS.sub("", value)
    return f"0{number.national_number}"


def validate_phone(value: str) -> None:
    """A Vietnamese mobile or landline number in use, by the phonenumbers metadata
    (which follows the carriers' prefixes as they change)."""
    number = _vietnamese_number(value)
    if number is None:
        raise ValidationError(
            _("Số điện thoại không hợp lệ. Ví dụ: 0912 345 678 hoặc +84 912 345 678."),
            code="phone_invalid",
        )
    if (
        phonenumbers.region_code_for_number(number) == "VN"
        and phonenumbers.is_valid_number(number)
        and phonenumbers.number_type(number) in _PHONE_TYPES
    ):
        return
    raise ValidationError(
        _(
            "Số điện thoại không hợp lệ: số di động có 10 chữ số với đầu số đang "
            "dùng (03, 05, 07, 08, 09), số cố định có 11 chữ số bắt đầu bằng 02."
        ),
        code="phone_invalid",
    )
