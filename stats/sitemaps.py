from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from feedback.models import Report
from stats.models import Announcement, Guide


class PagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self) -> list[str]:
        return ["home", "stats:announcements", "stats:guides", "stats:statistics"]

    def location(self, item: str) -> str:
        return reverse(item)


class AnnouncementSitemap(Sitemap):
    changefreq = "weekly"

    def items(self) -> Any:
        return Announcement.objects.current()

    def lastmod(self, item: Announcement) -> datetime:
        return item.updated_at


class GuideSitemap(Sitemap):
    changefreq = "monthly"

    def items(self) -> Any:
        return Guide.objects.current()

    def lastmod(self, item: Guide) -> datetime:
        return item.updated_at


class ReportSitemap(Sitemap):
    """Reports whose answer is public."""

    changefreq = "weekly"
    limit = 5000

    def items(self) -> Any:
        return Report.objects.public().only("code", "updated_at").order_by("-pk")

    def location(self, item: Report) -> str:
        return reverse("feedback:detail", kwargs={"code": item.code})

    def lastmod(self, item: Report) -> datetime:
        return item.updated_at


SITEMAPS: dict[str, Any] = {
    "pages": PagesSitemap,
    "announcements": AnnouncementSitemap,
    "guides": GuideSitemap,
    "reports": ReportSitemap,
}
