"""The measured origins: the short slugs the network's own links carry in ``?source=`` (issue 25, item 3).

Written once, read by the kit (its QR codes), the site (forms.js copies the slug into the forms) and the
functions (the hidden ``source`` field of a request, the audience figures' landings per source). A source is
*measured* — the link says where it was printed or pasted — beside the *declared* origin (« Comment nous
avez-vous connus ? », ``origine``). Nothing is stored on the visitor's device: the slug travels in URLs only.

A value is either one of the fixed slugs or a family with a suffix the data knows (``mairie-33063``: the
town-hall card or poster of a commune, by its INSEE code; ``partenaire-gironde``: a partner of
data/partners.yaml). Anything else is ignored — never stored, never an error: a visitor who edits a link still
sends their request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PARAMETER = "source"   # the query parameter and the forms' hidden field
TOWN_HALL = "mairie"   # a town hall's card on its website, or its poster's QR code (plugins/directory/town_hall.py)
_TOWN_HALL_VALUE = re.compile(r"^mairie-(\d[0-9AB]\d{3})$")  # INSEE codes: 33394, 2A004 (Corsica)

# The print kit's documents (kit/documents.py gives each its slug): « kit-<document> ».
KIT_SOURCES = {
    "kit-plaquette": "Plaquette du kit",
    "kit-affiche": "Affiche du kit",
    "kit-depliant": "Dépliant du kit",
    "kit-papier-en-tete": "Papier à en-tête",
    "kit-charte": "Affiche de la charte qualité",
}
FIXED_SOURCES = {
    **KIT_SOURCES,
    "mairie": "Site d'une mairie",
    "presse": "Article de presse",
    "parrainage": "Parrainage",
}
# Families: the prefix, and what its suffix must be (checked against the data by ``KnownSources``).
FAMILIES = {
    "mairie": "Mairie",                         # mairie-<INSEE code>: that town hall's card or poster
    "partenaire": "Bannière d'un partenaire",   # partenaire-<partner id>: a banner on that partner's site
}
MAX_LENGTH = 60
SLUG = re.compile(r"[a-z0-9]+(?:-[a-zA-Z0-9]+)*")   # (upper case only in a suffix: INSEE codes 2A…, 2B…)


def town_hall_source(insee: str) -> str:
    """« mairie-33394 »: the town hall of the commune whose INSEE code is ``insee``."""
    value = f"{TOWN_HALL}-{insee}"
    if not _TOWN_HALL_VALUE.match(value):
        raise ValueError(f"not an INSEE code: {insee!r}")
    return value


def town_hall_of(source: str) -> str | None:
    """The INSEE code a town-hall source names, or None when ``source`` is not one."""
    match = _TOWN_HALL_VALUE.match(source or "")
    return match.group(1) if match else None


def with_source(url: str, source: str) -> str:
    """``url`` with its source: the link a QR code, a card or a banner points to."""
    if source not in FIXED_SOURCES and source.split("-", 1)[0] not in FAMILIES:
        raise ValueError(f"source inconnue : {source!r}")
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}{PARAMETER}={source}"


@dataclass(frozen=True)
class KnownSources:
    """The list a source is validated against: the fixed slugs, and the families' suffixes from the data."""

    communes: frozenset[str] = field(default_factory=frozenset)   # INSEE codes (mairie-<code>)
    partners: frozenset[str] = field(default_factory=frozenset)   # partner ids (partenaire-<id>)

    def clean(self, value: object) -> str | None:
        """The source if the list knows it, else None (ignored: never stored, never an error)."""
        if not isinstance(value, str) or len(value) > MAX_LENGTH or not SLUG.fullmatch(value):
            return None
        if value in FIXED_SOURCES:
            return value
        if town_hall_of(value) in self.communes:
            return value
        family, _, suffix = value.partition("-")
        if family == "partenaire" and suffix in self.partners:
            return value
        return None

    def label(self, source: str) -> str:
        """The French name of a known source, for the figures (« Carte d'une mairie (33063) »)."""
        if source in FIXED_SOURCES:
            return FIXED_SOURCES[source]
        family, _, suffix = source.partition("-")
        return f"{FAMILIES[family]} ({suffix})" if family in FAMILIES else source
