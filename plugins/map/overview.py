"""The overview of a département for /carte/: its AI zones as a few merged, simplified shapes.

/carte/ shows five départements (France: a hundred) at a zoom where a commune is a few pixels wide:
drawing every commune there means fetching every commune's shape up front (the five files are half
the page's weight). The overview is what that zoom can show — one shape per set of serving AIs, the
borders between them and the département's edge — and each département's communes are fetched
only when the visitor zooms in on it or picks a commune (theme/static/js/territory.js).

Made from the committed TopoJSON file without any geometry library: communes served by the same
AIs are merged by dropping the arcs they share (a TopoJSON arc between two communes of one zone
appears in both), the arcs left are chained back into rings, then thinned (Douglas–Peucker on the
file's grid, ends kept, so neighbouring zones still meet exactly).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

COARSER = 4  # the overview's grid: 4 × 4 steps of the file's (~100 × 130 m)
TOLERANCE = 12  # grid steps of the file (~26 × 33 m): ~350 m, about a pixel just below the detail zoom (9)


def _absolute(points: list[list[int]]) -> list[tuple[int, int]]:
    x = y = 0
    out = []
    for dx, dy in points:
        x, y = x + dx, y + dy
        out.append((x, y))
    return out


def _delta(points: list[tuple[int, int]]) -> list[list[int]]:
    out, last = [], (0, 0)
    for point in points:
        out.append([point[0] - last[0], point[1] - last[1]])
        last = point
    return out


def _thin(points: list[tuple[int, int]], tolerance: float) -> list[tuple[int, int]]:
    """Douglas–Peucker, first and last points kept (iterative: long arcs do not recurse deeply)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length = (dx * dx + dy * dy) ** 0.5
        far, index = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            distance = (abs(dy * (px - ax) - dx * (py - ay)) / length if length
                        else ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5)
            if distance > far:
                far, index = distance, i
        if index > 0 and far > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    thinned = [p for p, kept in zip(points, keep) if kept]
    if thinned[0] == thinned[-1] and len(thinned) < 4:  # a ring made of one arc stays a ring
        step = max(1, (len(points) - 1) // 3)
        thinned = [points[0], points[step], points[min(2 * step, len(points) - 2)], points[-1]]
    return thinned


def _coarse(points: list[tuple[int, int]], factor: int) -> list[tuple[int, int]]:
    """The points on a grid ``factor`` times coarser, repeats dropped (a line keeps both ends;
    a closed line, four points)."""
    out: list[tuple[int, int]] = []
    for x, y in points:
        point = (round(x / factor), round(y / factor))
        if not out or out[-1] != point:
            out.append(point)
    if len(out) < 2:
        out.append(out[0])
    if out[0] == out[-1] and len(out) < 4:
        out = [(round(x / factor), round(y / factor)) for x, y in points]
    return out


def _rings(geometry: dict) -> Iterable[list[int]]:
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    for polygon in polygons:
        yield from polygon


def _merge(rings: list[list[int]], ends: list[tuple[tuple[int, int], tuple[int, int]]]) -> list[list[int]]:
    """The outline of these rings together: arcs used once, chained into rings (refs as in TopoJSON)."""
    uses: dict[int, int] = {}
    for ring in rings:
        for ref in ring:
            arc = ref if ref >= 0 else ~ref
            uses[arc] = uses.get(arc, 0) + 1
    outline = [ref for ring in rings for ref in ring if uses[ref if ref >= 0 else ~ref] == 1]

    def start(ref: int) -> tuple[int, int]:
        return ends[ref][0] if ref >= 0 else ends[~ref][1]

    def end(ref: int) -> tuple[int, int]:
        return ends[ref][1] if ref >= 0 else ends[~ref][0]

    leaving: dict[tuple[int, int], list[int]] = {}
    for ref in outline:
        leaving.setdefault(start(ref), []).append(ref)
    merged, used = [], set()
    for first in outline:
        if first in used:
            continue
        ring, here = [first], end(first)
        used.add(first)
        while here != start(first):
            following = [ref for ref in leaving.get(here, ()) if ref not in used]
            if not following:
                break
            ring.append(following[0])
            used.add(following[0])
            here = end(following[0])
        merged.append(ring)
    return merged


def _stitch(arcs: list[list[tuple[int, int]]], merged: dict[str, list[list[int]]]
            ) -> tuple[list[list[tuple[int, int]]], dict[str, list[list[int]]]]:
    """Arcs joined into lines wherever only two of them meet: a zone's border is one line from
    one meeting of three zones to the next, thinned as a whole, instead of a chain of commune sides
    each keeping its two ends. Returns the lines' points and the rings in line references."""
    used = sorted({ref if ref >= 0 else ~ref for rings in merged.values() for ring in rings for ref in ring})
    degree: dict[tuple[int, int], int] = {}
    for arc in used:
        for point in (arcs[arc][0], arcs[arc][-1]):
            degree[point] = degree.get(point, 0) + 1

    def start(ref: int) -> tuple[int, int]:
        return arcs[ref][0] if ref >= 0 else arcs[~ref][-1]

    line_of: dict[int, tuple[int, bool]] = {}  # arc → (line, runs along it)
    lines: list[list[tuple[int, int]]] = []
    for rings in merged.values():
        for ring in rings:
            # Start the ring where three or more lines meet (or anywhere on a ring that meets none).
            cut = next((i for i, ref in enumerate(ring) if degree[start(ref)] != 2), 0)
            ring = ring[cut:] + ring[:cut]
            for i, ref in enumerate(ring):
                arc = ref if ref >= 0 else ~ref
                if arc in line_of:
                    continue
                if i == 0 or degree[start(ref)] != 2:
                    lines.append([])
                number = len(lines) - 1
                points = arcs[arc] if ref >= 0 else arcs[arc][::-1]
                lines[number].extend(points if not lines[number] else points[1:])
                line_of[arc] = (number, ref >= 0)
    referenced: dict[str, list[list[int]]] = {}
    for key, rings in merged.items():
        out = []
        for ring in rings:
            cut = next((i for i, ref in enumerate(ring) if degree[start(ref)] != 2), 0)
            refs: list[int] = []
            for ref in ring[cut:] + ring[:cut]:
                number, along = line_of[ref if ref >= 0 else ~ref]
                ref_line = number if along == (ref >= 0) else ~number
                if not refs or refs[-1] != ref_line:
                    refs.append(ref_line)
            if len(refs) > 1 and refs[0] == refs[-1]:
                refs.pop()
            out.append(refs)
        referenced[key] = out
    return lines, referenced


def overview(topology: dict, zone_of: dict[str, str], colours: dict[str, int]) -> dict:
    """The overview topology of one département file.

    ``zone_of``: INSEE code → the ids of its serving AIs, space-separated ("" when none does);
    ``colours``: AI id → its colour's index in the palette. Each geometry's id is a zone key, its
    ``c`` the colours of the AIs (as the palette numbers them).
    """
    arcs = [_absolute(points) for points in topology["arcs"]]
    ends = [(points[0], points[-1]) for points in arcs]
    groups: dict[str, list[list[int]]] = {}
    for geometry in topology["objects"]["communes"]["geometries"]:
        groups.setdefault(zone_of.get(geometry["id"], ""), []).extend(_rings(geometry))
    merged = {key: _merge(rings, ends) for key, rings in sorted(groups.items())}
    lines, rings_of = _stitch(arcs, merged)
    kept = [_delta(_coarse(_thin(points, TOLERANCE), COARSER)) for points in lines]
    geometries = []
    for key, renumbered in rings_of.items():
        geometries.append({"type": "Polygon", "id": key, "arcs": renumbered,
                           "properties": {"c": [colours[ident] for ident in key.split()]}})
    (kx, ky), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    transform = {"scale": [kx * COARSER, ky * COARSER], "translate": [tx, ty]}
    return {"type": "Topology", "transform": transform,
            "objects": {"zones": {"type": "GeometryCollection", "geometries": geometries}}, "arcs": kept}


def overview_bytes(source: bytes, zone_of: dict[str, str], colours: dict[str, int]) -> bytes:
    return json.dumps(overview(json.loads(source), zone_of, colours), separators=(",", ":")).encode()
