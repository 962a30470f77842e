"""Loading the official list of commune-level units from its CSV file."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from places.models import AdministrativeUnit, UnitType
from portal.lib.text import clean_line, nfc

# The province's own list, shipped with the code so the portal never reads
# shared folders at run time; see places/data/README.md for its source.
DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "khanh-hoa-2025.csv"

COLUMNS = (
    "code",
    "name",
    "short_codename",
    "type",
    "province_code",
    "province_name",
    "former_ninh_thuan",
    "legacy_units",
    "legacy_provinces",
    "legacy_units_split",
)
REQUIRED = ("code", "name", "type", "province_code", "province_name")
_CODE = re.compile(r"^\d{5}$")
_PROVINCE = re.compile(r"^\d{2}$")


class UnitFileError(Exception):
    """The file cannot be loaded; ``errors`` lists every problem, in Vietnamese."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


def parse_units(text: str) -> list[AdministrativeUnit]:
    """Every row of the file as an unsaved unit, or UnitFileError listing all faults."""
    errors: list[str] = []
    reader = csv.DictReader(io.StringIO(nfc(text.lstrip("\ufeff"))))
    header = reader.fieldnames or []
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise UnitFileError(
            [
                _("Tệp thiếu cột: %(columns)s (cần dòng tiêu đề như %(expected)s).")
                % {"columns": ", ".join(missing), "expected": ",".join(COLUMNS)}
            ]
        )
    units: list[AdministrativeUnit] = []
    seen: set[str] = set()
    types = {choice.value for choice in UnitType}
    for line, row in enumerate(reader, start=2):
        if None in row:
            errors.append(_("Dòng %(line)d: thừa cột.") % {"line": line})
            continue
        values = {key: clean_line(row.get(key) or "") for key in COLUMNS}
        code = values["code"]
        if not _CODE.match(code):
            errors.append(
                _("Dòng %(line)d: mã đơn vị “%(code)s” phải gồm đúng 5 chữ số.")
                % {"line": line, "code": code}
            )
        elif code in seen:
            errors.append(
                _("Dòng %(line)d: mã đơn vị %(code)s bị lặp.")
                % {"line": line, "code": code}
            )
        seen.add(code)
        if not values["name"]:
            errors.append(_("Dòng %(line)d: thiếu tên đơn vị.") % {"line": line})
        if values["type"] not in types:
            errors.append(
                _("Dòng %(line)d: loại “%(type)s” không hợp lệ (xã, phường, đặc khu).")
                % {"line": line, "type": values["type"]}
            )
        if not _PROVINCE.match(values["province_code"]) or not values["province_name"]:
            errors.append(
                _("Dòng %(line)d: thiếu hoặc sai mã/tên tỉnh.") % {"line": line}
            )
        if values["former_ninh_thuan"] not in ("", "yes", "no"):
            errors.append(
                _("Dòng %(line)d: cột former_ninh_thuan chỉ nhận yes hoặc no.")
                % {"line": line}
            )
        units.append(
            AdministrativeUnit(
                code=code,
                name=values["name"],
                short_codename=values["short_codename"],
                type=values["type"],
                province_code=values["province_code"],
                province_name=values["province_name"],
                former_ninh_thuan=values["former_ninh_thuan"] == "yes",
                legacy_units=values["legacy_units"],
                legacy_provinces=values["legacy_provinces"],
                legacy_units_split=values["legacy_units_split"],
            )
        )
    if not units and not errors:
        errors.append(_("Tệp không có dòng dữ liệu nào."))
    if errors:
        raise UnitFileError(errors)
    return units


FIELDS = [name for name in COLUMNS if name != "code"] + ["search_text"]


def load_units(text: str) -> LoadResult:
    """Create or update the file's units in one transaction (all or nothing).

    Units missing from the file are kept: reports and agencies point at them.
    """
    units = parse_units(text)
    for unit in units:
        unit.search_text = unit.build_search_text()
    with transaction.atomic():
        existing = AdministrativeUnit.objects.select_for_update().in_bulk(
            [unit.code for unit in units]
        )
        to_create = [unit for unit in units if unit.code not in existing]
        to_update = [
            unit
            for unit in units
            if unit.code in existing
            and any(
                getattr(unit, field) != getattr(existing[unit.code], field)
                for field in FIELDS
            )
        ]
        AdministrativeUnit.objects.bulk_create(to_create)
        AdministrativeUnit.objects.bulk_update(to_update, FIELDS)
    return LoadResult(
        created=len(to_create),
        updated=len(to_update),
        unchanged=len(units) - len(to_create) - len(to_update),
    )


def load_default_units() -> LoadResult:
    return load_units(DEFAULT_FILE.read_text(encoding="utf-8"))
