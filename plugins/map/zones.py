"""Who serves which commune, per département, as static files the maps fetch beside the shapes.

The zones used to be written into each map's script: /carte/'s script carried every commune's code
(France: 35,000 codes, most of an 83 KB gzipped script). One file per département, shared by every map
that shows it, and named after its content: a map's script names the files, and a browser that has
the file for one page has it for the next.

Each file: ``{"ais": [[id, colour], …], "zones": ["33001 33002 …", …]}``, the AIs (ids in order)
serving communes of the département and, for each, those communes. The overview of a département
(``overview.py``, /carte/ only) is published here too, as it is made from the same zones.
"""

from __future__ import annotations

import hashlib
import json

from model.digest import digest

from .overview import overview_bytes
from .shapes import FOLDER


def departement_zones(site, departement: str, colours: dict[str, int]) -> dict:
    """The zone file of one département (see the module)."""
    zone_of: dict[str, list[str]] = {}
    for commune in sorted(c.insee for c in site.reference.in_departement(departement)):
        for ai in site.serving(commune):
            zone_of.setdefault(ai.id, []).append(commune)
    ids = sorted(zone_of)
    return {"ais": [[ident, colours[ident]] for ident in ids], "zones": [" ".join(zone_of[i]) for i in ids]}


def _named(prefix: str, departement: str, data: bytes) -> str:
    return f"{FOLDER}{prefix}-{departement}.{hashlib.sha256(data).hexdigest()[:8]}.json"


class ZonePublisher:
    """Publishes each département's zone file and overview once per build (an unchanged file is
    left as it is by the build's output files) and returns their URLs."""

    def __init__(self, site, shapes, files, siteurl: str, colours: dict[str, int],
                 known: dict | None = None, code: str = ""):
        """``known``: the last build's overviews (key → file), kept when their inputs are the same;
        ``code``: the digest of the build's code, part of that key. ``made`` is this build's, to remember."""
        self._site = site
        self._shapes = shapes
        self._files = files
        self._siteurl = siteurl
        self._colours = colours
        self._zones: dict[str, tuple[str, dict]] = {}
        self._overviews: dict[str, str] = {}
        self._known = known or {}
        self._code = code
        self.made: dict[str, str] = {}

    def _zone_file(self, departement: str) -> tuple[str, dict]:
        if departement not in self._zones:
            value = departement_zones(self._site, departement, self._colours)
            data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
            rel = _named("zones", departement, data)
            self._files.write(rel, data)
            self._zones[departement] = (rel, value)
        return self._zones[departement]

    def zones_url(self, departement: str) -> str:
        return f"{self._siteurl}/{self._zone_file(departement)[0]}"

    def overview_url(self, departement: str) -> str:
        rel = self._overviews.get(departement)
        if rel is None:
            zones_rel, value = self._zone_file(departement)
            # The overview is made from the shapes and the zones (colours included) alone, both named after
            # their content: the same names, the same overview (a no-change build parses no shape file).
            key = digest(self._code, self._shapes.files[departement].path.name, zones_rel,
                         hashlib.sha256(self._shapes.files[departement].path.read_bytes()).hexdigest())
            known = self._known.get(key)
            if isinstance(known, str) and self._files.keep(known):
                self._overviews[departement] = self.made[key] = known
                return f"{self._siteurl}/{known}"
            zone_of: dict[str, list[str]] = {}
            for ident, codes in zip((i for i, _ in value["ais"]), value["zones"]):
                for insee in codes.split(" "):
                    zone_of.setdefault(insee, []).append(ident)
            source = self._shapes.files[departement].path.read_bytes()
            data = overview_bytes(source, {k: " ".join(v) for k, v in zone_of.items()}, self._colours)
            rel = _named("apercu", departement, data)
            self._files.write(rel, data)
            self._overviews[departement] = self.made[key] = rel
        return f"{self._siteurl}/{rel}"
