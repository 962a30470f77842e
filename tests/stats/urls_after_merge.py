"""The portal's URLs plus stand-ins for the citizen pages built on another branch,
to check the home page and sitemap link to them once they are merged."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from portal.urls import urlpatterns as portal_urlpatterns


def stand_in(request: HttpRequest, **kwargs: str) -> HttpResponse:
    return HttpResponse("stand-in")


citizen_pages = [
    path("gui-phan-anh/", stand_in, name="submit"),
    path("tra-cuu/", stand_in, name="lookup"),
    path("phan-anh/", stand_in, name="list"),
    path("phan-anh/<str:code>/", stand_in, name="detail"),
]

# Earlier entries win when two includes share the "feedback" namespace.
urlpatterns = [path("", include((citizen_pages, "feedback"))), *portal_urlpatterns]
