"""The email outbox: store rendered messages, deliver them with retries."""

from __future__ import annotations

import logging
from contextlib import suppress
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal.models import OutboxEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# How long a sender owns the rows it claimed. It takes no new message from its
# claim once less than SEND_MARGIN is left (one slow send stays well inside it), so
# a row is never sent again by another sender while the first is still on it.
LEASE = timedelta(minutes=10)
SEND_MARGIN = timedelta(minutes=2)


def enqueue(name: str, message: EmailMultiAlternatives) -> None:
    html = next(
        (content for content, mime in message.alternatives if mime == "text/html"),
        "",
    )
    OutboxEmail.objects.create(
        template=name,
        to=message.to[0],
        subject=str(message.subject),
        body=str(message.body),
        html=str(html),
        headers={str(k): str(v) for k, v in message.extra_headers.items()},
    )


def _backoff(attempts: int) -> timedelta:
    # 1, 2, 4, 8, 16 minutes: a mail server that is down for a while is retried
    # without hammering it.
    return timedelta(minutes=2 ** max(attempts - 1, 0))


def _claim(limit: int) -> tuple[list[OutboxEmail], datetime]:
    """Take up to ``limit`` due rows for this sender, in a transaction of its own.

    SKIP LOCKED lets parallel senders claim disjoint rows without waiting for each
    other; moving ``next_attempt_at`` to the end of the lease is the claim, so no
    lock is held while mail is sent and a sender that dies mid-batch only delays
    its rows until the lease ends.
    """
    now = timezone.now()
    until = now + LEASE
    due = OutboxEmail.objects.filter(
        state=OutboxEmail.State.PENDING, next_attempt_at__lte=now
    )
    with transaction.atomic():
        ids = list(
            due.select_for_update(skip_locked=True)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        # Still due in the same statement: on a database without row locks
        # (SQLite) a row another sender claimed first is left to it.
        due.filter(pk__in=ids).update(next_attempt_at=until, attempts=F("attempts") + 1)
    rows = list(
        OutboxEmail.objects.filter(pk__in=ids, next_attempt_at=until).order_by("pk")
    )
    return rows, until


def _message(row: OutboxEmail, connection: Any) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        row.subject,
        row.body,
        settings.DEFAULT_FROM_EMAIL,
        [row.to],
        connection=connection,
        headers=row.headers,
    )
    if row.html:
        message.attach_alternative(row.html, "text/html")
    return message


def send_pending(limit: int = 100) -> tuple[int, int]:
    """Send due messages; returns (sent, failed attempts).

    Safe to run in parallel (several app nodes each running send_emails): rows are
    claimed in a short transaction, sent outside it, and each result is written
    back only while this sender's lease on the row holds.
    """
    rows, until = _claim(limit)
    if not rows:
        return 0, 0
    sent = failed = 0
    connection = get_connection()
    with suppress(Exception):  # a refused connection is retried and logged per row
        connection.open()
    try:
        for index, row in enumerate(rows):
            if timezone.now() >= until - SEND_MARGIN:
                _release(rows[index:], until)
                break
            mine = OutboxEmail.objects.filter(
                pk=row.pk, state=OutboxEmail.State.PENDING, next_attempt_at=until
            )
            try:
                _message(row, connection).send()
            except Exception as error:
                failed += 1
                fields: dict[str, Any] = {
                    "last_error": f"{type(error).__name__}: {error}"[:2000]
                }
                if row.attempts >= MAX_ATTEMPTS:
                    fields["state"] = OutboxEmail.State.FAILED
                    logger.error("Outbox email #%s failed for good", row.pk)
                else:
                    fields["next_attempt_at"] = timezone.now() + _backoff(row.attempts)
                mine.update(**fields)
            else:
                sent += 1
                mine.update(
                    state=OutboxEmail.State.SENT, sent_at=timezone.now(), last_error=""
                )
    finally:
        connection.close()
    return sent, failed


def _release(rows: list[OutboxEmail], until: datetime) -> None:
    """Give back rows this sender had no time left to send, as they were."""
    OutboxEmail.objects.filter(
        pk__in=[row.pk for row in rows],
        state=OutboxEmail.State.PENDING,
        next_attempt_at=until,
    ).update(next_attempt_at=timezone.now(), attempts=F("attempts") - 1)
