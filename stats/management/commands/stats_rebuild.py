"""`manage.py stats_rebuild`: replace the statistics summary by a recount."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from stats.selectors import bump_figures_version
from stats.summary import rebuild


class Command(BaseCommand):
    help = (
        "Tính lại bảng tổng hợp thống kê và chỉ mục ngày làm việc từ các phản ánh "
        "(chặn ghi phản ánh trong lúc chạy)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        rows = rebuild()
        bump_figures_version()
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tính lại {rows:,} dòng tổng hợp trong "
                f"{time.monotonic() - started:.1f} giây."
            )
        )
