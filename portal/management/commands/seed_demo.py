"""Fill the database with a working demo; safe to run again (idempotent)."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

# Each app seeds its own data in its demo.py; order matters (reports need users).
DEMO_MODULES = [
    "accounts.demo",
    "places.demo",
    "feedback.demo",
    "stats.demo",
    "accounts.demo_devices",
]


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu: tài khoản demo, lĩnh vực, cơ quan, phản ánh, thông báo."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reports", type=int, default=300, help="Số phản ánh mẫu (mặc định 300)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for name in DEMO_MODULES:
            module = import_module(name)
            with transaction.atomic():
                module.seed(self.stdout, **options)
        self.stdout.write(self.style.SUCCESS("Dữ liệu mẫu đã sẵn sàng."))
