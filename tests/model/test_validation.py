"""Broken data must stop with French messages naming file, line and fix — all at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from model import DataError, load_site
from tests.model.broken_cases import CASES, ODD, SECOND, VALID


def write(root, text):
    (root / "data" / "associations.yaml").write_text(text, "utf-8")


def problems_of(root) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_site(root)
    return [str(p) for p in caught.value.problems]


def test_valid_data_loads(data_root):
    site = load_site(data_root)
    (ai,) = site.associations
    assert ai.phone.e164 == "+33536491001"
    assert "33529" in ai.zone and "33014" not in ai.zone and "33394" in ai.zone
    assert [a.id for a in site.serving("33394")] == ["ai-test"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_data_is_reported_in_french_with_its_line(data_root, name):
    old, new, line, words = CASES[name]
    assert old in VALID, "the case must change the valid file"
    write(data_root, VALID.replace(old, new, 1))
    problems = problems_of(data_root)
    expected = f"data/associations.yaml:{line} : "
    assert any(p.startswith(expected) and words in p for p in problems), problems


def test_postal_code_read_as_insee_is_not_blamed_on_the_postal_code_line(data_root):
    write(data_root, VALID.replace('commune: "33394"', 'commune: "33330"'))
    assert not any(p.startswith("data/associations.yaml:5 ") for p in problems_of(data_root))


def test_code_read_two_ways_far_from_the_zone_gets_both_readings(data_root):
    write(data_root, VALID.replace('communes: ["33529"]', 'communes: ["33529", "33330"]'))
    site = load_site(data_root)
    (warning,) = site.warnings
    assert str(warning) == (
        "data/associations.yaml:17 : attention : la zone de l'association « ai-test » : le code 33330 est lu "
        "comme un code INSEE (Pompignac, qui n'appartient à aucune intercommunalité du reste de la zone), "
        "mais c'est aussi un code postal ; communes de ce code postal : Saint-Christophe-des-Bardes (33384), "
        "Saint-Émilion (33394), "
        "Saint-Étienne-de-Lisse (33396), Saint-Hippolyte (33420), Saint-Laurent-des-Combes (33426), "
        "Saint-Pey-d'Armens (33459), Saint-Sulpice-de-Faleyrens (33480), Vignonet (33546). Si vous pensiez "
        "à ces communes, remplacez 33330 par leurs codes INSEE ; si Pompignac est bien la commune voulue, "
        "laissez le code tel quel.")
    assert "33330" in site.associations[0].zone  # a warning: the data still loads as written


def test_code_read_two_ways_inside_the_zone_is_quiet(data_root):
    # 33290 is Montagne's INSEE code (an intercommunality of the zone) and a postcode elsewhere; 24370 is a
    # neighbour from another intercommunality, and no commune of postcode 24370 is near the zone.
    write(data_root, VALID.replace('communes: ["33529"]', 'communes: ["33529", "33290", "24370"]'))
    assert load_site(data_root).warnings == ()


def test_sample_data_reads_no_code_two_ways(site_data):
    assert not [w for w in site_data.warnings if "est lu comme un code INSEE" in w.message]


def test_duplicate_id_names_both_lines(data_root):
    write(data_root, VALID + SECOND.replace("ai-autre", "ai-test"))
    problems = problems_of(data_root)
    assert any(p.startswith("data/associations.yaml:19 : ") and "l'identifiant « ai-test » est déjà "
               "utilisé ligne 2" in p for p in problems), problems


def test_every_problem_is_reported_at_once(data_root):
    broken = (VALID.replace('commune: "33394"', 'commune: "33999"')
              .replace("phone: 05 36 49 10 01", "phone: 12")
              .replace("[menage, jardinage]", "[menage, plomberie]"))
    write(data_root, broken)
    with pytest.raises(DataError) as caught:
        load_site(data_root)
    lines = sorted(p.line for p in caught.value.problems)
    assert lines == [6, 7, 13]
    assert caught.value.report().startswith("3 erreurs dans les données du site")


def test_exclusion_outside_zone_is_a_warning_not_an_error(data_root):
    write(data_root, VALID.replace('except: ["33014"]', 'except: ["33063"]'))
    site = load_site(data_root)
    (warning,) = site.warnings
    assert warning.warning and warning.line == 18
    assert "exclut la commune 33063 (Bordeaux), qui ne faisait pas partie de sa zone" in str(warning)


def test_settings_errors_name_their_file(data_root):
    settings = data_root / "data" / "settings.yaml"
    settings.write_text(settings.read_text("utf-8").replace("regional_phone: 05 36 49 00 00",
                                                            "regional_phone: 0800"), "utf-8")
    problems = problems_of(data_root)
    assert any(p.startswith("data/settings.yaml:") and "le numéro « 0800 » n'est pas valide" in p
               for p in problems), problems


def test_duplicate_service_is_reported(data_root):
    services = data_root / "data" / "services.yaml"
    text = services.read_text("utf-8")
    services.write_text(text + "  - id: menage\n    name: Ménage bis\n    description: Doublon.\n", "utf-8")
    problems = problems_of(data_root)
    assert any(p.startswith("data/services.yaml:") and "est déclaré deux fois" in p for p in problems)


def test_missing_file_is_named(data_root):
    (data_root / "data" / "services.yaml").unlink()
    problems = problems_of(data_root)
    assert any(p.startswith("data/services.yaml : ce fichier est introuvable") for p in problems)


def test_graphic_charter_is_checked_with_the_rest(data_root):
    text = (Path(__file__).resolve().parents[2] / "data" / "brand.yaml").read_text("utf-8")
    colour = next(line for line in text.splitlines() if "hex:" in line)
    broken = text.replace(colour, colour.split("hex:")[0] + 'hex: "vert"', 1)
    (data_root / "data" / "brand.yaml").write_text(broken, "utf-8")
    line = broken.splitlines().index(colour.split("hex:")[0] + 'hex: "vert"') + 1
    problems = problems_of(data_root)
    assert any(p.startswith(f"data/brand.yaml:{line} : ") and "n'est pas une couleur" in p
               for p in problems), problems


@pytest.mark.parametrize("name", sorted(ODD))
def test_odd_yaml_gets_a_french_message_not_a_traceback(data_root, name):
    old, new, line, words = ODD[name]
    assert old in VALID
    write(data_root, VALID.replace(old, new, 1))
    problems = problems_of(data_root)
    assert any(p.startswith(f"data/associations.yaml:{line} : ") and words in p for p in problems), problems


def test_padded_duplicate_id_is_still_a_duplicate(data_root):
    write(data_root, VALID + SECOND.replace("ai-autre", '"ai-test "'))
    assert any("l'identifiant « ai-test » est déjà utilisé" in p for p in problems_of(data_root))


def test_same_service_or_commune_twice_is_a_warning(data_root):
    write(data_root, VALID.replace("[menage, jardinage]", "[menage, menage]")
          .replace('communes: ["33529"]', 'communes: ["33529", "33529"]'))
    warnings = [str(w) for w in load_site(data_root).warnings]
    assert any(":13 : attention : " in w and "deux fois le service « menage »" in w for w in warnings)
    assert any(":17 : attention : " in w and "deux fois le code 33529" in w for w in warnings)


@pytest.mark.parametrize("name, text, words", [
    ("associations.yaml", "# rien\n", "le fichier est vide"),
    ("associations.yaml", "associations: []\n", "la liste des associations est vide"),
    ("settings.yaml", "", "le fichier est vide"),
    ("services.yaml", "services: []\n", "la liste des services est vide"),
])
def test_empty_files_are_refused(data_root, name, text, words):
    (data_root / "data" / name).write_text(text, "utf-8")
    problems = problems_of(data_root)
    assert any(p.startswith(f"data/{name}:1 : ") and words in p for p in problems), problems
    if name == "services.yaml":   # the broken catalogue is blamed, not every association using it
        assert not any(p.startswith("data/associations.yaml") for p in problems), problems


def test_settings_bounds(data_root):
    settings = data_root / "data" / "settings.yaml"
    text = settings.read_text("utf-8")
    settings.write_text(text.replace("retention_days: 365", "retention_days: -5")
                        .replace("url: https://www.ai", "url: http://www.ai"), "utf-8")
    problems = problems_of(data_root)
    assert any("la durée de conservation « retention_days »" in p for p in problems)
    assert any("doit commencer par https://" in p for p in problems)


def test_damaged_commune_reference_is_reported_in_french(data_root):
    path = data_root / "data" / "communes.json"
    path.write_text(path.read_text("utf-8")[:5000], "utf-8")
    problems = problems_of(data_root)
    assert problems == ["data/communes.json : le référentiel des communes est illisible (JSONDecodeError) ; "
                        "régénérez-le avec « python scripts/update_communes.py » au lieu de le modifier à "
                        "la main."]
