"""The real data of the repository: the cases the sample data must exercise."""

import json

from model.routing import routing_table, write_routing_table


def test_reference_has_every_commune_of_the_five_departements(site_data):
    reference = site_data.reference
    assert len(reference.communes) == 2228
    assert sorted(reference.departements) == ["24", "33", "40", "47", "64"]
    assert sum(len(c.former) for c in reference.communes.values()) == 107
    assert "2026" in reference.vintage and "Licence Ouverte" in reference.licence


def test_sample_exercises_uncovered_double_and_cross_border(site_data):
    assert len(site_data.associations) >= 25
    assert site_data.uncovered(), "some communes must be served by nobody"
    assert len(site_data.serving("33394")) == 2
    assert any(len(a.departements) > 1 for a in site_data.associations)
    assert any(a.charter_signed is None for a in site_data.associations)


def test_homonyms_have_distinct_pages(site_data):
    sauveurs = [c for c in site_data.reference.communes.values() if c.name == "Saint-Sauveur"]
    assert {c.departement for c in sauveurs} >= {"24", "33"}
    assert len({c.url for c in sauveurs}) == len(sauveurs)


def test_routing_table_comes_from_the_model(site_data, tmp_path):
    table = routing_table(site_data)
    ai = site_data.serving("33063")[0]
    assert table["associations"][ai.id]["email"] == ai.email
    assert table["communes"]["33063"]["ais"] == [ai.id]
    assert table["network"]["id"] == "aai"
    path = tmp_path / "routing.json"
    assert write_routing_table(site_data, path) is True
    assert write_routing_table(site_data, path) is False  # unchanged: not rewritten
    assert json.loads(path.read_text("utf-8"))["retention_days"] == site_data.settings.retention_days
