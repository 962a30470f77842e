"""A real SMTP server (aiosmtpd, in a thread) that keeps what it receives.

The ``smtp`` fixture (registered in tests/conftest.py) points Django's SMTP
backend at it: tests read the delivered messages, headers included, as a mail
program would.
"""

from __future__ import annotations

import asyncio
import email
import socket
import threading
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller


class Sink:
    """An SMTP server's message handler that keeps what it receives.

    Mail to ``slow_to`` is held until ``release`` is set: a mail server that hangs.
    """

    def __init__(self) -> None:
        self.received: list[str] = []
        self.subjects: list[str] = []
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()
        self.slow_to = ""
        self.slow_started = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        to = envelope.rcpt_tos[0]
        if to == self.slow_to:
            self.slow_started.set()
            await asyncio.get_running_loop().run_in_executor(
                None, self.release.wait, 30
            )
        else:
            await asyncio.sleep(0.01)  # a little latency, so senders interleave
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        with self.lock:
            self.received.append(to)
            self.subjects.append(str(message["Subject"]))
            self.messages.append(message)
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        """The messages delivered to ``address``, in order."""
        with self.lock:
            pairs = zip(self.messages, self.received, strict=True)
            return [message for message, rcpt in pairs if rcpt == address]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp(settings: Any) -> Iterator[Sink]:
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 10
    try:
        yield sink
    finally:
        sink.release.set()
        controller.stop()
