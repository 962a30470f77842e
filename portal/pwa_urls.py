from __future__ import annotations

from django.urls import path

from portal import pwa

app_name = "pwa"
urlpatterns = [
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="sw"),
    path("ung-dung/<slug:name>.png", pwa.icon, name="icon"),
    path("ngoai-tuyen/", pwa.offline, name="offline"),
]
