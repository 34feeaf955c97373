"""Issue 27, freshness: each association carries the day its details were last confirmed (``verified``); make check
warns, without failing, when that day is missing or more than six months before « today », a parameter."""

from __future__ import annotations

import datetime
import subprocess
import sys

import pytest

from model import DataError, load_site
from tests.model.broken_cases import VALID

WITH_DATE = VALID.replace("charter_signed: 2025-03-14", "charter_signed: 2025-03-14\n    verified: 2026-10-01")
VERIFIED_LINE = 15


def write(root, text):
    (root / "data" / "associations.yaml").write_text(text, "utf-8")


def freshness(root, today):
    return [str(p) for p in load_site(root, today=today).freshness]


def test_the_date_is_read_and_a_recent_one_is_quiet(data_root):
    write(data_root, WITH_DATE)
    site = load_site(data_root, today=datetime.date(2026, 12, 6))
    assert site.associations[0].verified == datetime.date(2026, 10, 1)
    assert site.freshness == ()


def test_six_months_to_the_day_is_still_fresh_one_more_day_is_not(data_root):
    write(data_root, WITH_DATE)
    assert freshness(data_root, datetime.date(2027, 4, 1)) == []
    (warning,) = freshness(data_root, datetime.date(2027, 4, 2))
    assert warning == (f"data/associations.yaml:{VERIFIED_LINE} : attention : l'association « ai-test » : "
                       "informations vérifiées le 1er octobre 2026, il y a plus de six mois ; confirmez-les "
                       "avec elle (téléphone, adresse, horaires, services), puis mettez la date du jour dans "
                       "« verified ».")


def test_a_missing_date_is_a_warning_on_the_association_line(data_root):
    (warning,) = freshness(data_root, datetime.date(2026, 12, 6))
    assert warning.startswith("data/associations.yaml:2 : attention : l'association « ai-test » n'a pas de date "
                              "de vérification de ses informations ; ")
    assert "ajoutez la ligne « verified: AAAA-MM-JJ » avec la date du jour" in warning


def test_freshness_is_not_a_build_warning(data_root):
    """The build logs site.warnings: staleness is for make check (an editor's to-do), not every build's log."""
    assert load_site(data_root, today=datetime.date(2030, 1, 1)).warnings == ()


def test_a_date_after_today_is_an_error_and_today_is_a_parameter(data_root):
    write(data_root, WITH_DATE)
    with pytest.raises(DataError) as caught:
        load_site(data_root, today=datetime.date(2026, 9, 30))
    (problem,) = [str(p) for p in caught.value.problems]
    assert problem == (f"data/associations.yaml:{VERIFIED_LINE} : l'association « ai-test » : la date de "
                       "vérification 2026-10-01 est dans le futur ; indiquez le jour où ses informations ont été "
                       "confirmées (AAAA-MM-JJ).")
    assert load_site(data_root, today=datetime.date(2026, 10, 1)).associations[0].verified


def test_the_charter_date_is_judged_against_the_same_today(data_root):
    with pytest.raises(DataError, match="2025-03-14 est dans le futur"):
        load_site(data_root, today=datetime.date(2025, 3, 13))


def run_check(root, *args):
    return subprocess.run([sys.executable, "-m", "model", "check", "--root", str(root), *args],
                          capture_output=True, text=True)


def test_make_check_lists_the_stale_and_the_undated_and_still_passes(data_root):
    second = WITH_DATE.split("\n", 1)[1].replace("ai-test", "ai-autre").replace("10 01", "10 02") \
        .replace("2026-10-01", "2027-03-15")
    third = VALID.split("\n", 1)[1].replace("ai-test", "ai-sans-date").replace("10 01", "10 03")
    write(data_root, WITH_DATE + second + third)
    result = run_check(data_root, "--today", "2027-05-10")
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "data/associations.yaml" in line]
    assert len(warnings) == 2, result.stderr
    assert warnings[0].startswith(f"data/associations.yaml:{VERIFIED_LINE} : attention : l'association "
                                  "« ai-test » : informations vérifiées le 1er octobre 2026, il y a plus de "
                                  "six mois")
    assert "l'association « ai-sans-date » n'a pas de date de vérification" in warnings[1]
    assert "ai-autre" not in result.stderr   # 15 March 2027 is within six months of 10 May 2027
    assert result.stdout.splitlines()[-1].startswith("Données valides : 3 associations")


def test_make_check_judges_against_the_real_date_by_default(data_root):
    write(data_root, WITH_DATE.replace("2026-10-01", "2099-01-01"))
    result = run_check(data_root)
    assert result.returncode == 1
    assert "la date de vérification 2099-01-01 est dans le futur" in result.stderr
