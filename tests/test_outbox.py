"""The outbox sender against a real SMTP server (aiosmtpd, in a thread).

Rows are claimed in a short transaction and sent outside it: parallel senders
share the work without sending anything twice, and a slow mail server holds no
lock that would stop another sender.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import pytest
from django.db import connection, transaction

from portal.models import OutboxEmail
from portal.outbox import send_pending
from tests.mail_sink import Sink, free_port


def _queue(*addresses: str) -> None:
    OutboxEmail.objects.bulk_create(
        OutboxEmail(template="thu", to=to, subject=f"Thư gửi {to}", body="Nội dung.")
        for to in addresses
    )


@pytest.mark.django_db(transaction=True)
def test_two_senders_in_parallel_send_every_email_exactly_once(smtp: Sink) -> None:
    addresses = [f"nguoi{n:02d}@example.vn" for n in range(30)]
    _queue(*addresses)
    # SQLite has no row locks: there the claims take turns (PostgreSQL: SKIP LOCKED).
    turn = threading.Lock() if connection.vendor == "sqlite" else None
    counts: list[tuple[int, int]] = []

    def sender() -> None:
        try:
            while True:
                with turn or contextlib.nullcontext():
                    result = send_pending(limit=4)
                counts.append(result)
                if result == (0, 0):
                    return
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(smtp.received) == addresses
    assert sorted(smtp.subjects) == [f"Thư gửi {to}" for to in addresses]
    assert sum(sent for sent, _failed in counts) == 30
    assert set(OutboxEmail.objects.values_list("state", "attempts")) == {
        (OutboxEmail.State.SENT, 1)
    }


@pytest.mark.django_db(transaction=True)
def test_a_slow_mail_server_holds_no_lock_and_blocks_no_other_sender(
    smtp: Sink,
) -> None:
    _queue("cham@example.vn")
    _queue("an@example.vn", "binh@example.vn")
    smtp.slow_to = "cham@example.vn"
    results: list[tuple[int, int]] = []

    def slow_sender() -> None:
        try:
            results.append(send_pending(limit=1))  # takes the oldest: the slow one
        finally:
            connection.close()

    first = threading.Thread(target=slow_sender)
    first.start()
    try:
        assert smtp.slow_started.wait(10), "the first sender never reached SMTP"
        # The first sender is inside its SMTP conversation: its row is claimed
        # (leased) but not locked, so nothing waits on it.
        with transaction.atomic():
            rows = OutboxEmail.objects.select_for_update(nowait=True)
            assert rows.count() == 3
        claimed = OutboxEmail.objects.get(to="cham@example.vn")
        assert claimed.state == OutboxEmail.State.PENDING and claimed.attempts == 1
        # Another sender delivers the rest meanwhile, and not the claimed one.
        assert send_pending() == (2, 0)
        assert sorted(smtp.received) == ["an@example.vn", "binh@example.vn"]
    finally:
        smtp.release.set()
        first.join(timeout=30)
    assert results == [(1, 0)]
    assert sorted(smtp.received) == [
        "an@example.vn",
        "binh@example.vn",
        "cham@example.vn",
    ]
    assert set(OutboxEmail.objects.values_list("state", flat=True)) == {"sent"}


@pytest.mark.django_db
def test_a_refusing_mail_server_leaves_the_email_for_a_later_attempt(
    settings: Any,
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens there
    settings.EMAIL_TIMEOUT = 2
    _queue("an@example.vn")
    assert send_pending() == (0, 1)
    row = OutboxEmail.objects.get()
    assert row.state == OutboxEmail.State.PENDING and row.attempts == 1
    assert "ConnectionRefusedError" in row.last_error
    assert send_pending() == (0, 0)  # backing off, not hammering the server
