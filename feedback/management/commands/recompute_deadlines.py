from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from feedback.deadlines import recompute_deadlines


class Command(BaseCommand):
    help = (
        "Tính lại hạn của các phản ánh đang mở sau khi lịch làm việc thay đổi "
        "(ngày nghỉ, ngày làm bù được công bố sau khi hạn đã tính)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--since",
            help="Chỉ các hạn từ ngày này (YYYY-MM-DD); mặc định: hôm nay.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        since = timezone.localdate()
        if options["since"]:
            try:
                since = date.fromisoformat(options["since"])
            except ValueError:
                raise CommandError("--since phải có dạng YYYY-MM-DD.") from None
        changed = recompute_deadlines(since=since)
        self.stdout.write(f"Đã tính lại hạn của {changed} phản ánh.")
