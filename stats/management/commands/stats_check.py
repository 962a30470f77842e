"""`manage.py stats_check`: recount the statistics summary and report any drift."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stats.summary import differences

SHOWN = 50


class Command(BaseCommand):
    help = (
        "Đếm lại số liệu thống kê từ các phản ánh và so với bảng tổng hợp; "
        "thoát với mã khác 0, nêu từng số liệu lệch, nếu có sai khác."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all", action="store_true", help="Liệt kê mọi chỗ lệch (mặc định 50)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        found = differences()
        if not found:
            self.stdout.write(self.style.SUCCESS("Số liệu thống kê khớp với dữ liệu."))
            return
        figures = sorted({item.figure for item in found})
        shown = found if options["all"] else found[:SHOWN]
        for item in shown:
            self.stderr.write(f"  {item}")
        if len(shown) < len(found):
            self.stderr.write(f"  … và {len(found) - len(shown)} chỗ lệch khác")
        raise CommandError(
            f"Bảng tổng hợp thống kê lệch ở {len(found)} chỗ; số liệu lệch: "
            f"{', '.join(figures)}. Sửa bằng: manage.py stats_rebuild"
        )
