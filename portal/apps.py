from __future__ import annotations

from django.apps import AppConfig


class PortalConfig(AppConfig):
    """Project-wide pieces: base views, template tags and the seed_demo command."""

    name = "portal"
    verbose_name = "Portal"
