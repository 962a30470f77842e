"""The outside tools some tests need, found once, and what a missing one means.

Outside `make test` and CI a test whose tool is missing is skipped with the reason;
under ``PORTAL_REQUIRE_TOOLS=1`` (set by `make test` and `.ci/run`) the conftest
turns every skip into a failure, so CI can never pass by skipping.
"""

from __future__ import annotations

import ctypes.util
import os
import shutil
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIRE_TOOLS = os.environ.get("PORTAL_REQUIRE_TOOLS") == "1"

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@cache
def redis_problem() -> str:
    """Why the test Redis cannot be used, or "" when it answers."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return f"Redis at TEST_REDIS_URL={REDIS_URL} does not answer ({error})"
    return ""


def _browser_problems() -> list[str]:
    problems = []
    if not Path(CHROMIUM).exists():
        problems.append("Chromium is missing (apt-get install chromium)")
    if not AXE.exists():
        problems.append(f"{AXE.relative_to(ROOT)} is missing (npm ci)")
    return problems


def _html_problems() -> list[str]:
    problems = []
    if not shutil.which("java"):
        problems.append("Java is missing (apt-get install default-jre-headless)")
    if not VNU.exists():
        problems.append(f"{VNU.relative_to(ROOT)} is missing (npm ci)")
    return problems


def _redis_problems() -> list[str]:
    problem = redis_problem()
    return [problem] if problem else []


def _flite_problems() -> list[str]:
    return [] if shutil.which("flite") else ["flite is missing (apt-get install flite)"]


def _cairo_problems() -> list[str]:
    if ctypes.util.find_library("cairo"):
        return []
    return ["the cairo library is missing (apt-get install libcairo2)"]


# What each marker needs; the README's table says the same.
NEEDS = {
    "browser": _browser_problems,
    "html": _html_problems,
    "redis": _redis_problems,
    "server": _redis_problems,
    "flite": _flite_problems,
    "cairo": _cairo_problems,
}


def missing_for(markers: set[str]) -> list[str]:
    """The reasons a test with these markers cannot run here (empty: it can)."""
    return [
        problem
        for marker in sorted(markers & NEEDS.keys())
        for problem in NEEDS[marker]()
    ]
