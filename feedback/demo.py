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
    seed_officials(out)


# --- Officials' demo accounts (issue 4) ---------------------------------------

# (username, full name, group, agency code or None)
DEMO_OFFICIALS = [
    ("tiepnhan", "Cán bộ Tiếp Nhận", "Cán bộ tiếp nhận", None),
    ("xuly1", "Cán bộ Xử Lý Môi Trường", "Cán bộ xử lý", "so-tnmt"),
    ("xuly2", "Cán bộ Xử Lý Giao Thông", "Cán bộ xử lý", "so-gtvt"),
    ("bientap", "Biên Tập Viên", "Biên tập viên", None),
]


def seed_officials(out: TextIO) -> None:
    """Staff accounts for each officials' role, printed with the demo password."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts.demo import DEMO_PASSWORD
    from accounts.models import User
    from feedback.models import Official
    from feedback.roles import sync_roles

    sync_roles()
    for username, full_name, group_name, agency_code in DEMO_OFFICIALS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@example.vn",
                "full_name": full_name,
                "is_staff": True,
                "is_active": True,
                "email_confirmed_at": timezone.now(),
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=group_name))
        role = group_name
        if agency_code is not None:
            agency = Agency.objects.get(code=agency_code)
            Official.objects.update_or_create(user=user, defaults={"agency": agency})
            role = f"{group_name}, {agency.name}"
        out.write(f"  tài khoản demo: {username} / {DEMO_PASSWORD} ({role})\n")
