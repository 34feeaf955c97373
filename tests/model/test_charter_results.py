"""The charter's published results as the site build reads them (model/charter_results.py, the format of
rules/charter_results.py): absent is fine, broken stops the build in French with the file and the fix; and the
threshold under which nothing is shown, ``results_min_answers`` in data/settings.yaml."""

from __future__ import annotations

import datetime
import json

import pytest

from model import load_site
from model.charter_results import load_charter_results
from model.errors import DataError
from rules.charter_results import Promise, Results, Satisfaction, parse, to_json

GOOD = {"format": 1, "computed_at": "2026-12-01T07:00:00+01:00", "period": {"start": "2025-12-01", "end": "2026-11-30"},
        "region": {"callback_48h": {"counted": 120, "kept": 110}},
        "associations": {"ai-libournais": {"callback_48h": {"counted": 25, "kept": 23},
                                           "intervenant_72h": {"counted": 12, "kept": 11},
                                           "satisfaction": {"answers": 14, "welcome": 4.6, "follow_up": 4.25}}}}


def test_the_format_round_trips_with_the_later_figures_optional():
    results = parse(json.dumps(GOOD))
    assert results.region == Results(Promise(120, 110))
    assert results.of("ai-libournais") == Results(Promise(25, 23), Promise(12, 11), Satisfaction(14, 4.6, 4.25))
    assert results.start == datetime.date(2025, 12, 1) and results.computed_at.utcoffset().seconds == 3600
    assert parse(to_json(results)) == results
    assert to_json(results) == to_json(parse(to_json(results)))   # the same figures, the same bytes


def test_no_file_is_no_results(tmp_path):
    assert load_charter_results(tmp_path / "var" / "charter-results.json", tmp_path) is None


@pytest.mark.parametrize("change, expected", [
    (lambda d: "{\n  « pas du JSON »", "data/charter-results.json:2 : les résultats de la charte sont illisibles : "
                                      "ce n'est pas du JSON valide"),
    (lambda d: {**d, "region": {"callback_48h": {"counted": 10, "kept": 11}}}, "compte plus de promesses tenues"),
    (lambda d: {**d, "region": {"callback_48h": {"counted": 10}}}, "« region.callback_48h » n'a pas de champ « kept »"),
    (lambda d: {**d, "associations": {"ai-x": {"callback_48h": {"counted": 1, "kept": 1}, "nom": "Jeanne"}}},
     "« associations.ai-x » contient un champ inconnu « nom »"),
    (lambda d: {**d, "computed_at": "2026-12-01"}, "« computed_at » doit être un instant ISO 8601"),
    (lambda d: {**d, "associations": {"ai-x": {"callback_48h": {"counted": 1, "kept": 1},
                                               "satisfaction": {"answers": 3, "welcome": 7, "follow_up": 4}}}},
     "doit être une note moyenne entre 1 et 5"),
    (lambda d: {**d, "format": 2}, "le format 2 n'est pas connu"),
])
def test_a_broken_file_stops_the_build_naming_the_file_and_the_fix(tmp_path, change, expected):
    path = tmp_path / "data" / "charter-results.json"
    path.parent.mkdir()
    changed = change(json.loads(json.dumps(GOOD)))
    path.write_text(changed if isinstance(changed, str) else json.dumps(changed), "utf-8")
    with pytest.raises(DataError) as caught:
        load_charter_results(path, tmp_path)
    (problem,) = caught.value.problems
    assert expected in str(problem) and str(problem).startswith("data/charter-results.json")
    assert "supprimez-le : le site se construit alors sans les résultats de la charte" in str(problem)


def test_the_threshold_is_a_setting_of_data_settings_yaml(data_root):
    assert load_site(data_root).settings.results_min_answers == 10
    settings = data_root / "data" / "settings.yaml"
    text = settings.read_text("utf-8")
    settings.write_text(text.replace("results_min_answers: 10", "results_min_answers: 25"), "utf-8")
    assert load_site(data_root).settings.results_min_answers == 25
    settings.write_text(text.replace("results_min_answers: 10", "results_min_answers: 2"), "utf-8")
    line = text[:text.index("results_min_answers: 10")].count("\n") + 1
    with pytest.raises(DataError) as caught:
        load_site(data_root)
    assert any(str(p).startswith(f"data/settings.yaml:{line} : le nombre de réponses « results_min_answers »")
               for p in caught.value.problems), caught.value.problems


def test_an_old_settings_file_without_the_threshold_gets_ten(data_root):
    settings = data_root / "data" / "settings.yaml"
    text = settings.read_text("utf-8")
    settings.write_text(text.replace("results_min_answers: 10\n", ""), "utf-8")
    assert load_site(data_root).settings.results_min_answers == 10

