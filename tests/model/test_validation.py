"""Broken data must stop with French messages naming file, line and fix — all at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from model import DataError, load_site

VALID = (Path(__file__).parent / "test_data" / "associations.yaml").read_text("utf-8")
SECOND = VALID.split("\n", 1)[1].replace("ai-test", "ai-autre").replace("10 01", "10 02")

# Each case: (replace this text, by that text, expected line, expected words in the message).
CASES = {
    "yaml-syntax": ("    contact: Mme Jeanne Test, directrice",
                    "    contact: Mme Jeanne Test: directrice", 9, "erreur de syntaxe YAML"),
    "yaml-tab": ("    address: 1 place", "\taddress: 1 place", 4, "tabulation interdite"),
    "missing-field": ("    phone: 05 36 49 10 01\n", "", 2,
                      "l'association « ai-test » n'a pas de champ « phone »"),
    "wrong-type-number": ("latitude: 44.8936", "latitude: nord", 11,
                          "le champ « latitude » doit être un nombre"),
    "wrong-type-unquoted-code": ('postal_code: "33330"', "postal_code: 33330", 5,
                                 "Mettez la valeur entre guillemets"),
    "wrong-type-date": ("charter_signed: 2025-03-14", "charter_signed: 14/03/2025", 14,
                        "doit être une date au format AAAA-MM-JJ"),
    "unknown-insee": ('commune: "33394"', 'commune: "33999"', 6,
                      "l'association « ai-test » indique la commune 33999, qui n'existe pas dans "
                      "le référentiel des communes."),
    "postal-code-as-insee": ('commune: "33394"', 'commune: "40000"', 6,
                             "C'est un code postal, pas un code INSEE ; communes de ce code postal : "
                             "Mont-de-Marsan (40192). Indiquez le code INSEE de la commune du bureau."),
    # 33330 is Pompignac's INSEE code and Saint-Émilion's postcode: blamed on `commune:`, not `postal_code:`.
    "postal-code-read-as-insee": ('commune: "33394"', 'commune: "33330"', 6,
                                  "indique la commune 33330, c'est-à-dire Pompignac (code postal 33370), ce "
                                  "qui ne correspond pas au code postal 33330. Or 33330 est aussi un code postal ; "
                                  "communes de ce code postal : Saint-Christophe-des-Bardes (33384), "
                                  "Saint-Émilion (33394)"),
    "postal-code-in-zone": ('communes: ["33529"]', 'communes: ["33529", "33000"]', 17,
                            "indique la commune 33000, qui n'existe pas dans le référentiel des communes : "
                            "33000 est un code postal, pas un code INSEE ; communes de ce code postal : "
                            "Bordeaux (33063). Indiquez le code INSEE de chaque commune voulue."),
    "postal-code-in-except": ('except: ["33014"]', 'except: ["33014", "47000"]', 18,
                              "exclut la commune 47000, qui n'existe pas dans le référentiel des communes : "
                              "47000 est un code postal, pas un code INSEE ; communes de ce code postal : "
                              "Agen (47001)."),
    "postal-code-mismatch": ('postal_code: "33330"', 'postal_code: "33000"', 5,
                             "le code postal 33000 ne correspond pas à Saint-Émilion"),
    "unknown-epci": ('epci: ["200035533"]', 'epci: ["200099999"]', 16,
                     "cite l'intercommunalité 200099999, qui n'existe pas"),
    "unknown-zone-commune": ('communes: ["33529"]', 'communes: ["33529", "99999"]', 17,
                             "indique la commune 99999, qui n'existe pas"),
    "invalid-phone": ("phone: 05 36 49 10 01", "phone: 05 36 49 10", 7,
                      "le numéro « 05 36 49 10 » n'est pas valide ; écrivez un numéro français"),
    "invalid-email": ("email: contact@ai-test.example.org", "email: contact-at-example.org", 8,
                      "l'adresse e-mail « contact-at-example.org » n'est pas valide"),
    "coordinates-outside": ("latitude: 44.8936\n    longitude: -0.1556",
                            "latitude: 48.8566\n    longitude: 2.3522", 11,
                            "n'est pas dans le département de Saint-Émilion"),
    "coordinates-swapped": ("latitude: 44.8936\n    longitude: -0.1556",
                            "latitude: -0.1556\n    longitude: 44.8936", 11, "ne sont pas inversées"),
    "unknown-service": ("services: [menage, jardinage]", "services: [menage, plomberie]", 13,
                        "propose le service « plomberie », qui n'existe pas dans data/services.yaml"),
    "unknown-field": ("    address:", "    adress:", 4, "Vouliez-vous dire « address » ?"),
    "bad-id": ("id: ai-test", "id: AI Test", 2, "l'identifiant doit être en minuscules"),
    "duplicate-key": ("    hours:", "    name: Doublon\n    hours:", 10, "est écrit deux fois"),
    "bad-website": ("    hours:", "    website: www.sans-protocole\n    hours:", 10,
                    "doit être une adresse complète commençant par https://"),
    "no-services": ("services: [menage, jardinage]", "services: []", 13,
                    "doit proposer au moins un service"),
}


def write(root, text):
    (root / "data" / "associations.yaml").write_text(text, "utf-8")


def problems_of(root) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_site(root)
    return [str(p) for p in caught.value.problems]


def test_valid_data_loads(data_root):
    site = load_site(data_root)
    (ai,) = site.associations
    assert ai.phone_e164 == "+33536491001"
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


# Odd shapes an editor can type: each must give a French message with its line, never a traceback.
ODD = {
    "service-as-list": ("services: [menage, jardinage]", "services: [1, [a]]", 13,
                        "chaque service est un identifiant"),
    "service-as-block": ("services: [menage, jardinage]", "services: [{a: b}]", 13,
                         "chaque service est un identifiant"),
    "zone-code-null": ('communes: ["33529"]', "communes: [~]", 17, "chaque élément de « communes »"),
    "zone-code-list": ('communes: ["33529"]', 'communes: [["33529"]]', 17, "chaque élément de « communes »"),
    "key-as-list": ("    hours:", "    ? [a]\n    : b\n    hours:", 10, "nom de champ invalide"),
    "octal-phone": ("phone: 05 36 49 10 01", "phone: 0536471011", 7, "YAML lit certains nombres de travers"),
    "website-http": ("    hours:", "    website: http://ai-test.example.org\n    hours:", 10,
                     "commençant par https://"),
    "charter-future": ("charter_signed: 2025-03-14", "charter_signed: 2099-03-12", 14, "est dans le futur"),
    "foreign-phone": ("phone: 05 36 49 10 01", "phone: +44 20 7946 0958", 7, "n'est pas valide"),
    "blank-name": ("name: Association intermédiaire de test", 'name: "   "', 2,
                   "n'a pas de champ « name »"),
}


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
