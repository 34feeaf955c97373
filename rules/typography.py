"""French typography for texts that do not go through the Markdown pipeline (data, menus, e-mails, the kit),
and the accent-free keys that search, sorting and URLs use."""

from __future__ import annotations

import re
import unicodedata

NBSP = "\u00a0"


def french_spacing(text: str) -> str:
    """A non-breaking space before « : ; ? ! » and inside guillemets, and the typographic apostrophe:
    ``Qu'est-ce ? « oui »`` → ``Qu’est-ce ? « oui »`` with the spaces that cannot break."""
    text = str(text).replace("'", "\u2019")
    text = re.sub(r" ([:;?!»])", NBSP + r"\1", text)
    return text.replace("« ", "«" + NBSP)


def fold(text: str) -> str:
    """Lower case, no accents, hyphens and apostrophes as spaces: ``Saint-Émilion`` → ``saint emilion``.

    Twin: ``fold`` in theme/static/js/french.js (the finder's type-ahead)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    return re.sub(r"[^a-z0-9]+", " ", plain.lower()).strip()


def slugify(text: str) -> str:
    """A readable URL segment: ``Lège-Cap-Ferret`` → ``lege-cap-ferret``."""
    return fold(text).replace(" ", "-")
