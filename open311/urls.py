"""The Open311 URL space: every path under /open311/ answers in Open311.

The format extension is read case-insensitively (services.XML), and the slashes
after v2 may be doubled or missing, so a client that appends "/requests.xml" or
"requests.xml" to the discovery URL, with or without its trailing slash, reaches
the endpoint; anything else falls to the catch-all, an Open311 404.
"""

from __future__ import annotations

from django.urls import URLPattern, path, re_path

from open311 import views

FMT = r"\.(?P<fmt>[jJ][sS][oO][nN]|[xX][mM][lL])$"
V2 = r"^open311/v2/+"

app_name = "open311"
urlpatterns: list[URLPattern] = [
    path("open311/", views.docs, name="docs"),
    re_path(V2 + "discovery" + FMT, views.discovery, name="discovery"),
    re_path(V2 + "services" + FMT, views.service_list, name="services"),
    re_path(
        V2 + r"services/+(?P<code>[-a-zA-Z0-9_]+)" + FMT,
        views.service_definition,
        name="service",
    ),
    re_path(V2 + "requests" + FMT, views.requests, name="requests"),
    re_path(
        V2 + r"requests/+(?P<code>[^/]+?)" + FMT,
        views.request_detail,
        name="request",
    ),
    re_path(V2 + r"tokens/+(?P<token>[^/]+?)" + FMT, views.token, name="token"),
    re_path(V2 + "servicerequestupdates" + FMT, views.updates, name="updates"),
    # "…/v2" + "requests.xml": the same endpoint as with the slash.
    re_path(r"^open311/v2(?P<rest>[a-zA-Z].*)$", views.without_slash),
    re_path(r"^open311/(?P<path>.*)$", views.not_found, name="not_found"),
]
