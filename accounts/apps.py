from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Tài khoản")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from accounts import receivers

        user_login_failed.connect(
            receivers.count_login_failure, dispatch_uid="accounts.login_throttle"
        )
        user_logged_in.connect(
            receivers.record_session, dispatch_uid="accounts.record_session"
        )
