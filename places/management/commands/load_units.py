"""manage.py load_units FILE: load or update the commune-level units from a CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from places.loading import DEFAULT_FILE, UnitFileError, load_units


class Command(BaseCommand):
    help = (
        "Nạp hoặc cập nhật danh sách đơn vị hành chính cấp xã từ tệp CSV "
        "(định dạng như places/data/khanh-hoa-2025.csv). Chạy lại vẫn an toàn; "
        "tệp có lỗi thì không thay đổi gì."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", nargs="?", default=str(DEFAULT_FILE), help="Đường dẫn tệp CSV."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise CommandError(f"Không tìm thấy tệp {path}.") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(
                f"Tệp {path} không phải văn bản UTF-8; không thay đổi gì."
            ) from exc
        try:
            result = load_units(text)
        except UnitFileError as exc:
            raise CommandError(
                "Tệp không hợp lệ, không thay đổi gì:\n  " + "\n  ".join(exc.errors)
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp đơn vị hành chính: {result.created} mới, "
                f"{result.updated} cập nhật, {result.unchanged} không đổi."
            )
        )
