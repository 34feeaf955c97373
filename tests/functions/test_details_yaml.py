"""« Mes informations », step one: one block of data/associations.yaml edited, every other byte kept, and the
edit judged by the build's model with its French messages."""

from __future__ import annotations

import datetime
import difflib
from pathlib import Path

import pytest
from chalicelib.details import check, yaml_block

ROOT = Path(__file__).resolve().parents[2]
TEXT = (ROOT / "data/associations.yaml").read_text("utf-8")
REFERENCE = {name: (ROOT / name).read_text("utf-8") for name in check.REFERENCE_FILES}
TODAY = datetime.date(2026, 12, 6)
IDENT = "ai-bergeracois"


def changed_lines(before: str, after: str) -> set[int]:
    """The 1-based lines of ``before`` a diff removes or replaces."""
    touched = set()
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag != "equal":
            touched.update(range(i1 + 1, max(i2, i1 + 1) + 1))
    return touched


def test_the_edit_touches_only_the_blocks_lines_and_every_comment_survives():
    commented = TEXT.replace("  - id: ai-sarladais\n", "  # Sarlat : horaires d'été à revoir\n"
                                                        "  - id: ai-sarladais\n")
    after = yaml_block.edit(commented, IDENT, {
        "phone": "05 36 49 99 00", "hours": "Du lundi au vendredi : de 9 h à 12 h", "website": "",
        "services": ["menage", "jardinage"], "hourly_price": "22,40", "id": "pirate", "zone": "x"})
    block = yaml_block.block_lines(commented, IDENT)
    assert changed_lines(commented, after) and changed_lines(commented, after) <= set(block)
    for line in commented.splitlines():
        if line.lstrip().startswith("#"):
            assert line in after.splitlines()   # byte for byte
    assert yaml_block.current(after, IDENT) == {
        "address": "27 rue Neuve d'Argenson", "phone": "05 36 49 99 00", "email": "contact@bergeracois.example.org",
        "contact": "M. Alain Dupouy, directeur", "hours": "Du lundi au vendredi : de 9 h à 12 h", "website": "",
        "hourly_price": "22,4", "services": ["menage", "jardinage"]}
    new_block = yaml_block.block_lines(after, IDENT)
    lines = after.splitlines(keepends=True)[new_block.start - 1:new_block.stop]
    assert "    services: [menage, jardinage]\n" in lines   # the list keeps its one-line style
    assert "id: ai-bergeracois" in after and "pirate" not in after   # only the editable fields change
    assert check.judge(after, IDENT, REFERENCE, TODAY).ok


def test_an_unchanged_edit_changes_nothing():
    assert yaml_block.edit(TEXT, IDENT, yaml_block.current(TEXT, IDENT)) == TEXT


def test_the_services_keep_the_files_order_whatever_the_forms():
    """The form lists services by name; the file's order (which the page shows) is the editors'."""
    services = yaml_block.current(TEXT, IDENT)["services"]
    assert yaml_block.edit(TEXT, IDENT, {"services": sorted(services)}) == TEXT
    added = yaml_block.current(yaml_block.edit(TEXT, IDENT, {"services": ["courses", *sorted(services[1:])]}), IDENT)
    assert added["services"] == [*services[1:], "courses"]


def test_the_last_block_is_edited_without_touching_the_blocks_before_it():
    last = TEXT.split("\n  - id: ")[-1].split("\n", 1)[0]
    after = yaml_block.edit(TEXT, last, {"contact": "Mme Nouvelle Personne"})
    assert changed_lines(TEXT, after) <= set(yaml_block.block_lines(TEXT, last))
    assert "contact: Mme Nouvelle Personne\n" in after


@pytest.mark.parametrize(("changes", "name", "words"), [
    ({"phone": "12 34"}, "phone", "Le numéro « 12 34 » n'est pas valide"),
    ({"email": "pas-une-adresse"}, "email", "L'adresse e-mail « pas-une-adresse » n'est pas valide"),
    ({"website": "http://bergeracois.example.org"}, "website", "doit être une adresse complète commençant par "
                                                               "https://"),
    ({"hourly_price": "250"}, "hourly_price", "Le prix de l'heure « 250 » doit être compris entre 0,01 et 100"),
    ({"services": ["menage", "plomberie"]}, "services", "plomberie"),
    ({"hours": ""}, "hours", "n'a pas de champ"),
])
def test_the_models_french_message_comes_back_beside_the_field(changes, name, words):
    verdict = check.judge(yaml_block.edit(TEXT, IDENT, changes), IDENT, REFERENCE, TODAY)
    assert not verdict.ok
    assert any(words in message for message in verdict.by_field[name]), verdict


def test_another_blocks_old_error_is_not_the_associations_to_fix():
    broken = TEXT.replace("phone: 05 36 49 10 11", "phone: 00")   # ai-grand-perigueux, not the one editing
    assert check.judge(yaml_block.edit(broken, IDENT, {"contact": "M. Dupouy"}), IDENT, REFERENCE, TODAY).ok


def test_an_unknown_association_is_said():
    with pytest.raises(yaml_block.BlockNotFound):
        yaml_block.edit(TEXT, "ai-inconnue", {"phone": "05 36 49 10 28"})


def test_a_forged_value_stays_one_value_of_the_block():
    """A POST is not bound by the form: a line break, a « - id: » or a comment in a field stays its text."""
    forged = "Le lundi\n  - id: pirate\n    # commentaire: x"
    after = yaml_block.edit(TEXT, IDENT, {"hours": forged, "contact": "# pas un commentaire", "address": "a: b"})
    assert changed_lines(TEXT, after) <= set(yaml_block.block_lines(TEXT, IDENT))
    values = yaml_block.current(after, IDENT)
    assert (values["hours"], values["contact"], values["address"]) == (forged, "# pas un commentaire", "a: b")
    assert after.count("\n  - id: ") == TEXT.count("\n  - id: ")
