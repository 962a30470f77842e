from __future__ import annotations

from django.contrib.sitemaps.views import sitemap
from django.urls import URLPattern, URLResolver, path

from stats import views
from stats.sitemaps import SITEMAPS

app_name = "stats"
urlpatterns: list[URLPattern | URLResolver] = [
    path("thong-ke/", views.statistics, name="statistics"),
    path("thong-ke.json", views.statistics_json, name="statistics_json"),
    path("thong-bao/", views.announcements, name="announcements"),
    path("thong-bao/<slug:slug>/", views.announcement, name="announcement"),
    path(
        "thong-bao/<slug:slug>/tep/<int:pk>/",
        views.announcement_file,
        name="announcement_file",
    ),
    path("huong-dan/", views.guides, name="guides"),
    path("huong-dan/<slug:slug>/", views.guide, name="guide"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
