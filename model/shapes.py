"""The shapes of the communes (``data/shapes/communes-<département>.topojson``), one file per département.

``scripts/update_shapes.py`` regenerates them from IGN ADMIN EXPRESS; the site publishes them as
they are and the map draws them in the browser. Here they are only read and checked: every
commune of the reference has exactly one shape, in the file of its département, and every shape
belongs to a commune of the reference.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable

from .communes import CommuneReference
from .errors import Collector, Problem

logger = logging.getLogger(__name__)

SHAPES_DIR = Path("data/shapes")
REGENERATE = ("régénérez les contours avec « .venv/bin/python scripts/update_shapes.py » "
              "(voir le README) au lieu de modifier le fichier à la main")
METADATA = ("source", "licence", "vintage")


def shape_file_name(departement: str) -> str:
    return f"communes-{departement}.topojson"


@dataclass(frozen=True)
class ShapeFile:
    """The shapes of one département's communes, as a TopoJSON topology on the region's grid."""

    departement: str
    path: Path
    source: str
    licence: str
    vintage: str
    arcs_of: dict[str, tuple[int, ...]] = field(repr=False)  # INSEE code → arcs of its rings
    arcs: tuple[list[list[int]], ...] = field(repr=False)  # delta-encoded [x, y] positions on the grid, as in the file
    transform: tuple[tuple[float, float], tuple[float, float]] = ((1.0, 1.0), (0.0, 0.0))  # scale, translate

    @property
    def communes(self) -> tuple[str, ...]:
        return tuple(self.arcs_of)

    def ends(self, arc: int) -> tuple[tuple[int, int], tuple[int, int]]:
        """First and last grid positions of an arc (its positions are deltas after the first)."""
        points = self.arcs[arc]
        return (points[0][0], points[0][1]), (sum(p[0] for p in points), sum(p[1] for p in points))

    @cached_property
    def _arc_boxes(self) -> tuple[tuple[int, int, int, int], ...]:
        boxes = []
        for points in self.arcs:
            x = y = 0
            xs, ys = [], []
            for dx, dy in points:
                x, y = x + dx, y + dy
                xs.append(x)
                ys.append(y)
            boxes.append((min(xs), min(ys), max(xs), max(ys)))
        return tuple(boxes)

    def bounds(self, communes: Iterable[str]) -> tuple[float, float, float, float] | None:
        """(south, west, north, east) in degrees around these communes' shapes; None if none is here."""
        boxes = [self._arc_boxes[arc] for insee in communes if insee in self.arcs_of
                 for arc in self.arcs_of[insee]]
        if not boxes:
            return None
        (kx, ky), (tx, ty) = self.transform
        return (round(min(b[1] for b in boxes) * ky + ty, 5), round(min(b[0] for b in boxes) * kx + tx, 5),
                round(max(b[3] for b in boxes) * ky + ty, 5), round(max(b[2] for b in boxes) * kx + tx, 5))


@dataclass(frozen=True)
class Shapes:
    files: dict[str, ShapeFile]  # by département code

    @property
    def attribution(self) -> str:
        """The credit Licence Ouverte asks for, short enough for a phone's map: source and vintage
        (all files share them; the licence is named on the legal notice page)."""
        first = next(iter(self.files.values()))
        return f"Communes\u00a0: IGN, ADMIN EXPRESS {first.vintage}"

    @cached_property
    def neighbours(self) -> dict[str, frozenset[str]]:
        """Communes that touch, by INSEE code: they share the end of a border line.

        Every file uses the same grid, so two communes on either side of a département border
        share the same positions although they live in two files.
        """
        at: dict[tuple[int, int], set[str]] = {}
        for shape_file in self.files.values():
            for insee, arcs in shape_file.arcs_of.items():
                for arc in arcs:
                    for end in shape_file.ends(arc):
                        at.setdefault(end, set()).add(insee)
        found: dict[str, set[str]] = {}
        for communes in at.values():
            for insee in communes:
                found.setdefault(insee, set()).update(communes - {insee})
        return {insee: frozenset(others) for insee, others in found.items()}

    @cached_property
    def _file_of(self) -> dict[str, ShapeFile]:
        """INSEE code → the file holding its shape."""
        return {insee: shape_file for shape_file in self.files.values() for insee in shape_file.arcs_of}

    def bounds(self, communes: Iterable[str]) -> tuple[float, float, float, float] | None:
        """(south, west, north, east) around these communes, whatever their département."""
        by_file: dict[str, list[str]] = {}  # each file is asked for its own communes only (France: 80 files)
        for insee in communes:
            shape_file = self._file_of.get(insee)
            if shape_file is not None:
                by_file.setdefault(shape_file.departement, []).append(insee)
        boxes = [b for code, found in by_file.items() if (b := self.files[code].bounds(found))]
        if not boxes:
            return None
        return (min(b[0] for b in boxes), min(b[1] for b in boxes),
                max(b[2] for b in boxes), max(b[3] for b in boxes))


