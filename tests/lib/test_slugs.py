"""Slugs fold Vietnamese letters to their base letter; no letter is dropped."""

from __future__ import annotations

import unicodedata

import pytest

from portal.lib.text import slugify_vi

# Each vowel with each tone (ngang, huyền, sắc, hỏi, ngã, nặng), and đ.
TONED = {
    "a": "aàáảãạ", "ă": "ăằắẳẵặ", "â": "âầấẩẫậ", "e": "eèéẻẽẹ", "ê": "êềếểễệ",
    "i": "iìíỉĩị", "o": "oòóỏõọ", "ô": "ôồốổỗộ", "ơ": "ơờớởỡợ", "u": "uùúủũụ",
    "ư": "ưừứửữự", "y": "yỳýỷỹỵ",
}  # fmt: skip
BASE = {"ă": "a", "â": "a", "ê": "e", "ô": "o", "ơ": "o", "ư": "u"}
MARKED = sorted(
    {letter for letters in TONED.values() for letter in letters if ord(letter) > 127}
    | {"đ"}
)


def test_there_are_134_vietnamese_letters_with_marks() -> None:
    both = MARKED + [letter.upper() for letter in MARKED]
    assert len(MARKED) == 67 and len(set(both)) == 134


@pytest.mark.parametrize("upper", [False, True], ids=["lower", "upper"])
def test_every_marked_letter_folds_to_its_base_letter(upper: bool) -> None:
    for vowel, letters in TONED.items():
        base = BASE.get(vowel, vowel)
        for letter in letters:
            letter = letter.upper() if upper else letter
            for form in ("NFC", "NFD"):
                typed = unicodedata.normalize(form, f"x{letter}x")
                assert slugify_vi(typed) == f"x{base}x", (letter, form)
    assert slugify_vi("xĐx" if upper else "xđx") == "xdx"


def test_the_issues_title() -> None:
    title = "Lịch tiếp công dân định kỳ tháng 12/2026"
    assert slugify_vi(title) == "lich-tiep-cong-dan-dinh-ky-thang-12-2026"


def test_punctuation_runs_become_one_hyphen_and_length_is_capped() -> None:
    assert slugify_vi("  Đường  Nguyễn Huệ — (đoạn 1/3)!  ") == (
        "duong-nguyen-hue-doan-1-3"
    )
    assert (
        slugify_vi("Ô nhiễm " * 60, max_length=30) == "o-nhiem-o-nhiem-o-nhiem-o-nhie"
    )
    assert not slugify_vi("a" * 40 + " b", max_length=41).endswith("-")
