from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from places.text import fold


class UnitType(models.TextChoices):
    XA = "xã", _("Xã")
    PHUONG = "phường", _("Phường")
    DAC_KHU = "đặc khu", _("Đặc khu")


class AdministrativeUnitQuerySet(models.QuerySet["AdministrativeUnit"]):
    def of_province(self, province_code: str) -> AdministrativeUnitQuerySet:
        return self.filter(province_code=province_code)

    def search(self, query: str) -> AdministrativeUnitQuerySet:
        """Units whose current or pre-2025 names hold every word of ``query``.

        Accents, case and dashes are ignored, so "Phan Rang-Thap Cham" finds the
        units formed from the old city written "Phan Rang - Tháp Chàm".
        """
        result = self
        for word in fold(query).split():
            result = result.filter(search_text__contains=word)
        return result


class AdministrativeUnit(models.Model):
    """A commune-level unit (xã, phường, đặc khu) of the two-tier government.

    Codes and names are the official catalogue of 1 July 2025 (see
    places/data/README.md); ``legacy_units`` keeps the pre-2025 units it was formed
    from, so an old address still finds it.
    """

    code = models.CharField(_("mã đơn vị"), max_length=5, primary_key=True)
    name = models.CharField(_("tên"), max_length=100)
    type = models.CharField(_("loại"), max_length=10, choices=UnitType.choices)
    short_codename = models.CharField(_("tên mã ngắn"), max_length=100)
    province_code = models.CharField(_("mã tỉnh"), max_length=2, db_index=True)
    province_name = models.CharField(_("tên tỉnh"), max_length=100)
    former_ninh_thuan = models.BooleanField(
        _("thuộc tỉnh Ninh Thuận cũ"), default=False
    )
    legacy_units = models.TextField(_("đơn vị hành chính trước 2025"), blank=True)
    legacy_provinces = models.CharField(
        _("tỉnh trước 2025"), max_length=200, blank=True
    )
    legacy_units_split = models.TextField(_("đơn vị cũ chỉ nhập một phần"), blank=True)
    # Name and legacy names folded by places.text.fold(); filled in save().
    search_text = models.TextField(_("chuỗi tìm kiếm"), blank=True, editable=False)

    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("đơn vị hành chính cấp xã")
        verbose_name_plural = _("đơn vị hành chính cấp xã")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_text = self.build_search_text()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def build_search_text(self) -> str:
        return fold(f"{self.name} | {self.legacy_units} | {self.legacy_units_split}")

    @property
    def legacy_names(self) -> list[str]:
        """The pre-2025 unit names, without their codes and former districts."""
        names = []
        for part in self.legacy_units.split(";"):
            name = part.split("(")[0].strip()
            if name:
                names.append(name)
        return names
