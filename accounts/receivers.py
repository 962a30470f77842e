from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts import throttle


def count_login_failure(
    sender: Any,
    credentials: dict[str, Any],
    request: HttpRequest | None = None,
    **kwargs: Any,
) -> None:
    throttle.record_failure(request, credentials)
