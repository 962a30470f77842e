from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Phản ánh")

    def ready(self) -> None:
        from feedback import (
            calendar,  # noqa: F401 — forgets cached exceptions when they change
            public_pages,  # noqa: F401 — drops the cached public list on changes
            receivers,  # noqa: F401 — connects the personal-data receivers
        )
        from feedback.roles import sync_roles

        # Grants group permissions once every app (stats too) has its permissions.
        post_migrate.connect(sync_roles, dispatch_uid="feedback.sync_roles")
