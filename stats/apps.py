from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "stats"
    verbose_name = _("Thống kê và tin tức")

    def ready(self) -> None:
        from stats import signals  # noqa: F401 - connects the receivers
