"""Fixtures for the security tests that run real app servers (marked ``server``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

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
