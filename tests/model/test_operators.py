"""The cell's allow-list for the back office (``operators`` in data/settings.yaml): a name and a valid address each,
every address once, checked with French messages that name the line; carried to the functions by the routing
table."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.errors import Collector
from model.routing import routing_table
from model.settings import load_settings

REAL = Path(__file__).resolve().parents[2] / "data" / "settings.yaml"


def settings_with(tmp_path, block: str):
    """The real settings with another ``operators`` block: (settings or None, problems)."""
    text = REAL.read_text("utf-8")
    start = text.index("\noperators:")
    end = text.index("\n\n", start)
    path = tmp_path / "settings.yaml"
    path.write_text(text[:start] + "\n" + block.rstrip("\n") + text[end:], "utf-8")
    collector = Collector("data/settings.yaml")
    return load_settings(path, collector), [str(p) for p in collector.problems]


def test_the_real_settings_name_the_cells_operators(site_data):
    assert [o.name for o in site_data.settings.operators] == ["Claire Duboscq", "Marc Etcheverry"]
    assert all(o.email.endswith("@aai-aquitaine.example.org") for o in site_data.settings.operators)


def test_the_routing_table_carries_them_to_the_functions(site_data):
    assert routing_table(site_data)["operators"] == [
        {"name": o.name, "email": o.email} for o in site_data.settings.operators]


def test_no_operator_at_all_is_allowed(tmp_path):
    settings, found = settings_with(tmp_path, "operators: []\n")
    assert found == [] and settings.operators == ()


def test_an_invalid_address_is_refused_with_its_line(tmp_path):
    settings, found = settings_with(tmp_path, "operators:\n  - name: Claire\n    email: claire@\n")
    line = REAL.read_text("utf-8").split("\noperators:")[0].count("\n") + 4
    assert settings is None and len(found) == 1
    assert found[0].startswith(f"data/settings.yaml:{line}") and "« claire@ »" in found[0]
    assert "n'est pas valide" in found[0]


def test_an_address_listed_twice_is_refused(tmp_path):
    settings, found = settings_with(tmp_path, "operators:\n  - name: Claire\n    email: claire@example.org\n"
                                              "  - name: Claire D.\n    email: Claire@Example.org\n")
    assert settings is None and len(found) == 1 and "figure deux fois" in found[0]


@pytest.mark.parametrize("block, words", [
    ("operators:\n  - claire@example.org\n", "est un bloc « name » et « email »"),
    ("operators:\n  - name: Claire\n", "n'a pas de champ « email »"),
    ("operators:\n  - name: Claire\n    email: claire@example.org\n    phone: 0536490000\n", "champ inconnu « phone »"),
    ("operators: claire@example.org\n", "doit être"),
])
def test_a_badly_written_entry_says_how_to_write_it(tmp_path, block, words):
    settings, found = settings_with(tmp_path, block)
    assert settings is None and any(words in problem for problem in found), found
