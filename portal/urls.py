from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from portal import views

admin.site.site_header = _("Phản ánh hiện trường — Quản trị")
admin.site.site_title = _("Quản trị Phản ánh hiện trường")
admin.site.index_title = _("Công việc hôm nay")

urlpatterns = [
    path("", views.home, name="home"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    # The pages citizens open most first (the statistics' few patterns, then the
    # reports'): Django tries the patterns in order and lists every one it passed
    # (for its 404 page), a cost paid on every request.
    path("", include("stats.urls")),
    path("", include("feedback.urls")),
    path("", include("open311.urls")),
    path("", include("accounts.urls")),
    path("", include("portal.pwa_urls")),
    path("ngon-ngu/", set_language, name="set_language"),
    path("ngon-ngu/<str:code>/", views.choose_language, name="choose_language"),
    path("captcha/", include("captcha.urls")),
    path("admin/", admin.site.urls),
]

# The portal's pages, except under /open311/ where the errors are Open311's.
handler400 = "open311.handlers.bad_request"
handler403 = "open311.handlers.permission_denied"
handler404 = "open311.handlers.page_not_found"
# Not one of Django's: portal.middleware.RequestIdMiddleware answers it.
handler413 = "open311.handlers.request_too_large"
handler500 = "open311.handlers.server_error"
