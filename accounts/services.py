from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.signals import personal_data_erased, personal_data_requested
from portal.lib import emails

CONFIRM_SALT = "accounts.confirm-email"


class ConfirmationError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "expired", "invalid" or "taken"


def make_confirm_token(user: User, email: str) -> str:
    return signing.dumps({"u": user.pk, "e": email}, salt=CONFIRM_SALT, compress=True)


def send_confirmation(*, user: User, email: str, base_url: str) -> None:
    token = make_confirm_token(user, email)
    link = base_url + reverse("accounts:confirm", args=[token])
    hours = settings.ACCOUNT_CONFIRM_MAX_AGE // 3600
    emails.send_after_commit(
        "confirm-email",
        email,
        {"user": user, "link": link, "hours": hours, "is_change": email != user.email},
    )


@transaction.atomic
def register_user(*, data: dict[str, Any], password: str, base_url: str) -> User:
    """Create an inactive account and email its confirmation link after commit."""
    user = User(
        username=data["username"],
        email=data["email"],
        full_name=data["full_name"],
        id_number=data["id_number"],
        address=data["address"],
        phone=data["phone"],
        is_active=False,
        consent_at=timezone.now(),
    )
    user.set_password(password)
    user.save()
    send_confirmation(user=user, email=user.email, base_url=base_url)
    return user


@transaction.atomic
def confirm_email(token: str) -> User:
    """Activate the account (or switch it to the new email) the token was made for."""
    try:
        payload = signing.loads(
            token, salt=CONFIRM_SALT, max_age=settings.ACCOUNT_CONFIRM_MAX_AGE
        )
    except signing.SignatureExpired:
        raise ConfirmationError("expired") from None
    except signing.BadSignature:
        raise ConfirmationError("invalid") from None
    try:
        user = User.objects.select_for_update().get(pk=payload["u"])
    except (User.DoesNotExist, KeyError, TypeError):
        raise ConfirmationError("invalid") from None
    email = payload.get("e", "")
    if email != user.email:
        taken = User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists()
        if taken:
            raise ConfirmationError("taken")
        user.email = email
    user.is_active = True
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["email", "is_active", "email_confirmed_at"])
    return user


def export_personal_data(user: User) -> dict[str, Any]:
    data: dict[str, Any] = {
        "account": {
            "username": user.username,
            "full_name": user.full_name,
            "id_number": user.id_number,
            "address": user.address,
            "email": user.email,
            "phone": user.phone,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "email_confirmed_at": (
                user.email_confirmed_at.isoformat() if user.email_confirmed_at else None
            ),
            "consent_at": user.consent_at.isoformat() if user.consent_at else None,
        },
        "exported_at": timezone.now().isoformat(),
    }
    for _receiver, extra in personal_data_requested.send(sender=User, user=user):
        if isinstance(extra, dict):
            data.update(extra)
    return data


@transaction.atomic
def delete_account(user: User) -> None:
    """Erase the account; other apps anonymise what they keep (reports stay)."""
    personal_data_erased.send(sender=User, user=user)
    get_user_model().objects.filter(pk=user.pk).delete()
