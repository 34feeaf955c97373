"""The finder's index cut into an entry and parts (plugins/directory/finder.py), from the real data."""

from __future__ import annotations

import json
import re

import pytest

from directory.finder import ENTRY, finder_files, name_keys
from rules.typography import fold


@pytest.fixture(scope="module")
def files(site_data):
    return {rel: json.loads(text) for rel, text in finder_files(site_data).items()}


@pytest.fixture(scope="module")
def entry(files):
    return files[ENTRY]


def part(files, name):
    return files["trouver/" + name]


def test_each_departement_part_holds_its_communes_once_in_the_pages_order(files, entry, site_data):
    for code, name, file_name in entry["departements"]:
        assert re.fullmatch(rf"communes-{code}\.[0-9a-f]{{8}}\.json", file_name)
        assert name == site_data.reference.departements[code].name
        rows = part(files, file_name)
        assert [row[0] for row in rows] == [c.insee for c in site_data.reference.in_departement(code)]


def test_a_row_says_who_serves_the_commune(files, entry, site_data):
    rows = {row[0]: row for _, _, name in entry["departements"] for row in part(files, name)}
    for insee in ("33394", "33063", "40192"):
        commune = site_data.reference.communes[insee]
        row = rows[insee]
        assert row[1:4] == [commune.name, commune.departement, " ".join(commune.postal_codes)]
        assert row[5] == commune.slug
        assert [entry["associations"][i][0] for i in row[6]] == [a.id for a in site_data.serving(insee)]
        assert row[7] == commune.population  # ranks the communes of a shared postcode


def test_every_commune_is_in_the_name_part_of_each_word_of_its_names(files, entry, site_data):
    for commune in site_data.reference.communes.values():
        for name in [commune.name, *(f.name for f in commune.former)]:
            for key in name_keys(name):
                assert commune.insee in {row[0] for row in part(files, entry["names"][key])}, (commune.name, key)


def test_a_name_part_is_a_small_share_of_the_whole(files, entry):
    whole = sum(len(json.dumps(part(files, name))) for _, _, name in entry["departements"])
    saint = len(json.dumps(part(files, entry["names"]["sa"])))
    assert saint < whole / 3
    assert max(len(json.dumps(rows)) for rel, rows in files.items() if "/noms-" in rel) == saint


def test_postcode_prefixes_name_the_departements_that_have_them(entry, site_data):
    expected = {}
    for commune in site_data.reference.communes.values():
        for postal in commune.postal_codes:
            expected.setdefault(postal[:2], set()).add(commune.departement)
    assert {k: set(v) for k, v in entry["postcodes"].items()} == expected


def test_name_keys_fold_like_the_type_ahead():
    assert name_keys("Saint-Émilion") == {"sa", "em"}
    assert name_keys("L'Isle-Jourdain") == {"l", "is", "jo"}
    assert fold("Œuilly") == "oeuilly" and name_keys("Œuilly") == {"oe"}
