"""The site's one commune ranking (rules/commune_search.py): an exact name first, postal codes as postal codes.
The cases are shared with the JavaScript twin (theme/static/js/communes.js): tests/rules/commune_search_cases.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rules.commune_search import Candidate, search

CASES = json.loads((Path(__file__).parent / "commune_search_cases.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def candidates(site_data):
    return [Candidate(c.insee, c.name, c.postal_codes, c.population) for c in site_data.reference.communes.values()]


@pytest.mark.parametrize("query, first", sorted(CASES.items()))
def test_the_shared_cases_come_first(candidates, query, first):
    assert search(query, candidates)[0] == first


def test_an_exact_name_then_the_names_starting_with_it_then_the_rest(candidates):
    found = search("Pau", candidates)
    names = {c.insee: c.name for c in candidates}
    assert names[found[0]] == "Pau"
    starting = [names[code] for code in found[1:] if names[code].lower().startswith("pau")]
    assert starting and [names[code] for code in found[1:len(starting) + 1]] == starting   # then Paulin, Paussac…
    assert all(not names[code].lower().startswith("pau") for code in found[len(starting) + 1:])


def test_a_postal_code_is_never_read_as_an_insee_code(candidates):
    found = search("33330", candidates)
    assert "33330" not in found                          # Pompignac: INSEE 33330, postal code 33370
    assert found[:2] == ["33394", "33480"]               # Saint-Émilion, then Saint-Sulpice-de-Faleyrens
    assert len(found) == 8


def test_nothing_typed_finds_nothing(candidates):
    assert search("", candidates) == [] and search("  ", candidates) == [] and search("zzzz", candidates) == []
