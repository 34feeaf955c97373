"""French text helpers: slugs, accent-free search keys and dates that ignore the locale."""

from __future__ import annotations

import datetime
import re
import unicodedata

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")


def fold(text: str) -> str:
    """Lower case, no accents, hyphens and apostrophes as spaces: ``Saint-Émilion`` → ``saint emilion``."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    return re.sub(r"[^a-z0-9]+", " ", plain.lower()).strip()


def slugify(text: str) -> str:
    """A readable URL segment: ``Lège-Cap-Ferret`` → ``lege-cap-ferret``."""
    return fold(text).replace(" ", "-")


def french_date(day: datetime.date) -> str:
    """``3 mars 2026`` (``1er`` for the first), whatever the machine's locale."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def french_spacing(text: str) -> str:
    """A non-breaking space instead of the ordinary one before « : ; ? ! » and after « (for
    texts that do not come from the templates: menu titles, opening hours)."""
    text = re.sub(r" ([:;?!»])", "\u00a0\\1", str(text))
    return re.sub(r"« ", "«\u00a0", text)
