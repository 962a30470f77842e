from __future__ import annotations

from django.urls import path, register_converter

from open311 import views


class FormatConverter:
    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "fmt")

app_name = "open311"
urlpatterns = [
    path("open311/", views.docs, name="docs"),
    path("open311/v2/discovery.<fmt:fmt>", views.discovery, name="discovery"),
    path("open311/v2/services.<fmt:fmt>", views.service_list, name="services"),
    path(
        "open311/v2/services/<slug:code>.<fmt:fmt>",
        views.service_definition,
        name="service",
    ),
    path("open311/v2/requests.<fmt:fmt>", views.requests, name="requests"),
    path(
        "open311/v2/requests/<str:code>.<fmt:fmt>",
        views.request_detail,
        name="request",
    ),
    path("open311/v2/tokens/<str:token>.<fmt:fmt>", views.token, name="token"),
]
