"""The commune search of the type-ahead (theme/static/js/communes.js), run under node on the finder's real index
(plugins/directory/finder.py) as a browser fetches it, part by part. Its ranking is the site's one rule, written in
Python in rules/commune_search.py: both are held to the shared cases of tests/rules/commune_search_cases.json."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from directory.finder import ENTRY, finder_files
from rules.typography import fold

ROOT = Path(__file__).resolve().parents[2]
JS = ROOT / "theme" / "static" / "js"
CASES = json.loads((ROOT / "tests" / "rules" / "commune_search_cases.json").read_text("utf-8"))
ORIGIN = "http://site.test/"

# The scripts as the pages load them, a fetch that answers from the index files, then every query's results.
PROGRAM = """
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
globalThis.window = globalThis;
window.location = { href: %(origin)s };
globalThis.fetch = url => {
    const text = input.files[new URL(url).pathname.slice(1)];
    return Promise.resolve(text === undefined ? { ok: false, status: 404 }
                                              : { ok: true, json: () => Promise.resolve(JSON.parse(text)) });
};
%(french)s
%(communes)s
Promise.all(input.queries.map(q => aaiCommunes.find(%(entry)s, q)))
    .then(all => process.stdout.write(JSON.stringify(all.map(results => results.map(r => r.c.insee)))));
"""


@pytest.fixture(scope="module")
def find(site_data):
    """``find(*queries)`` → for each query, the INSEE codes the type-ahead lists, in its order."""
    files = finder_files(site_data)
    program = PROGRAM % {"origin": json.dumps(ORIGIN), "entry": json.dumps(ORIGIN + ENTRY),
                         "french": (JS / "french.js").read_text("utf-8"),
                         "communes": (JS / "communes.js").read_text("utf-8")}

    def run(*queries: str) -> list[list[str]]:
        result = subprocess.run(["node", "-e", program], input=json.dumps({"files": files, "queries": queries}),
                                capture_output=True, text=True, check=True)
        return json.loads(result.stdout)
    return run


def test_the_shared_cases_come_first(find):
    """Issue 22, 2: « Pau » → Pau (64), not Paulin (24); « Gan », « Lacq », « Ousse »; postcodes; « St »."""
    queries = sorted(CASES)
    firsts = {query: (found[0] if found else None) for query, found in zip(queries, find(*queries))}
    assert firsts == {query: CASES[query] for query in queries}


@pytest.mark.parametrize("query", ["Pau", "gan", "st medard", "Lacq"])
def test_an_exact_name_then_the_names_starting_with_it_then_the_rest(find, site_data, query):
    communes = site_data.reference.communes
    typed = fold(query).replace("st ", "saint ")
    (found,) = find(query)
    keys = [fold(communes[code].name) for code in found]
    groups = [0 if key == typed else 1 if key.startswith(typed) else 2 if f" {typed}" in key else 3 for key in keys]
    assert groups[0] == 0 and groups == sorted(groups) and groups.count(1)  # the exact name, then the others
    for group in (1, 2, 3):
        names = [key for key, g in zip(keys, groups) if g == group]
        assert names == sorted(names)  # A–Z within each group


def test_a_postcode_lists_its_communes_the_largest_first_and_never_an_insee_code(find, site_data):
    communes = site_data.reference.communes
    (found,) = find("33330")
    assert "33330" not in found  # Pompignac: INSEE 33330, postcode 33370
    assert all("33330" in communes[code].postal_codes for code in found)
    populations = [communes[code].population for code in found]
    assert found[0] == "33394" and populations == sorted(populations, reverse=True)


def test_a_former_commune_comes_after_the_current_names(find, site_data):
    communes = site_data.reference.communes
    merged = next(c for c in communes.values() if c.former and fold(c.former[0].name) != fold(c.name))
    (found,) = find(merged.former[0].name)
    assert merged.insee in found
