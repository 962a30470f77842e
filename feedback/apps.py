from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Phản ánh")

    def ready(self) -> None:
        from feedback import receivers  # noqa: F401 — connects the receivers
