"""Property-based tests: the validators and parsers hold for any input."""

from __future__ import annotations

import contextlib

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from portal.lib.codes import ALPHABET, generate_code, normalize_code
from portal.lib.text import clean_line, nfc, strip_accents
from portal.lib.validators import (
    PROVINCE_CODES,
    normalize_phone,
    validate_id_number,
    validate_phone,
)

digits = st.text(alphabet="0123456789", min_size=0, max_size=16)


@given(st.text(max_size=40))
def test_id_validator_only_ever_raises_validation_error(value: str) -> None:
    with contextlib.suppress(ValidationError):
        validate_id_number(value)


@given(
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.text("0123456789", min_size=9, max_size=9),
)
def test_every_cccd_with_a_province_code_is_valid(province: int, rest: str) -> None:
    validate_id_number(f"{province:03d}{rest}")


@given(digits)
def test_id_numbers_are_valid_only_at_nine_or_twelve_digits(value: str) -> None:
    try:
        validate_id_number(value)
    except ValidationError:
        return
    assert len(value) in (9, 12)


@given(st.text(max_size=30))
def test_phone_validator_only_ever_raises_validation_error(value: str) -> None:
    try:
        validate_phone(value)
    except ValidationError:
        return
    stored = normalize_phone(value)
    assert stored.isdigit() and stored.startswith("0") and len(stored) in (10, 11)


@given(
    st.sampled_from(["09", "03", "07", "08", "05"]),
    st.text("0123456789", min_size=8, max_size=8),
)
def test_normalising_a_phone_is_idempotent(prefix: str, rest: str) -> None:
    once = normalize_phone(f"+84 {prefix[1]}{rest}")
    assert normalize_phone(once) == once == f"{prefix}{rest}"


@given(st.text(max_size=30))
def test_code_parser_returns_canonical_code_or_none(value: str) -> None:
    code = normalize_code(value)
    if code is not None:
        assert normalize_code(code) == code
        assert len(code) == 12 and code.startswith("PA-")


@given(
    st.text(alphabet=ALPHABET, min_size=8, max_size=8), st.sampled_from(["", "-", " "])
)
def test_any_generated_shape_survives_lowercase_and_separators(
    body: str, sep: str
) -> None:
    typed = f"pa{sep}{body[:4].lower()}{sep}{body[4:].lower()}"
    assert normalize_code(typed) == f"PA-{body[:4]}-{body[4:]}"


def test_generated_codes_parse_to_themselves() -> None:
    for _ in range(200):
        code = generate_code()
        assert normalize_code(code) == code


@given(st.text(max_size=60))
def test_text_cleaning_is_idempotent_and_nfc(value: str) -> None:
    once = clean_line(value)
    assert clean_line(once) == once
    assert nfc(once) == once


@given(st.text(max_size=60))
def test_strip_accents_leaves_no_vietnamese_marks(value: str) -> None:
    stripped = strip_accents(value)
    for letter in "ăâđêôơưĂÂĐÊÔƠƯáàảãạ":
        assert letter not in stripped


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Thông báo thay đổi", "thong-bao-thay-doi"),
        ("Đường Nguyễn Huệ ngập", "duong-nguyen-hue-ngap"),
    ],
)
def test_slugs_of_vietnamese_titles_have_no_accents(title: str, slug: str) -> None:
    from django.utils.text import slugify

    assert slugify(strip_accents(title)) == slug


@given(st.text(max_size=60))
def test_slugs_are_always_ascii(value: str) -> None:
    from django.utils.text import slugify

    assert slugify(strip_accents(value)).isascii()
