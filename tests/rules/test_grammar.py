"""Elision before a name: « d'Aquitaine », « qu'association », « de Marsan » — the one rule the e-mails, the back
office, the site and the kit apply wherever a name from the data or from a person follows « de » or « que »."""

from __future__ import annotations

import pytest

from rules.grammar import before, de, elide, elides_before, filters, que


@pytest.mark.parametrize("name", ["Aquitaine", "Emploi Services", "Isle Emploi", "Orthez", "Ustaritz", "avril 2026",
                                  "août 2026", "octobre 2026", "AAI", "ANNE DUPONT"])
def test_a_vowel_elides(name):
    assert de(name) == "d'" + name
    assert que(name) == "qu'" + name


@pytest.mark.parametrize("name", ["Élise Martin", "Èze", "Île-de-France", "Ôté", "Œuvre commune", "Âge d'or"])
def test_an_accented_vowel_elides(name):
    assert de(name) == "d'" + name


@pytest.mark.parametrize("name", ["Hendaye", "Hasparren", "Hélène Bordes", "Hostens"])
def test_a_mute_h_elides(name):
    assert de(name) == "d'" + name


@pytest.mark.parametrize("name", ["Haute Lande Emploi Solidaire", "Haut-Béarn Emploi", "Hauts-de-France", "Huit"])
def test_an_aspirated_h_does_not(name):
    assert de(name) == "de " + name and que(name) == "que " + name


@pytest.mark.parametrize("name", ["Marsan", "Pau Béarn Emploi Services", "Bordeaux", "La Teste-de-Buch",
                                  "novembre 2026", "Sud Ouest", "Zoé", "onze", "8 heures", "« Aqui »", ""])
def test_a_consonant_a_digit_a_sign_or_nothing_does_not(name):
    assert de(name) == "de " + name


def test_y_elides_when_it_sounds_like_a_vowel():
    assert de("Yves") == "d'Yves" and de("Ychoux") == "d'Ychoux"
    assert de("Yannick") == "de Yannick" and de("Yolande") == "de Yolande"


def test_the_other_eliding_words_the_capital_and_the_apostrophe():
    assert elide("le", "Entre-deux-Mers") == "l'Entre-deux-Mers"
    assert elide("jusque", "Agen") == "jusqu'Agen"
    assert before("De", "Aquitaine") == "D'" and before("Que", "Marsan") == "Que "
    assert before("à", "Agen") == "à ", "only words that elide do"
    assert de("Aquitaine", "\u2019") == "d\u2019Aquitaine"
    assert elides_before("  Aquitaine") and de("  Aquitaine") == "d'Aquitaine"


def test_the_jinja_filters_write_the_same_rule_with_the_apostrophe_asked_for():
    import jinja2

    env = jinja2.Environment(autoescape=True)
    env.filters.update(filters("\u2019"))
    page = env.from_string('{{ "en tant que" | before(n) }}<strong>{{ n }}</strong>, la cellule {{ n | de }}')
    # « en tant que » is not one word: only its last word elides, so templates pass « que » alone.
    assert page.render(n="Association") == "en tant que <strong>Association</strong>, la cellule d\u2019Association"
    assert env.from_string('tant {{ "que" | before(n) }}<b>{{ n }}</b>').render(n="Association") == \
        "tant qu\u2019<b>Association</b>"
    assert env.from_string("{{ n | que }}").render(n="Marsan") == "que Marsan"
