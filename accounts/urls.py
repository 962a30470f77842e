from __future__ import annotations

from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("dang-ky/", views.register, name="register"),
    path("dang-ky/thanh-cong/", views.register_done, name="register_done"),
    path("dang-ky/xac-nhan/<str:token>/", views.confirm_email, name="confirm"),
    path("dang-ky/gui-lai/", views.resend_confirmation, name="resend"),
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
    path("quen-mat-khau/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "quen-mat-khau/da-gui/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "dat-lai-mat-khau/xong/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("tai-khoan/", views.profile, name="profile"),
    path(
        "tai-khoan/doi-mat-khau/",
        views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path("tai-khoan/du-lieu.json", views.export_data, name="export"),
    path("tai-khoan/xoa/", views.delete_account, name="delete"),
    path("xac-thuc-hai-buoc/", views.two_factor_verify, name="two_factor_verify"),
    path(
        "xac-thuc-hai-buoc/dang-ky/",
        views.two_factor_setup,
        name="two_factor_setup",
    ),
]
