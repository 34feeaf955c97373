"""A project root with synthetic data at any scale, made from the real one, for the benchmarks and the tests.

The five départements are copied ``copies`` times side by side: each copy gets département codes of its
own (unused ones), INSEE codes, postcodes and intercommunality codes that follow, the same commune
names, town halls and shapes moved to its place on a 4-column grid (whole steps of the shapes' grid, so
two copies never share a border point), and a copy of every association with its office and zone.
Sixteen copies are the size of France: 35,648 communes and 512 associations (about 37,300 pages).
``communes`` keeps at most that many communes per département (plus the offices), for a quick
scaled-down site. Settings, services, partners and the charter are the real ones; the content stays in
``content/`` (build with ``-e DATA_ROOT='"<root>"'``).

The data is read through the data model (``model``), the one reader of ``data/``, and written back in
the files' own formats.

Usage::

    .venv/bin/python scripts/synthetic_site.py TARGET [--copies 16] [--communes N]
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import sys
from pathlib import Path

import yaml

from model import load_site
from model.shapes import SHAPES_DIR, shape_file_name

ROOT = Path(__file__).resolve().parent.parent

logger = logging.getLogger(__name__)

FRANCE_COPIES = 16  # 16 × 2,228 communes = 35,648: the communes of France
COLUMNS = 4  # copies per row of the grid
STEP = (3.5, 3.2)  # degrees between copies (longitude, latitude): the five départements span 3.3° × 3.0°
SHARED_FILES = ("settings.yaml", "services.yaml", "brand.yaml", "partners.yaml")
RESERVED_CODES = {"20"}  # Corsica's old code, split into 2A and 2B


def departement_codes(originals: list[str], copies: int) -> dict[tuple[int, str], str]:
    """(copy, original code) → the code of the département in that copy; copy 0 keeps the real codes."""
    free = iter(f"{n:02d}" for n in range(1, 96) if f"{n:02d}" not in set(originals) | RESERVED_CODES)
    codes = {(0, code): code for code in originals}
    try:
        for copy in range(1, copies):
            for code in originals:
                codes[copy, code] = next(free)
    except StopIteration:
        raise SystemExit(f"{copies} copies need more département codes than France has") from None
    return codes


class Copy:
    """How one copy renames and moves the real data."""

    def __init__(self, number: int, codes: dict[tuple[int, str], str], grid_scale: tuple[float, float]):
        self.number = number
        self._codes = codes
        row, column = divmod(number, COLUMNS)
        # Whole steps of the shapes' grid, so the copies' shapes never share a point.
        self.grid = (round(column * STEP[0] / grid_scale[0]), round(row * STEP[1] / grid_scale[1]))
        self.dlon, self.dlat = self.grid[0] * grid_scale[0], self.grid[1] * grid_scale[1]

    def departement(self, code: str) -> str:
        return self._codes[self.number, code]

    def insee(self, code: str) -> str:
        return self.departement(code[:2]) + code[2:]

    def postcode(self, code: str) -> str:
        return self.departement(code[:2]) + code[2:] if self.number else code

    def siren(self, siren: str) -> str:
        return siren if not self.number else f"9{self.number:02d}{siren[3:]}"

    def ident(self, ident: str) -> str:
        return ident if not self.number else f"{ident}-{self.number + 1}"

    def name(self, name: str) -> str:
        return name if not self.number else f"{name} {self.number + 1}"

    def latitude(self, value: float | None) -> float | None:
        return None if value is None else round(value + self.dlat, 5)

    def longitude(self, value: float | None) -> float | None:
        return None if value is None else round(value + self.dlon, 5)


def kept_communes(site, limit: int | None) -> set[str]:
    """Every commune, or at most ``limit`` per département plus the offices and a few communes of each zone."""
    reference = site.reference
    if limit is None:
        return set(reference.communes)
    kept = {a.commune.insee for a in site.associations}
    for association in site.associations:
        kept.update(sorted(association.zone)[:3])
    for code in reference.departements:
        kept.update(c.insee for c in reference.in_departement(code)[:limit])
    return kept


def make_synthetic_root(target: Path, copies: int = FRANCE_COPIES, communes: int | None = None) -> Path:
    """Write a project root under ``target`` (data/, fonts) and return it."""
    site = load_site(ROOT)
    reference = site.reference
    originals = list(reference.departements)
    codes = departement_codes(originals, copies)
    first_shapes = site.shapes.files[originals[0]]
    scale = first_shapes.transform[0]
    plan = [Copy(n, codes, scale) for n in range(copies)]
    kept = kept_communes(site, communes)

    data = target / "data"
    (data / "shapes").mkdir(parents=True, exist_ok=True)
    for name in SHARED_FILES:
        shutil.copy(ROOT / "data" / name, data / name)
    fonts = ROOT / "theme" / "static" / "fonts"  # the charter names its fonts: the model checks they exist
    shutil.copytree(fonts, target / "theme" / "static" / "fonts", dirs_exist_ok=True)
    (target / "content").mkdir(exist_ok=True)

    _write_communes(data / "communes.json", reference, plan, kept)
    for code in originals:
        raw = json.loads(site.shapes.files[code].path.read_text("utf-8"))
        for copy in plan:
            _write_shapes(data / SHAPES_DIR.name / shape_file_name(copy.departement(code)), raw, copy, kept)
    _write_associations(data / "associations.yaml", site.associations, reference, plan, kept)
    logger.info("Synthetic root %s: %d copies, %d communes, %d associations", target, copies,
                len(kept) * copies, len(site.associations) * copies)
    return target


def _write_communes(path: Path, reference, plan: list[Copy], kept: set[str]) -> None:
    departements, epcis, communes = [], [], []
    for copy in plan:
        for code, departement in reference.departements.items():
            south, west, north, east = departement.bounds
            departements.append({"code": copy.departement(code), "name": copy.name(departement.name),
                                 "bounds": [copy.latitude(south), copy.longitude(west),
                                            copy.latitude(north), copy.longitude(east)]})
        for epci in reference.epcis.values():
            members = [copy.insee(c) for c in epci.communes if c in kept]
            if members:
                epcis.append({"siren": copy.siren(epci.siren), "name": copy.name(epci.name), "kind": epci.kind,
                              "communes": members})
        for commune in reference.communes.values():
            if commune.insee not in kept:
                continue
            communes.append({
                "insee": copy.insee(commune.insee), "name": commune.name,
                "departement": copy.departement(commune.departement),
                "postal_codes": [copy.postcode(p) for p in commune.postal_codes],
                "population": commune.population,
                "epci": copy.siren(commune.epci) if commune.epci else None,
                "former": [{"insee": copy.insee(f.insee), "name": f.name, "kind": f.kind} for f in commune.former],
                "latitude": copy.latitude(commune.latitude), "longitude": copy.longitude(commune.longitude),
            })
    document = {"source": reference.source + " (données synthétiques : scripts/synthetic_site.py)",
                "licence": reference.licence, "vintage": reference.vintage, "departements": departements,
                "epci": epcis, "communes": communes}
    path.write_text(json.dumps(document, ensure_ascii=False, indent=0), "utf-8")


def _write_shapes(path: Path, raw: dict, copy: Copy, kept: set[str]) -> None:
    """The département's topology with its communes renamed, moved by whole grid steps (the first point
    of each arc: the others are steps from it), and only the communes kept."""
    dx, dy = copy.grid
    geometries = [{**g, "id": copy.insee(g["id"])} for g in raw["objects"]["communes"]["geometries"]
                  if g["id"] in kept]
    arcs = [[[arc[0][0] + dx, arc[0][1] + dy], *arc[1:]] for arc in raw["arcs"]]
    metadata = {**raw["metadata"], "departement": copy.departement(raw["metadata"].get("departement", "")[:2])}
    topology = {"type": "Topology", "metadata": metadata, "transform": raw["transform"],
                "objects": {"communes": {"type": "GeometryCollection", "geometries": geometries}}, "arcs": arcs}
    # One shape per line, as scripts/update_shapes.py writes them (the model's messages give lines).
    text = json.dumps(topology, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text.replace('},{"type"', '},\n{"type"'), "utf-8")


def zone_spec(zone: set[str], reference, kept: set[str]) -> dict[str, list[str]]:
    """A zone written as editors write it: the intercommunalities it covers whole, then single communes."""
    epcis, covered = [], set()
    for epci in reference.epcis.values():
        members = {c for c in epci.communes if c in kept}
        if members and members <= zone:
            epcis.append(epci.siren)
            covered |= members
    spec = {"epci": sorted(epcis), "communes": sorted(zone - covered)}
    return {key: value for key, value in spec.items() if value}


def _write_associations(path: Path, associations, reference, plan: list[Copy], kept: set[str]) -> None:
    entries = []
    for ai in associations:
        zone = {c for c in ai.zone if c in kept} or {ai.commune.insee}
        ai_spec = zone_spec(zone, reference, kept)
        for copy in plan:
            spec = {"epci": [copy.siren(s) for s in ai_spec.get("epci", [])],
                    "communes": [copy.insee(c) for c in ai_spec.get("communes", [])]}
            entry = {
                "id": copy.ident(ai.id), "name": copy.name(ai.name), "address": ai.address,
                "postal_code": copy.postcode(ai.postal_code), "commune": copy.insee(ai.commune.insee),
                "phone": str(ai.phone), "email": ai.email, "contact": ai.contact, "hours": ai.hours,
                "latitude": copy.latitude(ai.latitude), "longitude": copy.longitude(ai.longitude),
                "services": [s.id for s in ai.services], "zone": {k: v for k, v in spec.items() if v},
            }
            if ai.website:
                entry["website"] = ai.website
            if ai.charter_signed:
                entry["charter_signed"] = ai.charter_signed
            entries.append((copy.number, entry))
    entries = [entry for _, entry in sorted(entries, key=lambda item: item[0])]
    header = "# Données synthétiques (scripts/synthetic_site.py) : copies des associations d'exemple.\n"
    path.write_text(header + yaml.safe_dump({"associations": entries}, allow_unicode=True, sort_keys=False,
                                            width=120), "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--copies", type=int, default=FRANCE_COPIES)
    parser.add_argument("--communes", type=int, default=None, help="at most this many communes per département")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    make_synthetic_root(args.target, args.copies, args.communes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
