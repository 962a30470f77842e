from __future__ import annotations

import json
from typing import Any

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def map_config() -> dict[str, Any]:
    """What the map scripts need, for data- attributes (no inline script: CSP)."""
    return {
        "tile_url": settings.MAP_TILE_URL,
        "attribution": settings.MAP_ATTRIBUTION,
        "bounds": json.dumps(settings.PORTAL_BOUNDS),
        "radius": settings.NEARBY_RADIUS_M,
    }
