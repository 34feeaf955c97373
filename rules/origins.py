"""The declared origins: « Comment nous avez-vous connus ? », the action plan's Annexe 3 in full (issue 25, item 2).

Written once, read by the site's forms (theme/templates/forms through model.settings), the cell's liaison sheet,
an association's contact sheet, the e-mails, the monthly figures and the Annexe 3 table. The *declared* origin is
what the person says; the *measured* one is the link they came by (``rules.sources``).

The seed's « modèle de tableau de saisie » has fifteen numbered rows; the first, « Bouche à oreilles (Détailler) »,
is detailed in four (« a vu travailler un intervenant », « a eu connaissance dans l'univers professionnel »,
« Prescription d'un client ou d'un ancien client », « Autre (Préciser) »): eighteen answers. Two rows follow that
the seed could not know and the network's own figures need: this site, and « Autre » (with its « précisez »).
« S'il indique plusieurs sources de prise d'information, en saisir plusieurs »: a request carries a list.

The identifiers are stored with every request: never change one (the figures of past months refer to it). Requests
stored before the list was complete carry one identifier as a string; ``declared`` reads both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

FIELD = "origine"                 # the forms' field (several values)
DETAIL_FIELD = "origine_precision"  # the « préciser » text, when an answer asks for it
DETAIL_MAX = 100
UNKNOWN = "non-renseigne"         # a request that declared none: its own row in the figures
WORD_OF_MOUTH = "Le bouche-à-oreille"


@dataclass(frozen=True, slots=True)
class Origin:
    """One answer: its stored id, its label on the forms, its row in the Annexe 3 table (1 to 17; row 1 has four
    answers), and whether it asks for a « précisez »."""

    id: str
    label: str
    row: int
    detail: bool = False

    @property
    def grouped(self) -> bool:
        """An answer of row 1 (word of mouth), shown under its heading."""
        return self.row == 1

    @property
    def full_label(self) -> str:
        """The label read alone (an e-mail, a CSV column): « Le bouche-à-oreille : a vu travailler un
        intervenant »."""
        return f"{WORD_OF_MOUTH} : {self.label}" if self.grouped else self.label


ORIGINS: tuple[Origin, ...] = (
    # 1 — « Bouche à oreilles (Détailler) »
    Origin("bouche-a-oreille-intervenant", "a vu travailler un intervenant de l'association", 1),
    Origin("bouche-a-oreille-professionnel", "en a entendu parler dans son milieu professionnel", 1),
    Origin("bouche-a-oreille-client", "recommandé par un client ou un ancien client", 1),
    Origin("bouche-a-oreille", "autrement (précisez)", 1, detail=True),
    Origin("site-mairie", "Le site Internet de la mairie", 2),
    Origin("mairie", "La mairie ou le CCAS (accueil, agents de la mairie)", 3),
    Origin("affiches", "Une affiche de l'association", 4),
    Origin("plaquettes", "Une plaquette ou un dépliant de l'association", 5),
    Origin("presse", "Un article sur l'association dans la presse", 6),
    Origin("journal-municipal", "Un article dans le journal municipal", 7),
    Origin("pages-jaunes", "Les Pages Jaunes", 8),
    Origin("site-association", "Le site Internet de l'association", 9),
    Origin("demarche-active", "Une démarche de l'association (appel, visite…)", 10),
    Origin("salon", "L'association présente à une manifestation (salon, foire, fête…)", 11),
    Origin("mutuelle", "Une mutuelle ou sa plateforme de services", 12),
    Origin("comite-entreprise", "Un comité d'entreprise ou un prescripteur de CESU", 13),
    Origin("32-11", "Le 32 11", 14),
    Origin("enseignes-nationales", "Une enseigne nationale (Fourmi verte, Genius…)", 15),
    # Beyond the seed's table
    Origin("site-commun", "Ce site Internet (le site commun des associations)", 16),
    Origin("autre", "Autre (précisez)", 17, detail=True),
)

BY_ID = {origin.id: origin for origin in ORIGINS}

# The Annexe 3 table's rows, in the seed's order and words (« Cient/ Prospect » columns beside them).
ROWS: dict[int, str] = {
    1: "Bouche-à-oreille (détailler)",
    2: "Site Internet de la mairie",
    3: "Accueil et informations mairies (agents des mairies)",
    4: "Affiches déposées par l'association",
    5: "Plaquettes distribuées par l'association",
    6: "Article sur l'association dans la presse",
    7: "Article dans le journal municipal",
    8: "Pages Jaunes",
    9: "Site Internet de l'association",
    10: "Démarche active de l'association (téléphone…)",
    11: "Présence de l'association dans une manifestation",
    12: "Plateformes mutuelles",
    13: "Comités d'entreprise / prescripteurs de tickets CESU",
    14: "32 11",
    15: "Prescription d'une enseigne nationale (Fourmi verte, Genius…)",
    16: "Ce site Internet (site commun des associations)",
    17: "Autre (préciser)",
}
# The seed's words for row 1's details.
DETAIL_ROWS = {
    "bouche-a-oreille-intervenant": "a vu travailler un intervenant",
    "bouche-a-oreille-professionnel": "a eu connaissance dans l'univers professionnel",
    "bouche-a-oreille-client": "prescription d'un client ou d'un ancien client",
    "bouche-a-oreille": "autre (préciser)",
}


def labels() -> dict[str, str]:
    """id → the label read alone, in the list's order (look-ups, CSV columns)."""
    return {origin.id: origin.full_label for origin in ORIGINS}


def unknown(values: list[str]) -> list[str]:
    """The values the list does not know: a form refuses them (never stored)."""
    return [value for value in values if value not in BY_ID]


def needs_detail(values: list[str]) -> bool:
    """One of the answers asks « précisez »."""
    return any(BY_ID[value].detail for value in values if value in BY_ID)


def declared(data: Mapping[str, Any] | None) -> list[str]:
    """The origins a stored request declared, in the list's order: a list (several answers), a string (requests
    stored before several were allowed), nothing (``[]``). Values the list no longer knows are kept as they are,
    so that no count is lost."""
    value = (data or {}).get(FIELD)
    values = [value] if isinstance(value, str) else list(value or [])
    known = [origin.id for origin in ORIGINS if origin.id in values]
    return known + [v for v in values if v not in BY_ID and isinstance(v, str) and v]
