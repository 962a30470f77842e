"""`manage.py seed_bulk --reports 1000000`: the benchmark's data set (PostgreSQL).

Lives in portal (like seed_demo) because it fills two apps: feedback's reports and
histories (feedback.bulk, COPY); stats' summary follows through its database
triggers, which fire on COPY too.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from feedback.bulk import BulkSeedError, seed_bulk
from stats.selectors import bump_figures_version


class Command(BaseCommand):
    help = "Thêm rất nhiều phản ánh kèm lịch sử trạng thái (chỉ PostgreSQL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reports", type=int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        count = options["reports"]
        if count < 1:
            raise CommandError("--reports phải lớn hơn 0.")
        started = time.monotonic()
        done = 0

        def progress(step: int) -> None:
            # One line per batch (every 20,000 reports): readable in a log file too.
            nonlocal done
            done += step
            rate = done / max(time.monotonic() - started, 0.001)
            self.stderr.write(f"{done:,}/{count:,} phản ánh ({rate:,.0f}/s)")

        try:
            result = seed_bulk(
                count=count,
                progress=progress,
                log=self.stderr.write,
                seed=options["seed"],
            )
        except BulkSeedError as error:
            raise CommandError(str(error)) from error
        bump_figures_version()  # cached figures predate the load
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã thêm {result['reports']:,} phản ánh và {result['changes']:,} "
                f"thay đổi trạng thái "
                f"trong {elapsed:.0f} giây."
            )
        )
