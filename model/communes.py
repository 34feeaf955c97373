"""The official reference of communes, EPCI and départements (INSEE COG).

Loaded from ``data/communes.json``, which ``scripts/update_communes.py`` regenerates. Each commune
carries a point, its town hall: how far an association's office is from it helps a household
choose between two associations serving the same commune (routing stays by commune).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from rules.geography import distance_km
from rules.typography import fold, slugify


@dataclass(frozen=True, slots=True)
class Departement:
    code: str
    name: str
    bounds: tuple[float, float, float, float]  # south, west, north, east

    @property
    def slug(self) -> str:
        return f"{self.code}-{slugify(self.name)}"

    @property
    def url(self) -> str:
        return f"departement/{self.slug}/"

    def contains(self, latitude: float, longitude: float) -> bool:
        south, west, north, east = self.bounds
        return south <= latitude <= north and west <= longitude <= east


@dataclass(frozen=True, slots=True)
class FormerCommune:
    """A commune déléguée or associée, kept so people find theirs by its old name."""

    insee: str
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class Epci:
    siren: str
    name: str
    kind: str
    communes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Commune:
    insee: str
    name: str
    departement: str
    postal_codes: tuple[str, ...]
    population: int
    epci: str | None
    former: tuple[FormerCommune, ...] = ()
    latitude: float | None = None  # the town hall
    longitude: float | None = None

    @property
    def slug(self) -> str:
        # The INSEE code makes homonyms distinct (Saint-Sauveur exists in 24 and 33).
        return f"{self.insee}-{slugify(self.name)}"

    @property
    def url(self) -> str:
        return f"commune/{self.slug}/"

    @property
    def sort_key(self) -> str:
        return fold(self.name)

    def distance_km(self, latitude: float, longitude: float) -> float | None:
        """As the crow flies, from the town hall to a point; None when the commune has no point."""
        if self.latitude is None or self.longitude is None:
            return None
        return distance_km(self.latitude, self.longitude, latitude, longitude)


@dataclass(frozen=True)
class CommuneReference:
    source: str
    licence: str
    vintage: str
    departements: dict[str, Departement]
    epcis: dict[str, Epci]
    communes: dict[str, Commune]
    _by_departement: dict[str, tuple[Commune, ...]] = field(default_factory=dict, repr=False)
    _by_postal_code: dict[str, tuple[Commune, ...]] = field(default_factory=dict, repr=False)

    def in_departement(self, code: str) -> tuple[Commune, ...]:
        """Communes of a département, A–Z ignoring accents."""
        if code not in self._by_departement:
            found = [c for c in self.communes.values() if c.departement == code]
            self._by_departement[code] = tuple(sorted(found, key=lambda c: (c.sort_key, c.insee)))
        return self._by_departement[code]

    def with_postal_code(self, code: str) -> tuple[Commune, ...]:
        """Communes whose postal codes include ``code``, A–Z: what an editor may have meant by it."""
        if not self._by_postal_code:
            found: dict[str, list[Commune]] = {}
            for commune in self.communes.values():
                for postal in commune.postal_codes:
                    found.setdefault(postal, []).append(commune)
            self._by_postal_code.update({k: tuple(sorted(v, key=lambda c: (c.sort_key, c.insee)))
                                         for k, v in found.items()})
        return self._by_postal_code.get(code, ())


def load_reference(path: Path) -> CommuneReference:
    """The committed reference; a damaged file is reported in French (regenerate it, do not edit it)."""
    try:
        raw = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        from .errors import DataError, Problem
        raise DataError([Problem(path.parent.name + "/" + path.name, 0,
                                 f"le référentiel des communes est illisible ({exc.__class__.__name__}) ; "
                                 "régénérez-le avec « python scripts/update_communes.py » au lieu de le "
                                 "modifier à la main.")]) from exc
    return CommuneReference(
        source=raw["source"],
        licence=raw["licence"],
        vintage=raw["vintage"],
        departements={d["code"]: Departement(d["code"], d["name"], tuple(d["bounds"]))
                      for d in raw["departements"]},
        epcis={e["siren"]: Epci(e["siren"], e["name"], e["kind"], tuple(e["communes"]))
               for e in raw["epci"]},
        communes={c["insee"]: Commune(
            insee=c["insee"], name=c["name"], departement=c["departement"],
            postal_codes=tuple(c["postal_codes"]), population=c["population"], epci=c["epci"],
            former=tuple(FormerCommune(f["insee"], f["name"], f["kind"]) for f in c["former"]),
            latitude=c.get("latitude"), longitude=c.get("longitude"),
        ) for c in raw["communes"]},
    )
