"""Shared fixtures: the cast of characters and test switches."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made
# from tests alongside it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings: Any) -> Iterator[None]:
    """MD5 hashing for speed; a fresh local-memory cache for every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def captcha_pass(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Make the captcha accept the answer PASSED; returns the form fields to post.

    CAPTCHA_TEST_MODE is read when the package is imported, so override_settings
    cannot switch it: patch the package's own settings module instead.
    """
    from captcha.conf import settings as captcha_settings

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    return {"captcha_0": "test", "captcha_1": "PASSED"}


@pytest.fixture
def citizen(db: None) -> Any:
    """A confirmed citizen account with every personal field filled in."""
    return UserFactory()


@pytest.fixture
def other_citizen(db: None) -> Any:
    """A second confirmed citizen, to check that one cannot see the other's data."""
    return UserFactory()
