"""French grammar the pages, e-mails and the kit share: « à / au / aux » before a commune, the articles of the
départements, and plurals (French puts 0 and 1 in the singular)."""

from __future__ import annotations

# Keyed by département code: (« de … », « en/dans … »). The name itself comes from the data.
DEPARTEMENT_FORMS = {
    "24": ("de la {}", "en {}"),
    "33": ("de la {}", "en {}"),
    "40": ("des {}", "dans les {}"),
    "47": ("du {}", "en {}"),
    "64": ("des {}", "dans les {}"),
}
DEFAULT_FORMS = ("de {}", "en {}")


def a_commune(name: str) -> str:
    """« à Bordeaux », « au Bouscat », « aux Artigues-de-Lussac », « à La Teste-de-Buch ».

    Twin: ``at`` in theme/static/js/french.js."""
    if name.startswith("Le "):
        return "au " + name[3:]
    if name.startswith("Les "):
        return "aux " + name[4:]
    return "à " + name


def de_departement(name: str, code: str) -> str:
    """« de la Gironde », « des Landes », « du Lot-et-Garonne »."""
    return DEPARTEMENT_FORMS.get(code, DEFAULT_FORMS)[0].format(name)


def en_departement(name: str, code: str) -> str:
    """« en Gironde », « dans les Landes », « en Lot-et-Garonne »."""
    return DEPARTEMENT_FORMS.get(code, DEFAULT_FORMS)[1].format(name)


def _count(count) -> int:
    return count if isinstance(count, int) else len(count)


def pick(count, one: str, many: str) -> str:
    """The singular or plural form alone: ``pick(2, 'intervient', 'interviennent')``."""
    return one if _count(count) <= 1 else many


def plural(count, one: str, many: str) -> str:
    """« 1 commune », « 0 commune », « 2 communes »."""
    return f"{_count(count)} {pick(count, one, many)}"
