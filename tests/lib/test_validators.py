from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from portal.lib.codes import ALPHABET, generate_code, normalize_code
from portal.lib.text import clean_line, mask_name, nfc, strip_accents
from portal.lib.validators import (
    normalize_phone,
    validate_id_number,
    validate_phone,
)


@pytest.mark.parametrize(
    "value",
    [
        "058090001234",  # CCCD, Ninh Thuận
        "001203012345",  # CCCD, Hà Nội
        "096190000001",  # CCCD, Cà Mau
        "079 090 001 234",  # spaces are separators
        "123456789",  # old CMND
    ],
)
def test_valid_id_numbers(value: str) -> None:
    validate_id_number(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("12345678", "id_number_length"),
        ("1234567890", "id_number_length"),
        ("0580900012345", "id_number_length"),
        ("097090001234", "id_number_province"),  # 097 is no province
        ("003090001234", "id_number_province"),  # 003 is unused
        ("000090001234", "id_number_province"),
        ("05809000123A", "id_number_digits"),
        ("０５８０９０００１２３４", "id_number_digits"),  # full-width digits
    ],
)
def test_invalid_id_numbers(value: str, code: str) -> None:
    with pytest.raises(ValidationError) as error:
        validate_id_number(value)
    assert error.value.code == code


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("0912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0352.123.456", "0352123456"),
        ("(0259) 3822 123", "02593822123"),  # Ninh Thuận landline
        ("028 3812 3456", "02838123456"),  # Hồ Chí Minh City landline
        ("+84 259 3822 123", "02593822123"),
        ("0871 234 567", "0871234567"),  # Itelecom (087)
    ],
)
def test_valid_phones_are_normalised(raw: str, stored: str) -> None:
    validate_phone(raw)
    assert normalize_phone(raw) == stored


@pytest.mark.parametrize(
    "value",
    [
        "0112345678",  # 01x prefix retired in 2018
        "0212345678",  # landline needs 11 digits
        "091234567",  # too short
        "09123456789",  # mobile too long
        "+1 202 555 0100",  # not Vietnamese
        "09l2345678",  # letter l (a keypad would read it as 5)
        "０９１２３４５６７８",  # full-width digits
        "1900 1234",  # a hotline, not a phone to call back
        "0800123456",
        "+84 1900 1234",
        "84 12",
        "",
    ],
)
def test_invalid_phones(value: str) -> None:
    with pytest.raises(ValidationError):
        validate_phone(value)


def test_generated_codes_use_the_readable_alphabet() -> None:
    codes = {generate_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        prefix, first, second = code.split("-")
        assert prefix == "PA"
        assert len(first + second) == 8
        assert set(first + second) <= set(ALPHABET)
        assert not set(first + second) & set("ILOU")


@pytest.mark.parametrize(
    "typed",
    ["PA-7K3Q-X9MD", "pa-7k3q-x9md", "PA7K3QX9MD", "7k3q x9md", " pa 7K3Q-X9MD "],
)
def test_code_lookup_ignores_case_dashes_and_spaces(typed: str) -> None:
    assert normalize_code(typed) == "PA-7K3Q-X9MD"


def test_code_lookup_forgives_confused_letters() -> None:
    assert normalize_code("PA-1O0I-LLOO") == "PA-1001-1100"


@pytest.mark.parametrize(
    "typed", ["", "PA-", "PA-7K3Q-X9M", "PA-7K3Q-X9MD1", "<script>"]
)
def test_malformed_codes_are_refused(typed: str) -> None:
    assert normalize_code(typed) is None


def test_nfc_makes_decomposed_vietnamese_equal() -> None:
    decomposed = "Nguye\u0302\u0303n"  # "Nguyễn" typed as base letters + marks
    assert decomposed != "Nguyễn"
    assert nfc(decomposed) == "Nguyễn"


def test_clean_line_folds_spaces_and_drops_control_characters() -> None:
    assert clean_line("  Trần\tThị \x00 Bình \n") == "Trần Thị Bình"


def test_strip_accents_handles_d_with_stroke() -> None:
    assert strip_accents("Đường Nguyễn Huệ") == "Duong Nguyen Hue"


def test_mask_name_keeps_only_family_name_and_initials() -> None:
    assert mask_name("Nguyễn Văn An") == "Nguyễn V. A."
    assert mask_name("Lê") == "Lê"