def _arc_indices(geometry: dict[str, Any]) -> list[int]:
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    return [ref if ref >= 0 else ~ref for polygon in polygons for ring in polygon for ref in ring]


def _line_of(text: str, insee: str) -> int:
    """Line of a commune's shape in the file (the generator writes one shape per line)."""
    offset = text.find(f'"id":"{insee}"')
    return text.count("\n", 0, offset) + 1 if offset >= 0 else 0


def _load_file(root: Path, code: str, reference: CommuneReference,
               collector: Collector) -> ShapeFile | None:
    path = root / SHAPES_DIR / shape_file_name(code)
    try:
        text = path.read_text("utf-8")
        raw = json.loads(text)
    except FileNotFoundError:
        collector.error(0, f"les contours des communes de ce département manquent ; {REGENERATE}.")
        return None
    except (OSError, ValueError) as exc:
        collector.error(0, f"le fichier des contours est illisible ({exc.__class__.__name__}) ; {REGENERATE}.")
        return None
    try:
        metadata = raw["metadata"]
        geometries = raw["objects"]["communes"]["geometries"]
        arcs = raw["arcs"]
        missing = [key for key in METADATA if not isinstance(metadata.get(key), str)]
        if raw["type"] != "Topology" or "transform" not in raw or missing:
            raise KeyError(missing)
        arcs_of, broken = {}, set()
        for geometry in geometries:
            if geometry["type"] not in ("Polygon", "MultiPolygon") or not isinstance(geometry.get("id"), str):
                raise KeyError("geometry")
            insee = geometry["id"]
            indices = _arc_indices(geometry)
            if insee in arcs_of:
                collector.error(_line_of(text, insee), f"la commune {insee} a deux contours ; {REGENERATE}.")
            if not indices or max(indices) >= len(arcs):
                collector.error(_line_of(text, insee), f"le contour de la commune {insee} renvoie à des "
                                                       f"traits absents du fichier ; {REGENERATE}.")
                broken.add(insee)
                continue
            arcs_of[insee] = tuple(indices)
    except (KeyError, TypeError, AttributeError, IndexError):
        collector.error(0, "ce fichier n'est pas une topologie TopoJSON des communes (type, metadata, "
                           f"transform, objects.communes, arcs) ; {REGENERATE}.")
        return None
    expected = {c.insee for c in reference.in_departement(code)}
    for insee in sorted(arcs_of.keys() - expected):
        commune = reference.communes.get(insee)
        where = (f"appartient à un autre département ({commune.name}, {commune.departement})" if commune
                 else "n'existe pas dans le référentiel data/communes.json")
        collector.error(_line_of(text, insee), f"le contour de la commune {insee} {where} ; {REGENERATE}.")
    for insee in sorted(expected - arcs_of.keys() - broken):
        collector.error(0, f"la commune {insee} ({reference.communes[insee].name}) n'a pas de contour ; "
                           f"{REGENERATE}.")
    transform = raw["transform"]
    return ShapeFile(code, path, metadata["source"], metadata["licence"], metadata["vintage"],
                     arcs_of, tuple(arcs), (tuple(transform["scale"]), tuple(transform["translate"])))


def load_shapes(root: Path, reference: CommuneReference) -> tuple[Shapes | None, list[Problem]]:
    """Read and check every département's shapes; (Shapes or None, problems found)."""
    files: dict[str, ShapeFile] = {}
    problems: list[Problem] = []
    for code in reference.departements:
        collector = Collector((SHAPES_DIR / shape_file_name(code)).as_posix())
        shape_file = _load_file(root, code, reference, collector)
        problems += collector.problems
        if shape_file is not None:
            files[code] = shape_file
    if problems or not files:
        return None, problems
    return Shapes(files), problems
