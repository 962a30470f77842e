from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from feedback.deadlines import send_deadline_reminders


class Command(BaseCommand):
    help = (
        "Gửi email nhắc mỗi cơ quan các phản ánh sắp đến hạn và quá "
        "hạn; mỗi phản ánh tối đa một lần mỗi ngày. Chạy theo cron."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_deadline_reminders()
        for agency, count in sent.items():
            self.stdout.write(f"{agency.code}: {count} phản ánh")
        self.stdout.write(
            self.style.SUCCESS(f"Đã gửi nhắc hạn cho {len(sent)} cơ quan.")
        )
