"""The French rules of ``rules/`` as Jinja filters for the templates (registered by plugins/directory),
plus ``plain_text`` for attributes."""

from __future__ import annotations

import html
import re

from rules import grammar
from rules.grammar import a_commune, pick, plural
from rules.typography import french_euros, french_spacing

TAG = re.compile(r"<[^>]*>")
SPACES = re.compile(r"[ \t\r\n]+")


def de_departement(departement) -> str:
    """« de la Gironde », « des Landes », « du Lot-et-Garonne »."""
    return grammar.de_departement(departement.name, departement.code)


def en_departement(departement) -> str:
    """« en Gironde », « dans les Landes », « en Lot-et-Garonne »."""
    return grammar.en_departement(departement.name, departement.code)


def plain_text(markup) -> str:
    """HTML → text for an attribute (to be escaped once with ``|e``): tags dropped, entities decoded,
    runs of ordinary white space collapsed. Unlike Jinja's ``striptags``, keeps non-breaking spaces."""
    return SPACES.sub(" ", html.unescape(TAG.sub("", str(markup)))).strip()


FILTERS = {
    "plain_text": plain_text,
    "french_spacing": french_spacing,
    "euros": french_euros,
    "de_departement": de_departement,
    "en_departement": en_departement,
    "a_commune": a_commune,
    "plural": plural,
    "pick": pick,
    **grammar.filters("\u2019"),   # « d’Aquitaine »: de, que, before
}
