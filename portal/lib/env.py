"""Strict readers for environment variables.

Each refuses a malformed value with a message naming the variable, so a typo in a
deployment fails at start-up instead of silently falling back to a default.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0/true/false, not {raw!r}")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from None


def envlist(name: str, default: str = "") -> list[str]:
    raw = os.environ.get(name, default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def envrate(name: str, default: str) -> tuple[int, int]:
    """Parse a rate such as ``10/h`` into (count, seconds); ``0`` means no limit."""
    raw = os.environ.get(name, default).strip()
    if raw == "0":
        return (0, 0)
    periods = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    count, _, period = raw.partition("/")
    if not count.isdigit() or period not in periods:
        raise ImproperlyConfigured(
            f"{name} must look like 10/h (count per s, m, h or d) or 0, not {raw!r}"
        )
    return (int(count), periods[period])


def envboxes(name: str, default: str) -> list[tuple[float, float, float, float]]:
    """Parse "south,west,north,east;..." into boxes of decimal degrees."""
    raw = os.environ.get(name, default).strip()
    boxes = []
    for part in raw.split(";"):
        try:
            south, west, north, east = (float(v) for v in part.split(","))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must look like south,west,north,east[;...], not {raw!r}"
            ) from None
        if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
            raise ImproperlyConfigured(f"{name}: box {part!r} is not a valid area")
        boxes.append((south, west, north, east))
    return boxes


def origin_of(url: str) -> str:
    """'https://tiles.example.vn/{z}/{x}/{y}.png' -> 'https://tiles.example.vn'."""
    # Leaflet's "{s}" subdomains become a CSP wildcard: https://*.tiles.example.vn
    parts = urlsplit(url.replace("{s}", "*"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ImproperlyConfigured(f"Not an http(s) URL: {url!r}")
    return f"{parts.scheme}://{parts.netloc}"
