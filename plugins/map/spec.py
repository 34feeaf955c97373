"""What a map shows and what a rendered map is made of: plain types, without folium (imported only when a
map is actually built: a build whose maps did not change never loads it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

Bounds = tuple[float, float, float, float]  # south, west, north, east, as in the data model


class MapError(Exception):
    """A map would break a house rule (e.g. load a file from a CDN)."""


@dataclass(frozen=True)
class MapSpec:
    """What to draw: which AIs, where to look, and how interactive the map is."""

    key: str  # stable name: the map's element id is ``map_<key>``
    associations: Sequence
    bounds: Bounds | None = None  # fit to these; else centre on the first office at ``zoom``
    zoom: int = 13
    cluster: bool = False
    cluster_radius: int = 80  # pixels: offices closer than this share one round button
    small: bool = False  # embedded in a page: no scroll-wheel trap, no one-finger drag on phones

    def drawn(self) -> tuple:
        """What the map's script is made of: the offices' ids, names and places, not their contact
        details (the pop-ups come from the page), so an edited phone number leaves the map as it is."""
        offices = tuple((a.id, a.name, a.latitude, a.longitude) for a in self.associations)
        return (self.key, offices, self.bounds, self.zoom, self.cluster, self.cluster_radius, self.small)


@dataclass(frozen=True)
class MapParts:
    """A rendered map: the assets to link, the container and the script to run after them."""

    styles: tuple[str, ...]
    scripts: tuple[str, ...]
    html: Markup
    script: Markup
    script_url: str = ""  # where the script is published: the site's CSP forbids inline scripts
    popups: Markup = Markup("")  # the pop-ups' texts, for the page (the script reads them there)


def centre_of(bounds: Bounds) -> tuple[float, float]:
    """Where a map framed on ``bounds`` is centred before it is framed."""
    south, west, north, east = bounds
    return round((south + north) / 2, 5), round((west + east) / 2, 5)


def union(boxes: Sequence[Bounds], points: Sequence[tuple[float, float]] = ()) -> Bounds:
    """The smallest box holding every box and point."""
    lats = [b[0] for b in boxes] + [b[2] for b in boxes] + [p[0] for p in points]
    lons = [b[1] for b in boxes] + [b[3] for b in boxes] + [p[1] for p in points]
    return (min(lats), min(lons), max(lats), max(lons))
