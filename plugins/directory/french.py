"""Small French grammar helpers for the templates: départements' articles, « à » before a
commune's article, plurals. Registered as Jinja filters by plugins/directory."""

from __future__ import annotations

import html
import re

from model.text import french_spacing

TAG = re.compile(r"<[^>]*>")
SPACES = re.compile(r"[ \t\r\n]+")

# Keyed by département code: (« de … », « en/dans … »). The name itself comes from the data.
DEPARTEMENT_FORMS = {
    "24": ("de la {}", "en {}"),
    "33": ("de la {}", "en {}"),
    "40": ("des {}", "dans les {}"),
    "47": ("du {}", "en {}"),
    "64": ("des {}", "dans les {}"),
}
DEFAULT_FORMS = ("de {}", "en {}")


def _name_and_code(departement) -> tuple[str, str]:
    return departement.name, departement.code


def de_departement(departement) -> str:
    """« de la Gironde », « des Landes », « du Lot-et-Garonne »."""
    name, code = _name_and_code(departement)
    return DEPARTEMENT_FORMS.get(code, DEFAULT_FORMS)[0].format(name)


def en_departement(departement) -> str:
    """« en Gironde », « dans les Landes », « en Lot-et-Garonne »."""
    name, code = _name_and_code(departement)
    return DEPARTEMENT_FORMS.get(code, DEFAULT_FORMS)[1].format(name)


def a_commune(name: str) -> str:
    """« à Bordeaux », « au Bouscat », « aux Artigues-de-Lussac », « à La Teste-de-Buch »."""
    if name.startswith("Le "):
        return "au " + name[3:]
    if name.startswith("Les "):
        return "aux " + name[4:]
    return "à " + name


def plural(count, one: str, many: str) -> str:
    """« 1 commune », « 2 communes » (French: 0 and 1 take the singular)."""
    count = count if isinstance(count, int) else len(count)
    return f"{count} {one if count <= 1 else many}"


def pick(count, one: str, many: str) -> str:
    """The singular or plural form alone: ``{{ n | pick('intervient', 'interviennent') }}``."""
    count = count if isinstance(count, int) else len(count)
    return one if count <= 1 else many


def plain_text(markup) -> str:
    """HTML → text for an attribute (to be escaped once with ``|e``): tags dropped, entities decoded,
    runs of ordinary white space collapsed. Unlike Jinja's ``striptags``, keeps non-breaking spaces."""
    return SPACES.sub(" ", html.unescape(TAG.sub("", str(markup)))).strip()




FILTERS = {
    "plain_text": plain_text,
    "french_spacing": french_spacing,
    "de_departement": de_departement,
    "en_departement": en_departement,
    "a_commune": a_commune,
    "plural": plural,
    "pick": pick,
}
