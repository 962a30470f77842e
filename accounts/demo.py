"""Demo accounts for seed_demo. The password exists only in demo data."""

from __future__ import annotations

from typing import Any, TextIO

from django.utils import timezone

from accounts.models import User

DEMO_PASSWORD = "demo-Ninh-Thuan-2026"  # noqa: S105 — printed on purpose, demo only

DEMO_USERS: list[dict[str, Any]] = [
    {
        "username": "admin",
        "email": "admin@example.vn",
        "full_name": "Quản trị hệ thống",
        "is_staff": True,
        "is_superuser": True,
    },
    {
        "username": "congdan",
        "email": "congdan@example.vn",
        "full_name": "Nguyễn Văn An",
        "id_number": "058090001234",
        "address": "12 Lê Duẩn, Phan Rang - Tháp Chàm, Ninh Thuận",
        "phone": "0912345678",
    },
]


def seed(out: TextIO, **options: Any) -> None:
    for spec in DEMO_USERS:
        spec = dict(spec)
        username = spec.pop("username")
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                **spec,
                "is_active": True,
                "email_confirmed_at": timezone.now(),
                "consent_at": timezone.now(),
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        out.write(f"  tài khoản demo: {username} / {DEMO_PASSWORD}\n")
