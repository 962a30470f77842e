from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from feedback.held import purge_expired
from feedback.models import HeldUpload
from portal.orphans import find_orphans


class Command(BaseCommand):
    help = (
        "Liệt kê (mặc định) hoặc xoá (--delete) các tệp trong MEDIA_ROOT/reports, "
        "MEDIA_ROOT/announcements và MEDIA_ROOT/held không thuộc bản ghi nào và cũ "
        "hơn thời gian chờ, cùng các tệp chờ gửi đã quá hạn (HELD_UPLOAD_SECONDS)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--delete", action="store_true", help="Xoá các tệp mồ côi tìm thấy."
        )
        parser.add_argument(
            "--grace",
            type=int,
            default=None,
            help="Chỉ tính tệp cũ hơn số giây này (mặc định ORPHAN_GRACE_SECONDS).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        grace = options["grace"]
        if grace is None:
            grace = settings.ORPHAN_GRACE_SECONDS
        expired = HeldUpload.objects.expired()
        if options["delete"]:
            count = purge_expired()
            self.stdout.write(f"Đã xoá {count} tệp chờ gửi quá hạn.")
        else:
            self.stdout.write(f"Tìm thấy {expired.count()} tệp chờ gửi quá hạn.")
        orphans = find_orphans(grace=timedelta(seconds=grace))
        for orphan in orphans:
            if options["delete"]:
                orphan.storage.delete(orphan.name)
                self.stdout.write(f"deleted {orphan.name}")
            else:
                self.stdout.write(f"orphan {orphan.name}")
        verb = "Đã xoá" if options["delete"] else "Tìm thấy"
        self.stdout.write(f"{verb} {len(orphans)} tệp mồ côi.")
