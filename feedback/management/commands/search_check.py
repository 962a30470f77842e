"""`manage.py search_check`: compare what the public search reads with the reports."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from feedback.search_check import drift


class Command(BaseCommand):
    help = (
        "So dữ liệu tìm kiếm công khai (bảng tìm kiếm trên PostgreSQL, chuỗi tìm "
        "kiếm trên SQLite) với các phản ánh; thoát với mã khác 0 nếu có sai khác."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        found = drift()
        if not found:
            self.stdout.write(self.style.SUCCESS("Dữ liệu tìm kiếm khớp với phản ánh."))
            return
        raise CommandError(
            f"Dữ liệu tìm kiếm lệch với phản ánh: {found}. "
            "Sửa bằng: manage.py search_rebuild"
        )
