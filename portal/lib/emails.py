"""Emails rendered from templates/emails/<name>-subject.txt, -body.txt, -body.html.

``send_after_commit`` is the one way the apps send mail. With ``EMAIL_QUEUE=0``
(the default, `make run`) the message goes out as soon as the transaction commits;
with ``EMAIL_QUEUE=1`` (production) it is written to an outbox table in the same
transaction, so it exists exactly when the change does, and ``manage.py send_emails``
delivers it with retries: a slow mail server never holds up a request.

Messages with an unsubscribe or opt-out link carry the RFC 8058 one-click headers
(``one_click_unsubscribe``), so mail programs offer their own unsubscribe button.

This module imports no app: the portal app plugs its outbox in through
``set_queue`` when Django starts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)

QueueHook = Callable[[str, EmailMultiAlternatives], None]
_queue: QueueHook | None = None


def set_queue(hook: QueueHook | None) -> None:
    """Install the function that stores a rendered message for later delivery."""
    global _queue
    _queue = hook


def one_click_unsubscribe(url: str) -> dict[str, str]:
    """List-Unsubscribe headers (RFC 2369, RFC 8058) for a signed unsubscribe URL.

    The mail program POSTs ``List-Unsubscribe=One-Click`` to ``url``, without
    cookies or a CSRF token: the URL's own signed token must be enough.
    """
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def render(
    name: str,
    context: dict[str, Any],
    language: str | None = None,
    headers: dict[str, str] | None = None,
) -> EmailMultiAlternatives:
    """The message in ``language`` (the recipient's), or the active language."""
    if language:
        with translation.override(language):
            return render(name, context, headers=headers)
    context = {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL.rstrip("/"),
        **context,
    }
    subject = render_to_string(f"emails/{name}-subject.txt", context)
    body = render_to_string(f"emails/{name}-body.txt", context)
    message = EmailMultiAlternatives(
        " ".join(subject.split()), body, headers=dict(headers or {})
    )
    try:
        html = render_to_string(f"emails/{name}-body.html", context)
    except TemplateDoesNotExist:
        pass
    else:
        message.attach_alternative(html, "text/html")
    return message


def _send_now(
    name: str,
    to: str,
    context: dict[str, Any],
    language: str | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    # Runs after the commit: a failure must not turn a saved change into an error
    # page. The message is kept in the outbox for a retry when one is installed.
    message = render(name, context, language, headers)
    message.to = [to]
    try:
        message.send()
    except Exception:
        logger.exception("Email %r could not be sent; kept for retry", name)
        if _queue is not None:
            _queue(name, message)


def send_after_commit(
    name: str,
    to: str,
    context: dict[str, Any],
    *,
    language: str | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    """Send once the current transaction commits; nothing goes out on a rollback.

    ``language`` renders the message in the recipient's language (e.g. a
    follower's) rather than the one active for the request; ``headers`` are
    extra message headers (e.g. ``one_click_unsubscribe``), kept in the outbox.
    """
    if not to:
        return
    if getattr(settings, "EMAIL_QUEUE", False):
        if _queue is None:
            raise ImproperlyConfigured("EMAIL_QUEUE=1 needs the portal app's outbox.")
        message = render(name, context, language, headers)
        message.to = [to]
        _queue(name, message)  # same transaction: rolled back together
        return
    transaction.on_commit(partial(_send_now, name, to, context, language, headers))
