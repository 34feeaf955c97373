from decimal import Decimal

from rules.grammar import a_commune, de_departement, en_departement, pick, plural
from rules.typography import fold, french_duration, french_spacing, slugify


def test_fold_ignores_case_accents_and_hyphens():
    assert fold("Saint-Émilion") == fold("saint emilion") == "saint emilion"
    assert fold("Œuvre d'Art") == "oeuvre d art"


def test_slugify_makes_readable_urls():
    assert slugify("Lège-Cap-Ferret") == "lege-cap-ferret"


def test_french_spacing_puts_non_breaking_spaces_and_apostrophes_where_french_wants_them():
    assert french_spacing("De 9 h à 12 h ; samedi : fermé « oui »") == \
        "De 9 h à 12 h\u00a0; samedi\u00a0: fermé «\u00a0oui\u00a0»"
    assert french_spacing("Qu'est-ce ? Oui !") == "Qu\u2019est-ce\u00a0? Oui\u00a0!"
    assert french_spacing(" :") == "\u00a0:"      # the kit's templates pass the mark alone


def test_prepositions_before_a_commune_and_departement_articles():
    assert a_commune("Bordeaux") == "à Bordeaux"
    assert a_commune("Le Bouscat") == "au Bouscat"
    assert a_commune("Les Eyzies") == "aux Eyzies"
    assert a_commune("La Teste-de-Buch") == "à La Teste-de-Buch"
    assert de_departement("Landes", "40") == "des Landes"
    assert en_departement("Lot-et-Garonne", "47") == "en Lot-et-Garonne"
    assert plural(0, "commune", "communes") == "0 commune" and plural([1, 2], "commune", "communes") == "2 communes"
    assert pick(1, "intervient", "interviennent") == "intervient"


def test_durations_read_as_minutes_and_seconds():
    assert french_duration(607.5) == "10\u00a0min\u00a008\u00a0s"
    assert french_duration(38) == "38\u00a0s"
    assert french_duration(None) == "—"


def test_euros_are_written_the_french_way():
    from rules.typography import french_euros
    assert french_euros(23) == "23\u00a0€"
    assert french_euros(Decimal("11.5")) == "11,50\u00a0€"
    assert french_euros(22.5) == "22,50\u00a0€"
    assert french_euros(Decimal("11.00")) == "11\u00a0€"
    assert french_euros(12000) == "12\u202f000\u00a0€"
    assert french_euros(Decimal("12.375")) == "12,38\u00a0€"   # to the cent, half up
