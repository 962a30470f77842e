from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from stats.counters import default_counter


class Command(BaseCommand):
    help = "Lưu ngay số lượt truy cập đang đếm trong bộ nhớ đệm vào cơ sở dữ liệu."

    def handle(self, *args: Any, **options: Any) -> None:
        moved = default_counter.flush()
        counts = default_counter.counts()
        self.stdout.write(f"Đã lưu {moved} lượt truy cập; tổng: {counts.total}.")
