"""Emails rendered from templates/emails/<name>-subject.txt, -body.txt, -body.html."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string


def render(name: str, context: dict[str, Any]) -> EmailMultiAlternatives:
    context = {"site_name": settings.SITE_NAME, **context}
    subject = render_to_string(f"emails/{name}-subject.txt", context)
    body = render_to_string(f"emails/{name}-body.txt", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), body)
    try:
        html = render_to_string(f"emails/{name}-body.html", context)
    except TemplateDoesNotExist:
        pass
    else:
        message.attach_alternative(html, "text/html")
    return message


def send(name: str, to: str, context: dict[str, Any]) -> None:
    message = render(name, context)
    message.to = [to]
    message.send()


def send_after_commit(name: str, to: str, context: dict[str, Any]) -> None:
    """Send once the current transaction commits; nothing goes out on a rollback."""
    transaction.on_commit(partial(send, name, to, context))
