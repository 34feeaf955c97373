"""The charter's results on the site: on each signatory's page and on the charter page (issue 24, item 4).

The figures come from the file the functions write (``CHARTER_RESULTS``, rules/charter_results.py), read once
per build by ``SiteBuild.charter_results``: no file, no results block — the site builds as before; a broken file
stops the build in French (model/charter_results.py). A figure is shown only over ``results_min_answers``
answers (data/settings.yaml, 10 by default), so that a share means something and points at no one; the
figures themselves are counts and shares, never a name.

Templates read ``charter_results(association)`` (an association's, None for a non-signatory or too few
answers) and ``charter_results()`` (the region's): a ``Shown`` with the sentences and the dates. The
association pages name their ``Shown`` in their digests (plugins/directory), so a new file renders again
exactly the pages whose figures changed; the charter page is a content page, rendered by every build.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from pelican import signals
from pipeline import site_build

from rules.charter_results import CharterResults, Promise, Results, Satisfaction
from rules.dates import french_date
from rules.typography import NBSP, french_number

logger = logging.getLogger(__name__)


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


def share_words(share: float) -> str:
    return f"{french_number(round(100 * share))}{NBSP}%"


def mark_words(mean: float) -> str:
    return f"{french_number(mean, 1)} sur 5"


def figures_of(results: Results, min_answers: int) -> tuple[Figure, ...]:
    """The sentences of the figures with enough answers behind them, in the charter's order."""
    found: list[Figure] = []

    def promise(value: Promise | None, words: str) -> None:
        if value is not None and value.counted >= min_answers and value.share is not None:
            found.append(Figure("", share_words(value.share), words))

    promise(results.callback_48h, " des demandes rappelées sous 48 heures ouvrées")
    promise(results.intervenant_72h, " des nouveaux clients avec un intervenant sous 72 heures ouvrées")
    satisfaction: Satisfaction | None = results.satisfaction
    if satisfaction is not None and satisfaction.answers >= min_answers:
        found.append(Figure("L'accueil noté ", mark_words(satisfaction.welcome),
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

    def __call__(self, association=None) -> Shown | None:
        """``charter_results(association)`` in a template; ``charter_results()``: the region's."""
        return self.region if association is None else self.of(association.id)


def public_results(settings: dict) -> PublicResults:
    """Made once per build, on first use, by whichever plugin asks first (this one, or the directory's digests)."""
    known = settings.get(SETTING)
    if known is None:
        build = site_build(settings)
        site = build.site
        known = settings[SETTING] = PublicResults(
            build.charter_results, frozenset(a.id for a in site.associations if a.charter_signed),
            site.settings.results_min_answers)
    return known


SETTING = "CHARTER_FIGURES"


def publish(pelican) -> None:
    settings = pelican.settings
    results = public_results(settings)   # a broken file stops the build here, before any page
    settings.setdefault("JINJA_GLOBALS", {})["charter_results"] = results
    if results.published:
        shown = sum(results.of(a) is not None for a in results.signatories)
        logger.info("Charter results of %s: %d signatory page(s) show figures", results.results.computed_at.date(),
                    shown)


def register() -> None:
    signals.initialized.connect(publish)
