from __future__ import annotations

from django.apps import AppConfig


class PortalConfig(AppConfig):
    """Project-wide pieces: base views, template tags, the email outbox, seed_demo."""

    name = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        from portal import outbox
        from portal.lib import emails

        emails.set_queue(outbox.enqueue)
