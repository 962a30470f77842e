from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from feedback.questionnaire import send_questionnaires


class Command(BaseCommand):
    help = (
        "Gửi email “Sự việc đã được giải quyết chưa?” cho người gửi các phản ánh đã "
        "trả lời quá QUESTIONNAIRE_AFTER_DAYS ngày mà chưa đánh giá; mỗi phản ánh "
        "tối đa một lần. Chạy mỗi ngày một lần (cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_questionnaires()
        self.stdout.write(self.style.SUCCESS(f"Đã gửi {sent} phiếu hỏi."))
