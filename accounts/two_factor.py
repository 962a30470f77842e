"""Officials' second factor: TOTP (an authenticator app) with backup codes.

Everyone who may see citizens' personal data in admin (staff, and members of
the officials' groups) must pass a TOTP code once per session before any admin
page or report page (``OfficialsSecondFactorMiddleware``). The first time, they
enrol: scan a QR code, type a code, receive ten single-use backup codes.
``OFFICIALS_2FA=0`` switches the requirement off (a test bench, a demo).
"""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.lib import ratelimit

BACKUP_CODES = 10
FAILURE_SCOPE = "otp-failure"


def enabled() -> bool:
    return bool(getattr(settings, "OFFICIALS_2FA", True))


def required(user: Any) -> bool:
    """Whether ``user`` must pass a second factor (staff or an officials' group)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return bool(user.groups.filter(name__in=settings.OFFICIALS_GROUPS).exists())


def has_device(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed TOTP device being enrolled (made on the first visit)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name="Ứng dụng xác thực", confirmed=False
        )
    return device


def secret_of(device: TOTPDevice) -> str:
    """The key as base32, for typing into an app that cannot scan the QR code."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def throttled(user: Any) -> bool:
    return ratelimit.exceeded(
        FAILURE_SCOPE, str(user.pk), rate=settings.OFFICIALS_2FA_FAILURES
    )


def _count_failure(user: Any) -> None:
    ratelimit.hit(FAILURE_SCOPE, str(user.pk), rate=settings.OFFICIALS_2FA_FAILURES)


def _clean(code: str) -> str:
    return "".join(code.split()).replace("-", "")


@transaction.atomic
def confirm_enrolment(request: HttpRequest, code: str) -> list[str] | None:
    """Confirm the pending device with ``code``; the new backup codes, or None."""
    user = request.user
    device = pending_device(user)
    if not device.verify_token(_clean(code)):
        _count_failure(user)
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = replace_backup_codes(user)
    otp_login(request, device)
    return codes


def replace_backup_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="Mã dự phòng")
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=c) for c in codes)
    return codes


@transaction.atomic
def verify(request: HttpRequest, code: str) -> bool:
    """Check a TOTP code or an unused backup code; marks the session verified."""
    user = request.user
    token = _clean(code)
    kinds = (TOTPDevice,) if token.isdigit() and len(token) == 6 else (StaticDevice,)
    for device in devices_for_user(user, confirmed=True, for_verify=True):
        if isinstance(device, kinds) and device.verify_token(token):
            otp_login(request, device)
            return True
    _count_failure(user)
    return False


@transaction.atomic
def reset_devices(user: Any) -> int:
    """Remove every second-factor device of ``user`` (a lost phone)."""
    count = 0
    for device in devices_for_user(user, confirmed=None):
        device.delete()
        count += 1
    return count
