from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts.models import User
from accounts.retention import erase_account
from accounts.signals import personal_data_requested
from portal.lib import emails, ratelimit

CONFIRM_SALT = "accounts.confirm-email"


class ConfirmationError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "expired", "invalid" or "taken"


def _email_digest(email: str) -> str:
    # Keyed with SECRET_KEY: the token names no address and cannot be checked
    # against a guessed one without the key.
    return salted_hmac(CONFIRM_SALT, email.strip().lower()).hexdigest()[:32]


def make_confirm_token(user: User, email: str) -> str:
    """A signed token naming the account and a keyed hash of the address."""
    return signing.dumps({"u": user.pk, "h": _email_digest(email)}, salt=CONFIRM_SALT)


def site_link(path: str) -> str:
    """An absolute link for an email: from SITE_URL only, never the Host header."""
    return settings.SITE_URL.rstrip("/") + path


# Password-reset and resend emails per address and hour, sent or not: typing a
# stranger's address again and again does not flood their inbox.
ACCOUNT_EMAILS = (3, 3600)


def account_email_allowed(email: str) -> bool:
    return ratelimit.hit("account-email", email.strip().lower(), rate=ACCOUNT_EMAILS)


def send_no_account_notice(email: str, *, action: str) -> None:
    """Tell ``email`` that no account (waiting) uses it: the same one queued email
    as when one does, so the request's work does not depend on the answer."""
    emails.send_after_commit("no-account", email, {"action": action})


def resend_confirmation(email: str) -> None:
    """Send a new link if ``email`` belongs to an account waiting for one, else a
    notice; either way one email is queued (EMAIL_QUEUE=1: none sent in the
    request), so the time of the request says nothing about the address."""
    if not account_email_allowed(email):
        return
    user = User.objects.filter(email__iexact=email, is_active=False).first()
    if user is not None and user.has_usable_password():
        send_confirmation(user=user, email=user.email)
        return
    send_no_account_notice(email, action="resend")


def send_confirmation(*, user: User, email: str) -> None:
    """Email the confirmation link for ``email`` (the account's, or a new one)."""
    if email.lower() != user.email.lower() and user.pending_email != email:
        user.pending_email = email
        user.save(update_fields=["pending_email"])
    token = make_confirm_token(user, email)
    link = site_link(reverse("accounts:confirm", args=[token]))
    hours = settings.ACCOUNT_CONFIRM_MAX_AGE // 3600
    emails.send_after_commit(
        "confirm-email",
        email,
        {"user": user, "link": link, "hours": hours, "is_change": email != user.email},
    )


@transaction.atomic
def register_user(*, data: dict[str, Any], password: str) -> User:
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
    send_confirmation(user=user, email=user.email)
    return user


def notify_account_in_use(duplicates: dict[str, User]) -> None:
    """Tell each account whose email or ID number someone else tried to use."""
    for field, owner in duplicates.items():
        emails.send_after_commit(
            "account-in-use", owner.email, {"user": owner, "field": field}
        )


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
    digest = str(payload.get("h", ""))
    if constant_time_compare(digest, _email_digest(user.email)):
        email = user.email
    elif user.pending_email and constant_time_compare(
        digest, _email_digest(user.pending_email)
    ):
        email = user.pending_email
        taken = User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists()
        if taken:
            raise ConfirmationError("taken")
    else:
        raise ConfirmationError("invalid")
    user.email = email
    user.pending_email = ""
    user.is_active = True
    user.email_confirmed_at = timezone.now()
    user.save(
        update_fields=["email", "pending_email", "is_active", "email_confirmed_at"]
    )
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


def delete_account(user: User) -> None:
    """Erase the account and every copy of the person's data (reports stay)."""
    erase_account(user)
