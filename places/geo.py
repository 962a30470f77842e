"""Distances and boxes on the WGS84 sphere, and the province's bounds."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)
METRES_PER_DEGREE_LAT = math.pi * EARTH_RADIUS_M / 180


@dataclass(frozen=True)
class Box:
    south: float
    west: float
    north: float
    east: float

    def contains(self, lat: float, long: float) -> bool:
        return self.south <= lat <= self.north and self.west <= long <= self.east


def province_boxes() -> list[Box]:
    return [Box(*box) for box in settings.PORTAL_BOUNDS]


def in_province(lat: float | Decimal, long: float | Decimal) -> bool:
    """Whether the point lies in one of the province's boxes (PORTAL_BOUNDS)."""
    return any(box.contains(float(lat), float(long)) for box in province_boxes())


def haversine_m(lat1: float, long1: float, lat2: float, long2: float) -> float:
    """Great-circle distance in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(long2 - long1)
    a = (
        math.sin(dphi / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def box_around(lat: float, long: float, radius_m: float) -> Box:
    """The smallest lat/long box holding every point within ``radius_m``.

    A slight over-estimate (never under), so the box is a safe prefilter for
    haversine_m(); the province lies far from the poles and the antimeridian.
    """
    dlat = radius_m / METRES_PER_DEGREE_LAT
    dlong = radius_m / (METRES_PER_DEGREE_LAT * max(math.cos(math.radians(lat)), 1e-6))
    margin = 1.0001
    return Box(
        south=lat - dlat * margin,
        west=long - dlong * margin,
        north=lat + dlat * margin,
        east=long + dlong * margin,
    )


def describe(lat: float | Decimal, long: float | Decimal) -> str:
    """The point as people read it: "vĩ độ 11,56450° Bắc, kinh độ 108,98810° Đông"."""
    return _("vĩ độ %(lat)s° Bắc, kinh độ %(long)s° Đông") % {
        "lat": f"{float(lat):.5f}".replace(".", ","),
        "long": f"{float(long):.5f}".replace(".", ","),
    }
