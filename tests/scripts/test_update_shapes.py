"""scripts/update_shapes.py: cutting the region's topology into département files (pure Python part)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "update_shapes.py"
spec = importlib.util.spec_from_file_location("update_shapes", SCRIPT)
update_shapes = importlib.util.module_from_spec(spec)
spec.loader.exec_module(update_shapes)

# Two unit squares side by side: 24001 on the left, 33001 on the right; arc 0 is their shared edge.
REGION = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.5], "translate": [-1.0, 44.0]},
    "objects": {"communes": {"type": "GeometryCollection", "geometries": [
        {"type": "Polygon", "id": "24001", "arcs": [[1, 0]]},
        {"type": "MultiPolygon", "id": "33001", "arcs": [[[~0, 2]], [[3]]]},
    ]}},
    "arcs": [[[2, 0], [0, 2]], [[2, 2], [-2, 0], [0, -2], [2, 0]], [[2, 2], [2, 0], [0, -2], [-2, 0]],
             [[5, 5], [1, 0], [0, 1], [-1, -1]]],
}


def test_a_departement_keeps_its_arcs_renumbered_and_the_region_grid():
    gironde = update_shapes.cut(REGION, "33", {"source": "test"})
    assert gironde["transform"] == REGION["transform"]  # same grid: shared borders stay identical
    (geometry,) = gironde["objects"]["communes"]["geometries"]
    assert geometry == {"type": "MultiPolygon", "id": "33001", "arcs": [[[~0, 1]], [[2]]]}
    assert gironde["arcs"] == [REGION["arcs"][0], REGION["arcs"][2], REGION["arcs"][3]]
    dordogne = update_shapes.cut(REGION, "24", {"source": "test"})
    assert dordogne["objects"]["communes"]["geometries"][0]["arcs"] == [[0, 1]]
    assert dordogne["arcs"] == [REGION["arcs"][1], REGION["arcs"][0]]
    assert dordogne["arcs"][1] == gironde["arcs"][0]  # the border is the same points in both files


def test_dump_is_json_with_one_commune_and_one_arc_per_line():
    topology = update_shapes.cut(REGION, "33", {"source": "Licence Ouverte 2.0"})
    text = update_shapes.dump(topology)
    assert json.loads(text) == topology
    lines = text.splitlines()
    assert lines[1].startswith('{"type":"MultiPolygon","id":"33001"')
    assert len(lines) == 1 + 1 + 1 + 3 + 1  # head, commune, "arcs", three arcs, end
