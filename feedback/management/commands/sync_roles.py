from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from feedback.roles import sync_roles


class Command(BaseCommand):
    help = "Tạo nhóm cán bộ tiếp nhận, cán bộ xử lý, biên tập viên và cấp quyền."

    def handle(self, *args: Any, **options: Any) -> None:
        sync_roles()
        self.stdout.write(self.style.SUCCESS("Đã đồng bộ nhóm và quyền."))
