from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from feedback.follows import send_alert_digests


class Command(BaseCommand):
    help = (
        "Gửi bản tin hằng ngày cho người đăng ký nhận tin theo xã/phường, lĩnh vực: "
        "các phản ánh mới công khai kể từ bản tin trước. Chạy mỗi ngày một lần (cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_alert_digests()
        self.stdout.write(self.style.SUCCESS(f"Đã gửi {sent} bản tin."))
