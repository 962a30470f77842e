"""The email outbox: store rendered messages, deliver them with retries."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone

from portal.models import OutboxEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6


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
    )


def _backoff(attempts: int) -> timedelta:
    # 1, 2, 4, 8, 16 minutes: a mail server that is down for a while is retried
    # without hammering it.
    return timedelta(minutes=2 ** max(attempts - 1, 0))


def send_pending(limit: int = 100) -> tuple[int, int]:
    """Send due messages; returns (sent, failed attempts). Safe to run in parallel:
    rows are claimed with SKIP LOCKED where the database supports it."""
    sent = failed = 0
    connection = get_connection()
    with transaction.atomic():
        rows = list(
            OutboxEmail.objects.select_for_update(skip_locked=True)
            .filter(
                state=OutboxEmail.State.PENDING, next_attempt_at__lte=timezone.now()
            )
            .order_by("next_attempt_at", "pk")[:limit]
        )
        for row in rows:
            message = EmailMultiAlternatives(
                row.subject,
                row.body,
                settings.DEFAULT_FROM_EMAIL,
                [row.to],
                connection=connection,
            )
            if row.html:
                message.attach_alternative(row.html, "text/html")
            row.attempts += 1
            try:
                message.send()
            except Exception as error:
                failed += 1
                row.last_error = f"{type(error).__name__}: {error}"[:2000]
                if row.attempts >= MAX_ATTEMPTS:
                    row.state = OutboxEmail.State.FAILED
                    logger.error("Outbox email #%s failed for good", row.pk)
                else:
                    row.next_attempt_at = timezone.now() + _backoff(row.attempts)
            else:
                sent += 1
                row.state = OutboxEmail.State.SENT
                row.sent_at = timezone.now()
                row.last_error = ""
            row.save()
    return sent, failed
