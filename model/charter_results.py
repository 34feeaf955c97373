"""The charter's published results (rules/charter_results.py), read for the site build, and what the pages say.

The file is written by the functions, not by an editor, and may not be there yet: then the site is built without
the results, as before any figure was computed. A file that is there but broken stops the build like any data
error — French, naming the file and the fix — rather than publishing figures nobody can vouch for.

``PublicResults`` is what the pages show (plugins/charter_results, theme/templates/_charter_results.html): a
signatory's figures and the region's, each figure only over ``results_min_answers`` answers (data/settings.yaml,
10 by default), so that a share means something and points at no one. Counts and shares only, never a name.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from rules.charter_results import FIX, CharterResults, Promise, Results, ResultsFormatError, Satisfaction, parse
from rules.dates import french_date
from rules.typography import NBSP, french_number

from .associations import Association
from .errors import DataError, Problem

LINE = re.compile(r"^ligne (\d+) : ")


def load_charter_results(path: Path, root: Path | None = None) -> CharterResults | None:
    """The figures of ``path``; None when there is no such file. ``root``: the project, to name the file."""
    if not path.is_file():
        return None
    shown = path.relative_to(root).as_posix() if root is not None and path.is_relative_to(root) else str(path)
    try:
        return parse(path.read_text("utf-8"))
    except UnicodeDecodeError:
        problem = "le fichier n'est pas du texte UTF-8"
    except ResultsFormatError as error:
        problem = str(error)
    found = LINE.match(problem)
    line = int(found.group(1)) if found else 0
    raise DataError([Problem(shown, line, f"les résultats de la charte sont illisibles : {LINE.sub('', problem)} ; "
                                          f"{FIX}.")])


@dataclass(frozen=True)
class Figure:
    """One sentence: ``before`` <strong>``value``</strong> ``after``."""

    before: str
    value: str
    after: str


@dataclass(frozen=True)
class Shown:
    """What a page says: its figures, over which period, computed when, from how many answers at least."""

    figures: tuple[Figure, ...]
    start: datetime.date
    end: datetime.date
    computed_on: datetime.date
    min_answers: int

    @property
    def computed_words(self) -> str:
        return f"calculé le {french_date(self.computed_on)}"

    @property
    def period_words(self) -> str:
        return f"du {french_date(self.start)} au {french_date(self.end)}"


def share_words(promise: Promise) -> str:
    """« 92 % »; never « 100 % » while one promise was missed (199 kept out of 200 is « 99 % »)."""
    percent = round(100 * promise.kept / promise.counted)
    if percent == 100 and promise.kept < promise.counted:
        percent = 99
    return f"{french_number(percent)}{NBSP}%"


def mark_words(mean: float) -> str:
    return f"{french_number(mean, 1)} sur 5"


def figures_of(results: Results, min_answers: int) -> tuple[Figure, ...]:
    """The sentences of the figures with enough answers behind them, in the charter's order."""
    found: list[Figure] = []

    def promise(value: Promise | None, words: str) -> None:
        if value is not None and value.counted and value.counted >= min_answers:
            found.append(Figure("", share_words(value), words))

    promise(results.callback_48h, f" des demandes rappelées sous 48{NBSP}heures ouvrées")
    promise(results.intervenant_72h, f" des nouveaux clients avec un intervenant sous 72{NBSP}heures ouvrées")
    satisfaction: Satisfaction | None = results.satisfaction
    if satisfaction is not None and satisfaction.answers >= min_answers:
        found.append(Figure("L’accueil noté ", mark_words(satisfaction.welcome),
                            " par les clients après la première mission"))
        found.append(Figure("Le suivi de la relation noté ", mark_words(satisfaction.follow_up),
                            " par les clients après la première mission"))
    return tuple(found)


class PublicResults:
    """The build's view of the figures: per association (signatories only) and for the region."""

    def __init__(self, results: CharterResults | None, signatories: frozenset[str], min_answers: int):
        self.results, self.signatories, self.min_answers = results, signatories, min_answers

    def _shown(self, figures: Results | None) -> Shown | None:
        if self.results is None or figures is None:
            return None
        shown = figures_of(figures, self.min_answers)
        if not shown:
            return None
        return Shown(shown, self.results.start, self.results.end, self.results.computed_at.date(), self.min_answers)

    def of(self, ai_id: str) -> Shown | None:
        """A signatory's figures with enough answers; None otherwise (nothing is shown)."""
        if self.results is None or ai_id not in self.signatories:
            return None
        return self._shown(self.results.of(ai_id))

    @property
    def region(self) -> Shown | None:
        return self._shown(self.results.region) if self.results is not None else None

    @property
    def published(self) -> bool:
        """A results file was read (the charter page then says when the region's figures will show)."""
        return self.results is not None

    def __call__(self, association: Association | None = None) -> Shown | None:
        """``charter_results(association)`` in a template; ``charter_results()``: the region's."""
        return self.region if association is None else self.of(association.id)
