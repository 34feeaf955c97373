"""The pages and the functions agree on every fixed answer (plugins/forms/choices.py ↔ chalicelib/forms.py)."""

from __future__ import annotations

from chalicelib import forms as rules
from forms import choices


def test_fixed_answers_match_the_functions():
    assert [v for v, _ in choices.DAYS] == list(rules.DAYS)
    assert [v for v, _ in choices.SLOTS] == list(rules.SLOTS)
    assert [v for v, _ in choices.FREQUENCIES] == list(rules.FREQUENCIES)
    assert [v for v, _ in choices.CONTACT_MODES] == list(rules.CONTACT_MODES)
    grid = [value for _, cells in choices.availability_grid() for value, _ in cells]
    assert grid == list(rules.AVAILABILITY)
    names = [name for _, cells in choices.availability_grid() for _, name in cells]
    assert names == list(rules.AVAILABILITY.values())


def test_retention_label():
    assert choices.retention_label(365) == "12 mois"
    assert choices.retention_label(730) == "24 mois"
    assert choices.retention_label(90) == "3 mois"
    assert choices.retention_label(10) == "10 jours"
    assert choices.retention_label(1) == "1 jour"
