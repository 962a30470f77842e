"""Demo categories and agencies for seed_demo."""

from __future__ import annotations

from typing import Any, TextIO

from django.utils.text import slugify

from feedback.models import Agency, Category
from portal.lib.text import strip_accents

CATEGORIES = [
    "Môi trường",
    "Giao thông",
    "Đất đai",
    "Xây dựng",
    "Trật tự đô thị",
    "Y tế",
    "Giáo dục",
    "Điện - Nước",
    "An ninh trật tự",
    "Khác",
]

AGENCIES = [
    ("so-tnmt", "Sở Tài nguyên và Môi trường", "stnmt@example.vn"),
    ("so-gtvt", "Sở Giao thông vận tải", "sgtvt@example.vn"),
    ("so-xd", "Sở Xây dựng", "sxd@example.vn"),
    ("so-yt", "Sở Y tế", "syt@example.vn"),
    ("so-gddt", "Sở Giáo dục và Đào tạo", "sgddt@example.vn"),
    ("ubnd-prtc", "UBND thành phố Phan Rang - Tháp Chàm", "ubndtp@example.vn"),
    ("cong-an", "Công an tỉnh", "congan@example.vn"),
]


def seed(out: TextIO, **options: Any) -> None:
    for order, name in enumerate(CATEGORIES):
        Category.objects.get_or_create(
            slug=slugify(strip_accents(name)),
            defaults={"name": name, "order": order},
        )
    for code, name, email in AGENCIES:
        Agency.objects.get_or_create(code=code, defaults={"name": name, "email": email})
    out.write(f"  {len(CATEGORIES)} lĩnh vực, {len(AGENCIES)} cơ quan xử lý\n")
