"""Erase personal data past its retention period. Run daily, e.g. from cron:

15 2 * * *  cd /srv/portal && .venv/bin/python manage.py apply_retention
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Xoá thông tin cá nhân của người phản ánh sau RETENTION_MONTHS tháng kể từ "
        "khi phản ánh kết thúc, và email đã gửi sau OUTBOX_RETENTION_DAYS ngày."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        done = apply_retention()
        self.stdout.write(
            f"Đã xoá thông tin cá nhân của {done['reports']} phản ánh kết thúc quá "
            f"{settings.RETENTION_MONTHS} tháng; đã xoá {done['outbox']} email cũ "
            f"hơn {settings.OUTBOX_RETENTION_DAYS} ngày."
        )
