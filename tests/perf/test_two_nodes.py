"""Two gunicorn nodes sharing database, Redis and storage (bench/two_nodes.py).

On PostgreSQL the nodes use the test database itself (a transactional test, so
what they write is visible and flushed afterwards). On SQLite, whose test database
lives in memory, they share one migrated SQLite file in WAL mode. Redis is
required either way (the ``server`` marker).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from bench import two_nodes
from tests import tools

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]

REDIS_URL = tools.REDIS_URL


def _database_url(tmp_path: Path, env_base: dict[str, str]) -> str:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        user = db.get("USER") or "postgres"
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        host = db.get("HOST") or "127.0.0.1"
        port = db.get("PORT") or 5432
        return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"
    path = tmp_path / "nodes.sqlite3"
    url = f"sqlite:///{path}"
    two_nodes.manage({**env_base, "DATABASE_URL": url}, "migrate", "--noinput")
    with sqlite3.connect(path) as conn:
        # Two processes write the file: WAL lets readers and a writer overlap.
        conn.execute("PRAGMA journal_mode=WAL")
    return url


def test_two_nodes_share_sessions_counters_limits_reports_and_files(
    tmp_path: Path,
) -> None:
    media = tmp_path / "media"
    media.mkdir()
    env: dict[str, Any] = two_nodes.node_env(
        database_url="", redis_url=REDIS_URL, media_root=media
    )
    env["DATABASE_URL"] = _database_url(tmp_path, env)
    two_nodes.create_admin(env)
    with two_nodes.two_nodes(env) as (a, b):
        shown = two_nodes.check_shared_state(a, b)
    assert len(shown) == 6
