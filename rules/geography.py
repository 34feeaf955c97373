"""Distances on the map, as the crow flies: the site's « near you » lists and the cell's re-routing both rank by
them, and the Lambda package has no room for numpy (which the ``haversine`` package pulls in)."""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0088   # the mean radius (IUGG), as the haversine package uses


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance between two points in degrees (haversine formula)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))
