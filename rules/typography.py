"""French typography for texts that do not go through the Markdown pipeline (data, menus, e-mails, the kit),
and the accent-free keys that search, sorting and URLs use.

A word with a hyphen that must not break (« e-mail ») is kept whole in HTML by a ``nowrap`` span
(theme/templates/forms/_parts.html), not by U+2011: the site's subset fonts do not carry that character."""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"   # between thousands: 12 345


@lru_cache(maxsize=8192)  # pure, and called for the same menu titles and hours on every page
def french_spacing(text: str) -> str:
    """A non-breaking space before « : ; ? ! » and inside guillemets, and the typographic apostrophe:
    ``Qu'est-ce ? « oui »`` → ``Qu’est-ce ? « oui »`` with the spaces that cannot break."""
    text = str(text).replace("'", "\u2019")
    text = re.sub(r" ([:;?!»])", NBSP + r"\1", text)
    return text.replace("« ", "«" + NBSP)


def fold_typed(text: str) -> str:
    """Lower case, no accents, hyphens and apostrophes as spaces: ``Saint-Émilion`` → ``saint emilion``.

    This one for what a person typed (a commune searched for on a form): not remembered, since a memo of the
    functions' warm process would keep a visitor's words where erasure cannot reach them. ``fold`` is the same,
    remembered, for the data's own names.

    Twin: ``fold`` in theme/static/js/french.js (the finder's type-ahead)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    return re.sub(r"[^a-z0-9]+", " ", plain.lower()).strip()


# Pure: a commune's name is folded for its slug, its sort key and the finder; never given what a person typed.
fold = lru_cache(maxsize=65536)(fold_typed)


def slugify(text: str) -> str:
    """A readable URL segment: ``Lège-Cap-Ferret`` → ``lege-cap-ferret``."""
    return fold(text).replace(" ", "-")


def french_number(value: float | Decimal, decimals: int = 0) -> str:
    """``12345.6`` → ``12 345,6`` with a narrow no-break space, as French typography writes numbers."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NARROW_NBSP).replace(".", ",")


def french_euros(amount: Decimal | float) -> str:
    """``23`` → ``23 €``, ``11.5`` → ``11,50 €``, ``12000`` → ``12 000 €``: whole euros without cents,
    otherwise to the cent (rounded half up), a no-break space before the sign so « € » never starts a line."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    decimals = 0 if value == value.to_integral_value() else 2
    return f"{french_number(value, decimals)}{NBSP}€"


def french_duration(seconds: float | None) -> str:
    """« 4 min 05 s », « 38 s », « — » when there is nothing to measure."""
    if seconds is None:
        return "—"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}{NBSP}min{NBSP}{rest:02d}{NBSP}s" if minutes else f"{rest}{NBSP}s"
