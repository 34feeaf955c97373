import datetime

from model.text import fold, french_date, slugify


def test_fold_ignores_case_accents_and_hyphens():
    assert fold("Saint-Émilion") == fold("saint emilion") == "saint emilion"
    assert fold("Œuvre d'Art") == "oeuvre d art"


def test_slugify_makes_readable_urls():
    assert slugify("Lège-Cap-Ferret") == "lege-cap-ferret"


def test_french_date_ignores_the_machine_locale():
    assert french_date(datetime.date(2026, 3, 3)) == "3 mars 2026"
    assert french_date(datetime.date(2026, 8, 1)) == "1er août 2026"


def test_french_spacing_puts_non_breaking_spaces_where_french_wants_them():
    from model.text import french_spacing
    assert french_spacing("De 9 h à 12 h ; samedi : fermé « oui »") == \
        "De 9 h à 12 h\u00a0; samedi\u00a0: fermé «\u00a0oui\u00a0»"
