"""Cache invalidation: stats listens to feedback; feedback knows nothing of stats.

The statistics summary itself needs no signal: database triggers keep it (see
stats/migrations/0003_report_summary_triggers.py).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from feedback.signals import report_status_changed
from stats.models import Announcement, AnnouncementFile, Guide, WebsiteLink
from stats.selectors import bump_content_version, bump_figures_version, forget_links
from stats.summary import ensure_index


@receiver(report_status_changed, dispatch_uid="stats_figures_stale")
def _figures_stale(sender: Any, **kwargs: Any) -> None:
    bump_figures_version()


@receiver(post_save, sender=WebsiteLink, dispatch_uid="stats_links_saved")
@receiver(post_delete, sender=WebsiteLink, dispatch_uid="stats_links_deleted")
def _links_changed(sender: Any, **kwargs: Any) -> None:
    forget_links()
    bump_content_version()


# The home page lists announcements and guides; cached pages show them afresh.
@receiver(post_save, sender=Announcement, dispatch_uid="stats_announcement_saved")
@receiver(post_delete, sender=Announcement, dispatch_uid="stats_announcement_deleted")
@receiver(post_save, sender=AnnouncementFile, dispatch_uid="stats_ann_file_saved")
@receiver(post_delete, sender=AnnouncementFile, dispatch_uid="stats_ann_file_deleted")
@receiver(post_save, sender=Guide, dispatch_uid="stats_guide_saved")
@receiver(post_delete, sender=Guide, dispatch_uid="stats_guide_deleted")
def _content_changed(sender: Any, **kwargs: Any) -> None:
    bump_content_version()


@receiver(post_migrate, dispatch_uid="stats_working_day_index")
def _working_day_index(sender: Any, **kwargs: Any) -> None:
    if getattr(sender, "name", None) == "stats":
        ensure_index()
