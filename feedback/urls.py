from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from feedback import conversation_views, views

app_name = "feedback"
urlpatterns: list[URLPattern | URLResolver] = [
    path("gui-phan-anh/", views.submit, name="submit"),
    path("gui-phan-anh/da-gui/<str:code>/", views.submitted, name="submitted"),
    path("tra-cuu/", views.lookup, name="lookup"),
    path("phan-anh/", views.report_list, name="list"),
    path("phan-anh/<str:code>/", views.detail, name="detail"),
    path("phan-anh/<str:code>/danh-gia/", views.rate, name="rate"),
    path("phan-anh/<str:code>/xac-nhan/", views.prove, name="prove"),
    path("phan-anh/<str:code>/xem-xet-lai/", views.review, name="review"),
    path("phan-anh/<str:code>/bo-sung/", conversation_views.add_update, name="update"),
    path("phan-anh/<str:code>/sua/", conversation_views.correct, name="correct"),
    path("phan-anh/<str:code>/rut/", conversation_views.withdraw, name="withdraw"),
    path("phan-anh/<str:code>/an-du-lieu/", conversation_views.hide, name="hide"),
    path(
        "phan-anh/<str:code>/tep/<int:pk>/",
        views.attachment_file,
        name="attachment",
    ),
    path(
        "phan-anh/<str:code>/tep/<int:pk>/anh-nho/",
        views.attachment_file,
        {"thumbnail": True},
        name="thumbnail",
    ),
]
