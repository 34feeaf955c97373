"""The charter's delays (data/settings.yaml, ``follow_through``): read by the model, checked with French messages
naming the line, and carried to the functions by the routing table."""

from __future__ import annotations

import json

import pytest

from model import load_site
from model.errors import DataError
from model.routing import routing_json


def problems_of(root) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_site(root)
    return [str(p) for p in caught.value.problems]


def test_the_delays_travel_to_the_functions(data_root):
    site = load_site(data_root)
    delays = site.settings.follow_through
    assert (delays.reminder_after, delays.charter_delay, delays.household_question_after,
            delays.close_after_days) == (1, 2, 3, 30)
    table = json.loads(routing_json(site))
    assert table["follow_through"] == {"reminder_after": 1, "charter_delay": 2, "household_question_after": 3,
                                       "close_after_days": 30, "cell_callback_after": 2,
                                       "message_cap": 20}


@pytest.mark.parametrize("old, new, expected", [
    ("reminder_after: 1", "reminder_after: 2", "la relance « reminder_after » vient au moins un jour ouvré"),
    ("charter_delay: 2", "charter_delay: 12", "le délai de la charte « charter_delay » est un nombre de jours"),
    ("household_question_after: 3", "household_question_after: 1", "la question à la personne"),
    ("close_after_days: 30", "close_after_days: 3", "la clôture « close_after_days »"),
    ("cell_callback_after: 2", "cell_callback_after: 0", "le délai de rappel de la cellule « cell_callback_after »"),
    ("message_cap: 20", "message_cap: 3", "le plafond « message_cap » est un nombre de messages"),
    ("charter_delay: 2", "charter_delay: deux", "le champ « charter_delay » doit être"),
])
def test_delays_out_of_order_are_refused_in_french(data_root, old, new, expected):
    settings = data_root / "data" / "settings.yaml"
    text = settings.read_text("utf-8")
    assert old in text
    settings.write_text(text.replace(old, new), "utf-8")
    line = text[:text.index(old)].count("\n") + 1
    problems = problems_of(data_root)
    assert any(expected in p and p.startswith(f"data/settings.yaml:{line} ") for p in problems), problems
