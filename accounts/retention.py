"""Personal data has a lifetime (Law 91/2025/QH15, Decree 356/2025/NĐ-CP).

``apply_retention`` (run daily by ``manage.py apply_retention``) erases the
reporter's personal fields of reports closed more than ``RETENTION_MONTHS`` ago
(the reports stay for the statistics) and deletes sent or failed outbox emails
older than ``OUTBOX_RETENTION_DAYS``. ``erase_account`` removes every copy the
portal keeps of a person who deletes their account.
"""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta
from importlib import import_module
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User, UserSession
from accounts.signals import personal_data_erased, retention_due
from portal.models import OutboxEmail


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months earlier (clamped)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def prune_outbox(now: datetime | None = None) -> int:
    """Delete delivered or given-up emails older than OUTBOX_RETENTION_DAYS."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    done = [OutboxEmail.State.SENT, OutboxEmail.State.FAILED]
    deleted, _ = OutboxEmail.objects.filter(
        state__in=done, created_at__lt=cutoff
    ).delete()
    return deleted


@transaction.atomic
def apply_retention(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    cutoff = months_before(now, settings.RETENTION_MONTHS)
    erased = sum(
        int(count or 0)
        for _receiver, count in retention_due.send(sender=User, cutoff=cutoff)
    )
    # Sign-in records outlive no session: older ones point at nothing.
    stale = now - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    UserSession.objects.filter(created_at__lt=stale).delete()
    return {"reports": erased, "outbox": prune_outbox(now)}


def _session_store() -> type[SessionBase]:
    return import_module(settings.SESSION_ENGINE).SessionStore


def end_sessions(user: Any) -> int:
    """End every session the account signed in with, on any session backend."""
    store = _session_store()
    keys = list(
        UserSession.objects.filter(user=user).values_list("session_key", flat=True)
    )
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


@transaction.atomic
def erase_account(user: User) -> None:
    """Erase the account and every copy of the person's data the portal keeps.

    Other apps erase their own copies through ``personal_data_erased``: feedback
    anonymises the person's reports; follows and area alerts connect there too.
    """
    addresses = {user.email.lower(), (user.pending_email or "").lower()} - {""}
    emails_to = Q()
    for address in addresses:
        emails_to |= Q(to__iexact=address)
    if emails_to:
        OutboxEmail.objects.filter(emails_to).delete()
    username = user.get_username()
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__iexact=username).delete()
    end_sessions(user)
    personal_data_erased.send(sender=User, user=user)
    User.objects.filter(pk=user.pk).delete()
