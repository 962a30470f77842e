"""Demo only: a TOTP device for each demo official, its secret printed.

Runs after the officials exist (see seed_demo's DEMO_MODULES). The secrets are
printed so a demo can add them to an authenticator app; no real account ever
gets a device this way.
"""

from __future__ import annotations

from typing import Any, TextIO

from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.models import User


def seed(out: TextIO, **options: Any) -> None:
    demo = ["admin", "tiepnhan", "xuly1", "xuly2", "bientap"]
    for user in User.objects.filter(username__in=demo).order_by("username"):
        if not two_factor.required(user):
            continue
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(
                user=user, name="Ứng dụng xác thực (demo)", confirmed=True
            )
        out.write(
            f"  xác thực hai bước demo: {user.username} / khoá TOTP "
            f"{two_factor.secret_of(device)}\n"
        )
