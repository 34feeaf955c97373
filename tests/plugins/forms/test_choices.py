"""The pages lay out the fixed answers the functions accept: both read rules.vocabulary."""

from __future__ import annotations

from chalicelib.intake import forms as functions_forms
from forms import choices

from rules import vocabulary


def test_the_pages_and_the_functions_share_one_vocabulary():
    assert choices.DAYS is vocabulary.DAYS
    assert functions_forms.FORMS["demande"]["jours"].choices == tuple(v for v, _ in vocabulary.DAYS)
    assert functions_forms.FORMS["rappel"]["disponibilites"].choices == tuple(v for v, _ in vocabulary.AVAILABILITY)
    grid = [value for _, cells in choices.availability_grid() for value, _ in cells]
    assert grid == [value for value, _ in vocabulary.AVAILABILITY]
    names = [name for _, cells in choices.availability_grid() for _, name in cells]
    assert names[:4] == ["Lundi matin", "Lundi midi", "Lundi après-midi", "Lundi soir"]


def test_retention_label():
    assert choices.retention_label(365) == "12 mois"
    assert choices.retention_label(730) == "24 mois"
    assert choices.retention_label(90) == "3 mois"
    assert choices.retention_label(10) == "10 jours"
    assert choices.retention_label(1) == "1 jour"
