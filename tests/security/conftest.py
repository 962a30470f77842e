"""Fixtures for the security tests that run real app servers (marked ``server``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.security.server import Server, ServerDB, make_server_db


@pytest.fixture(scope="session")
def server_db(tmp_path_factory: pytest.TempPathFactory) -> ServerDB:
    """A migrated database shared by every server test of the run."""
    return make_server_db(tmp_path_factory.mktemp("serverdb"))


@pytest.fixture
def server_media(tmp_path: Path) -> Path:
    media = tmp_path / "media"
    media.mkdir()
    return media


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    """Servers a test starts are appended here and always stopped afterwards."""
    started: list[Server] = []
    yield started
    for server in started:
        server.stop()


@pytest.fixture(autouse=True)
def _day_long_rate_windows(settings: Any) -> None:
    """Limits count in fixed windows: a test that ran across a window boundary
    would see its count reset. Day-long windows in process make that practically
    impossible (the real lengths are the environment's business)."""
    day = 86_400
    settings.CODE_MISS_WINDOW = day
    settings.LOGIN_THROTTLE_WINDOW = day
    settings.UNIQUE_CHECK_RATE = (settings.UNIQUE_CHECK_RATE[0], day)
    settings.OFFICIALS_2FA_FAILURES = (settings.OFFICIALS_2FA_FAILURES[0], day)
