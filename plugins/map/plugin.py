"""Pelican side of the map: ``MAPS`` for the templates and the /carte/ page.

Templates call ``MAPS.region()``, ``MAPS.departement(departement, associations)`` or
``MAPS.association(association)`` and get a ``MapParts`` to place in the page.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from .builder import MapParts, MapSpec, make_map, union

logger = logging.getLogger(__name__)

MAP_URL = "carte/"
SCRIPT_NAME = "carte.js"
TILE_PATH = "/{z}/{x}/{y}.png"


def tiles_template(setting: str, default: str) -> str:
    """Leaflet's tile URL from ``TILES_URL``: a full template, or just the server (as the CSP and
    publishconf.py give it: ``https://tile.openstreetmap.org``); empty → data/settings.yaml."""
    if not setting:
        return default
    return setting if "{z}" in setting else setting.rstrip("/") + TILE_PATH


class MapMaker:
    """Draws the maps on demand, with the site's settings read when a page asks (not at start-up)."""

    def __init__(self, settings: dict):
        self._settings = settings
        self.seconds = 0.0  # time spent building maps, for the build log and the benchmark

    @property
    def site(self):
        return self._settings["SITE_DATA"]

    def _make(self, spec: MapSpec, page_url: str) -> MapParts:
        """Render a map and publish its script beside the page (``<page>/carte.js``)."""
        started = time.perf_counter()
        siteurl = self._settings.get("SITEURL", "")
        tiles = tiles_template(self._settings.get("TILES_URL", ""), self.site.settings.tiles_url)
        parts = make_map(spec, tiles=tiles, attribution=self.site.settings.tiles_attribution,
                         siteurl=siteurl)
        path = Path(self._settings["OUTPUT_PATH"]) / page_url / SCRIPT_NAME
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(parts.script + "\n", "utf-8")
        self.seconds += time.perf_counter() - started
        return dataclasses.replace(parts, script_url=f"{siteurl}/{page_url}{SCRIPT_NAME}")

    def region(self, page_url: str = MAP_URL) -> MapParts:
        """Every AI office, clustered, framed on the five départements."""
        boxes = [d.bounds for d in self.site.reference.departements.values()]
        return self._make(MapSpec("carte", self.site.associations, bounds=union(boxes), cluster=True),
                          page_url)

    def departement(self, departement, associations) -> MapParts:
        """The offices of the AIs working in a département (some sit next door)."""
        points = [(a.latitude, a.longitude) for a in associations]
        return self._make(MapSpec(f"dep_{departement.code}", tuple(associations), small=True,
                                  bounds=union([departement.bounds], points)), departement.url)

    def association(self, association) -> MapParts:
        """One office, close up."""
        return self._make(MapSpec("ai", (association,), zoom=13, small=True), association.url)


def groups_by_departement(site) -> list[tuple[object, list]]:
    """AIs under the département of their office, for the text list under the big map."""
    return [(d, sorted((a for a in site.associations if a.commune.departement == d.code),
                       key=lambda a: a.name))
            for d in site.reference.departements.values()]


class MapPageGenerator(Generator):
    """Writes /carte/ from theme/templates/map.html."""

    def generate_output(self, writer) -> None:
        maker = self.context["MAPS"]
        writer.write_file(MAP_URL + "index.html", self.get_template("map"), self.context,
                          url=MAP_URL, page_url=MAP_URL,
                          groups=groups_by_departement(self.context["SITE_DATA"]))
        logger.info("Map: /%s written; %.2f s spent building maps so far", MAP_URL, maker.seconds)


def add_maker(pelican) -> None:
    pelican.settings["MAPS"] = MapMaker(pelican.settings)


def get_generators(pelican):
    return MapPageGenerator


def register() -> None:
    signals.initialized.connect(add_maker)
    signals.get_generators.connect(get_generators)
