"""Cache invalidation: stats listens to feedback; feedback knows nothing of stats."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from feedback.signals import report_status_changed
from stats.models import WebsiteLink
from stats.selectors import bump_figures_version, forget_links


@receiver(report_status_changed, dispatch_uid="stats_figures_stale")
def _figures_stale(sender: Any, **kwargs: Any) -> None:
    bump_figures_version()


@receiver(post_save, sender=WebsiteLink, dispatch_uid="stats_links_saved")
@receiver(post_delete, sender=WebsiteLink, dispatch_uid="stats_links_deleted")
def _links_changed(sender: Any, **kwargs: Any) -> None:
    forget_links()
