from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from feedback.models import Report
from places.geo import in_province
from places.loading import DEFAULT_FILE
from places.models import AdministrativeUnit


def _load(path: Path | str = DEFAULT_FILE) -> str:
    out = io.StringIO()
    call_command("load_units", str(path), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_load_units_loads_the_65_units_of_khanh_hoa_and_is_idempotent() -> None:
    assert "65 mới" in _load()
    assert AdministrativeUnit.objects.count() == 65
    counts = {
        kind: AdministrativeUnit.objects.filter(type=kind).count()
        for kind in ("xã", "phường", "đặc khu")
    }
    assert counts == {"xã": 48, "phường": 16, "đặc khu": 1}
    assert AdministrativeUnit.objects.filter(former_ninh_thuan=True).count() == 24
    bao_an = AdministrativeUnit.objects.get(code="22741")
    assert bao_an.name == "Phường Bảo An"
    assert "Phường Phước Mỹ" in bao_an.legacy_names
    out = _load()
    assert "0 mới, 0 cập nhật, 65 không đổi" in out
    assert AdministrativeUnit.objects.count() == 65


@pytest.mark.django_db
def test_load_units_updates_a_renamed_unit(tmp_path: Path) -> None:
    _load()
    text = DEFAULT_FILE.read_text(encoding="utf-8").replace(
        "Phường Bảo An,", "Phường Bảo An Mới,"
    )
    path = tmp_path / "units.csv"
    path.write_text(text, encoding="utf-8")
    assert "1 cập nhật" in _load(path)
    unit = AdministrativeUnit.objects.get(code="22741")
    assert unit.name == "Phường Bảo An Mới"
    assert AdministrativeUnit.objects.search("bao an moi").get() == unit


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ("2274,Phường X,x,phường,56,Tỉnh Khánh Hòa,no,,,", "phải gồm đúng 5 chữ số"),
        ("22741,Phường X,x,phường,56,Tỉnh Khánh Hòa,no,,,", "bị lặp"),
        ("99999,Phường X,x,quận,56,Tỉnh Khánh Hòa,no,,,", "không hợp lệ"),
        ("99999,,x,phường,56,Tỉnh Khánh Hòa,no,,,", "thiếu tên đơn vị"),
        ("99999,Phường X,x,phường,5,Tỉnh Khánh Hòa,no,,,", "mã/tên tỉnh"),
    ],
)
def test_malformed_file_is_refused_and_changes_nothing(
    tmp_path: Path, bad_line: str, message: str
) -> None:
    _load()
    # The good rows before the bad one rename a unit: none of it may be kept.
    lines = DEFAULT_FILE.read_text(encoding="utf-8").splitlines()
    lines = [line.replace("Phường Bảo An,", "Phường Đổi Tên,") for line in lines]
    path = tmp_path / "bad.csv"
    path.write_text("\n".join([*lines, bad_line]) + "\n", encoding="utf-8")
    with pytest.raises(CommandError) as excinfo:
        _load(path)
    assert "không thay đổi gì" in str(excinfo.value)
    assert message in str(excinfo.value)
    assert AdministrativeUnit.objects.get(code="22741").name == "Phường Bảo An"
    assert AdministrativeUnit.objects.count() == 65


@pytest.mark.django_db
def test_file_without_the_expected_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("ma,ten\n22741,Phường Bảo An\n", encoding="utf-8")
    with pytest.raises(CommandError, match="thiếu cột"):
        _load(path)
    assert not AdministrativeUnit.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "Phan Rang - Tháp Chàm",
        "Phan Rang-Tháp Chàm",
        "phan rang thap cham",
        "PHAN RANG–THAP CHAM",
    ],
)
def test_search_finds_units_formed_from_the_old_city_however_written(
    query: str,
) -> None:
    _load()
    found = set(AdministrativeUnit.objects.search(query).values_list("code", flat=True))
    # Phường Phan Rang, Đô Vinh, Bảo An and Đông Hải cover the old city.
    assert {"22759", "22738", "22741", "22780"} <= found
    assert "22333" not in found  # Bắc Nha Trang


@pytest.mark.django_db
def test_search_by_an_old_xa_name_finds_the_new_unit() -> None:
    _load()
    found = list(AdministrativeUnit.objects.search("xa ma noi"))
    assert [unit.code for unit in found] == ["22828"]  # Xã Anh Dũng


@pytest.mark.django_db
def test_seed_demo_loads_units_and_places_reports_inside_the_province() -> None:
    call_command("seed_demo", reports=60, stdout=io.StringIO())
    assert AdministrativeUnit.objects.count() == 65
    reports = list(Report.objects.all())
    assert reports and all(r.commune_id for r in reports)
    assert all(
        r.latitude is not None
        and r.longitude is not None
        and in_province(r.latitude, r.longitude)
        for r in reports
    )


def test_province_bounds_cover_the_mainland_and_truong_sa_only() -> None:
    assert in_province(11.5645, 108.9881)  # Phan Rang
    assert in_province(12.2388, 109.1967)  # Nha Trang
    assert in_province(8.6447, 111.9200)  # Trường Sa
    assert not in_province(10.7769, 106.7009)  # TP. Hồ Chí Minh
    assert not in_province(21.0285, 105.8542)  # Hà Nội
