from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from portal.outbox import send_pending


class Command(BaseCommand):
    help = (
        "Gửi các email đang chờ trong hộp thư đi (EMAIL_QUEUE=1), thử lại khi lỗi. "
        "Chạy theo cron hoặc liên tục với --loop."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop", action="store_true", help="Chạy liên tục (dịch vụ nền)."
        )
        parser.add_argument(
            "--interval", type=float, default=5.0, help="Số giây nghỉ giữa hai lượt."
        )
        parser.add_argument("--batch", type=int, default=100)

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            sent, failed = send_pending(limit=options["batch"])
            if sent or failed or not options["loop"]:
                self.stdout.write(f"Đã gửi {sent} email, {failed} lần gửi lỗi.")
            if not options["loop"]:
                return
            if sent < options["batch"]:
                time.sleep(options["interval"])
