from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q
from django.http import HttpRequest


def find_user(identifier: str) -> AbstractBaseUser | None:
    """The user whose username or email is ``identifier``, ignoring case."""
    identifier = (identifier or "").strip()
    # No account has such a name, and PostgreSQL refuses NUL in a query.
    if not identifier or "\x00" in identifier or len(identifier) > 254:
        return None
    user_model = get_user_model()
    return (
        user_model.objects.filter(
            Q(username__iexact=identifier) | Q(email__iexact=identifier)
        )
        .order_by("pk")
        .first()
    )


class UsernameOrEmailBackend(ModelBackend):
    """Log in with a username or an email address, in any case.

    An inactive account with the right password is returned, so that the login
    form can say "confirm your email first" instead of "wrong password"; the form
    then refuses it (AuthenticationForm.confirm_login_allowed), and get_user()
    still refuses inactive users for existing sessions.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None or password is None:
            return None
        user = find_user(username)
        if user is None:
            # Spend the same time as a real check so timing reveals nothing.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password):
            return user
        return None


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """Lock out per account: an email and its username count as one."""
    raw = ""
    if credentials:
        raw = credentials.get("username") or ""
    elif request is not None:
        raw = request.POST.get("username", "")
    user = find_user(raw)
    if user is not None:
        return user.get_username().lower()
    # Fits axes' username column; NUL, which no account name has, cannot be stored.
    return raw.replace("\x00", "").strip().lower()[:150]
