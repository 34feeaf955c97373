"""The site's one ranking of communes for what a person typed, so « Pau » opens Pau (not Paulin) and « 33330 »
Saint-Émilion (not Pompignac, whose INSEE code it happens to be) wherever a commune is searched.

- Digits are a postal code, never an INSEE code: the communes whose postal codes start with them, those with the
  exact code first, the most populous first (the town that gives a postal code its name is nearly always its
  largest: 33330 is Saint-Émilion's, shared with seven smaller villages), then A–Z.
- Words are a name, accents, case, hyphens and apostrophes folded (``rules.typography.fold``), « St » read as
  « Saint » and « Ste » as « Sainte »: an exact name first, then the names starting with the query, then the rest
  (a word of the name starting with it, then the name containing it anywhere); A–Z within each group.

Twin: ``search`` in theme/static/js/communes.js. Both are checked against the shared cases of
tests/rules/commune_search_cases.json (query → the INSEE code that must come first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from .typography import fold, fold_typed

ABBREVIATIONS = {"st": "saint", "ste": "sainte"}
POSTAL = re.compile(r"\d{2,5}")


@dataclass(frozen=True, slots=True)
class Candidate:
    """What the ranking needs of a commune (the model's, the routing table's or the index's)."""
    insee: str
    name: str
    postal_codes: Sequence[str] = ()
    population: int = 0


def expand(key: str) -> str:
    """``st emilion`` → ``saint emilion``: the abbreviations people type, on a folded key."""
    return " ".join(ABBREVIATIONS.get(word, word) for word in key.split(" "))


def postal_query(typed: str) -> str | None:
    """The digits of a postal code (« 33 330 » too), or None when the query is a name."""
    digits = re.sub(r"\s+", "", typed or "")
    return digits if POSTAL.fullmatch(digits) else None


def name_rank(query: str, name: str) -> int | None:
    """0 exact, 1 starts with the query, 2 a word starts with it, 3 contains it; None: no match. ``query`` and
    ``name`` are folded keys (the query expanded)."""
    if name == query:
        return 0
    if name.startswith(query):
        return 1
    if f" {query}" in name:
        return 2
    if query in name:
        return 3
    return None


def search(typed: str, communes: Iterable[Candidate], limit: int | None = None) -> list[str]:
    """INSEE codes of the communes matching ``typed``, best first (see the module's rule)."""
    digits = postal_query(typed)
    ranked: list[tuple[tuple[int | str, ...], str]] = []   # (sort key, INSEE code)
    if digits:
        for c in communes:
            codes = [p for p in c.postal_codes if p.startswith(digits)]
            if codes:
                ranked.append(((digits not in codes, -int(c.population or 0), fold(c.name)), c.insee))
    else:
        key = fold_typed(typed or "")
        if not key:
            return []
        queries = {key, expand(key)}
        for c in communes:
            name = fold(c.name)
            ranks = [r for r in (name_rank(q, name) for q in queries) if r is not None]
            if ranks:
                ranked.append(((min(ranks), name), c.insee))
    codes = [insee for _, insee in sorted(ranked)]
    return codes[:limit] if limit is not None else codes
