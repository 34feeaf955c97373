"""The départements' overviews of /carte/ and the zone files every map fetches (plugins/map/overview.py, zones.py)."""

from __future__ import annotations

import json
import re

import pytest

from map import zones as zones_module
from map.overview import overview
from map.palette import zone_colours
from map.zones import ZonePublisher, departement_zones
from pipeline.files import OutputFiles


@pytest.fixture(scope="module")
def colours(site_data):
    return zone_colours(site_data.associations, site_data.shapes.neighbours, 5)


def zone_keys(site_data, code):
    return {c.insee: " ".join(sorted(a.id for a in site_data.serving(c.insee)))
            for c in site_data.reference.in_departement(code)}


def points(topology, ref):
    """Absolute grid positions of a line, in the direction a ring reference runs it."""
    x = y = 0
    out = []
    for dx, dy in topology["arcs"][ref if ref >= 0 else ~ref]:
        x, y = x + dx, y + dy
        out.append((x, y))
    return out if ref >= 0 else out[::-1]


def test_an_overview_has_one_shape_per_set_of_serving_ais_each_ring_closed(site_data, colours):
    for code, shape_file in site_data.shapes.files.items():
        source = json.loads(shape_file.path.read_bytes())
        keys = zone_keys(site_data, code)
        made = overview(source, keys, colours)
        geometries = made["objects"]["zones"]["geometries"]
        assert sorted(g["id"] for g in geometries) == sorted(set(keys.values()))
        for geometry in geometries:
            assert geometry["properties"]["c"] == [colours[i] for i in geometry["id"].split()]
            for ring in geometry["arcs"]:
                path = [p for ref in ring for p in points(made, ref)]
                assert path[0] == path[-1], (code, geometry["id"])  # the lines of a ring meet end to end
        assert len(json.dumps(made)) * 5 < len(json.dumps(source)), code  # a fifth of the shapes, or less


def test_zone_files_say_who_serves_each_commune_with_the_maps_colours(site_data, colours):
    for code in site_data.reference.departements:
        value = departement_zones(site_data, code, colours)
        serving: dict[str, list[str]] = {}
        for (ident, colour), codes in zip(value["ais"], value["zones"]):
            assert colour == colours[ident]
            for insee in codes.split(" "):
                serving.setdefault(insee, []).append(ident)
        assert {k: " ".join(v) for k, v in serving.items()} == {k: v for k, v in zone_keys(site_data, code).items()
                                                                 if v}


def test_the_next_build_keeps_an_overview_whose_inputs_did_not_change(site_data, colours, tmp_path, monkeypatch):
    first = ZonePublisher(site_data, site_data.shapes, OutputFiles(tmp_path), "", colours, code="c1")
    url = first.overview_url("33")
    assert re.fullmatch(r"/carte/apercu-33\.[0-9a-f]{8}\.json", url) and (tmp_path / url[1:]).is_file()
    assert re.fullmatch(r"/carte/zones-33\.[0-9a-f]{8}\.json", first.zones_url("33"))

    def must_not_run(*args):
        raise AssertionError("an unchanged overview is made again")
    monkeypatch.setattr(zones_module, "overview_bytes", must_not_run)
    files = OutputFiles(tmp_path)
    again = ZonePublisher(site_data, site_data.shapes, files, "", colours, known=first.made, code="c1")
    assert again.overview_url("33") == url and again.made == first.made
    assert url[1:] in files.produced and url[1:] not in files.changed
    with pytest.raises(AssertionError):  # other code: made again
        ZonePublisher(site_data, site_data.shapes, OutputFiles(tmp_path), "", colours, known=first.made,
                      code="c2").overview_url("33")
