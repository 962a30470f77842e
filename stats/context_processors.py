from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from stats import counters
from stats.selectors import footer_links


def footer(request: HttpRequest) -> dict[str, Any]:
    """Counters and links for the footer, computed only when a template uses them
    (admin pages never do), from the cache: at most one query per page."""
    return {
        "visitor_counts": SimpleLazyObject(counters.default_counter.counts),
        "footer_links": SimpleLazyObject(footer_links),
    }
