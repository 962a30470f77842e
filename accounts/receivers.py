from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts import throttle
from accounts.models import UserSession


def record_session(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """Remember the session an account signed in with (see retention.end_sessions)."""
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        UserSession.objects.update_or_create(session_key=key, defaults={"user": user})


def count_login_failure(
    sender: Any,
    credentials: dict[str, Any],
    request: HttpRequest | None = None,
    **kwargs: Any,
) -> None:
    throttle.record_failure(request, credentials)
