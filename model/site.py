"""Everything the site knows, loaded and validated once: the one object every part reads."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from .associations import Association, load_associations
from .charter import Brand, load_brand
from .communes import Commune, CommuneReference, load_reference
from .errors import Collector, DataError, Problem
from .partners import Partner, load_partners
from .services import Service, load_services
from .settings import Settings, load_settings
from .shapes import Shapes, load_shapes


@dataclass(frozen=True)
class SiteData:
    root: Path
    settings: Settings
    services: dict[str, Service]
    reference: CommuneReference
    associations: tuple[Association, ...]
    partners: tuple[Partner, ...] = ()
    brand: Brand | None = None
    shapes: Shapes | None = None  # the communes' contours, for the map
    warnings: tuple[Problem, ...] = ()
    # Details never or long ago confirmed (model/associations.py): make check lists them, the build does not.
    freshness: tuple[Problem, ...] = ()
    _serving: dict[str, tuple[Association, ...]] = field(default_factory=dict, repr=False)
    _offering: dict[str, tuple[Association, ...]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        serving: dict[str, list[Association]] = {}
        for association in self.associations:
            for insee in association.zone:
                serving.setdefault(insee, []).append(association)
        self._serving.update({k: tuple(v) for k, v in serving.items()})

    def association(self, ident: str) -> Association | None:
        return next((a for a in self.associations if a.id == ident), None)

    def serving(self, insee: str) -> tuple[Association, ...]:
        """The AI(s) whose zone contains this commune — routing is by commune, not distance."""
        return self._serving.get(insee, ())

    def uncovered(self) -> list[Commune]:
        return [c for c in self.reference.communes.values() if c.insee not in self._serving]

    def associations_in(self, departement: str) -> tuple[Association, ...]:
        """AIs with an office in, or serving communes of, a département; A–Z."""
        found = [a for a in self.associations if departement in a.departements]
        return tuple(sorted(found, key=lambda a: a.name))

    def offering(self, service_id: str) -> tuple[Association, ...]:
        """The AIs offering a service; asked by every commune page, so worked out once."""
        if service_id not in self._offering:
            self._offering[service_id] = tuple(a for a in self.associations if a.offers(service_id))
        return self._offering[service_id]


def data_paths(root: Path) -> dict[str, Path]:
    data = root / "data"
    return {name: data / filename for name, filename in (
        ("settings", "settings.yaml"), ("services", "services.yaml"),
        ("associations", "associations.yaml"), ("partners", "partners.yaml"),
        ("brand", "brand.yaml"), ("communes", "communes.json"))}


def load_site(root: Path, today: datetime.date | None = None) -> SiteData:
    """Load and validate all data under ``root/data``; raise DataError listing every problem.

    ``today`` (the real date in Paris by default) is the day dates are judged against: none in the future, the
    associations' details confirmed within six months."""
    root = Path(root).resolve()
    paths = data_paths(root)
    collectors = {name: Collector(str(path.relative_to(root))) for name, path in paths.items()}
    settings = load_settings(paths["settings"], collectors["settings"])
    services = load_services(paths["services"], collectors["services"])
    reference = load_reference(paths["communes"])
    freshness = Collector(collectors["associations"].path)
    associations = load_associations(paths["associations"], reference, services,
                                     collectors["associations"], today, freshness)
    partners = load_partners(paths["partners"], collectors["partners"])
    brand = None
    if settings is not None and paths["brand"].exists():  # the charter is optional in test data
        brand = load_brand(root, settings.site_name, collectors["brand"])
    shapes, shape_problems = load_shapes(root, reference)  # every commune has exactly one shape
    problems = [p for c in collectors.values() for p in c.problems] + shape_problems
    errors = [p for p in problems if not p.warning]
    if errors or settings is None:
        raise DataError(errors)
    site = SiteData(root=root, settings=settings, services=services, reference=reference,
                    associations=tuple(associations), partners=partners, brand=brand, shapes=shapes,
                    warnings=tuple(p for p in problems if p.warning), freshness=tuple(freshness.problems))
    return site
