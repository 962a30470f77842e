"""`manage.py search_rebuild`: repair what the public search reads from the reports."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from feedback import public_pages
from feedback.search_check import repair
from portal.lib import pagecache


class Command(BaseCommand):
    help = (
        "Sửa dữ liệu tìm kiếm công khai theo các phản ánh, chỉ ghi những dòng lệch "
        "(chặn ghi phản ánh trong lúc chạy)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        found = repair()
        pagecache.bump(public_pages.LIST_VERSION_KEY)  # cached results may differ
        seconds = f"{time.monotonic() - started:.1f}".replace(".", ",")
        self.stdout.write(self.style.SUCCESS(f"Đã sửa ({found}) trong {seconds} giây."))
