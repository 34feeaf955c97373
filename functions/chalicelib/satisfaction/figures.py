"""Satisfaction in figures, per association and for the region, over the last twelve months (the charter's
« mesurer périodiquement la satisfaction des clients »): questions sent, answers, response rate, mean rating and
share satisfied (4 or 5) per theme, unhappy answers. Counts only, nobody named."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from rules.dates import month_of, previous_month
from rules.typography import french_number

from ..requests.enums import SatisfactionTheme
from ..requests.model import Request
from ..routing import Routing
from ..service import FormService
from . import rules

REGION = "region"
FIELDS = {SatisfactionTheme.WELCOME.value: "satisfaction_welcome",
          SatisfactionTheme.RELATIONSHIP.value: "satisfaction_relationship"}


@dataclass
class SatisfactionFigures:
    sent: int = 0
    answered: int = 0            # at least one question answered
    unhappy: int = 0             # a rating of 2 or less (UNHAPPY_AT_MOST): « remplacer l'intervenant »
    ratings: dict[str, list[int]] = field(default_factory=lambda: {theme: [] for theme in FIELDS})

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.sent if self.sent else None

    def mean(self, theme: str) -> float | None:
        values = self.ratings[theme]
        return sum(values) / len(values) if values else None

    def satisfied_share(self, theme: str) -> float | None:
        values = self.ratings[theme]
        return sum(v >= 4 for v in values) / len(values) if values else None

    def add(self, record: Request) -> None:
        self.sent += 1
        self.answered += bool(record.satisfaction_answered_at)
        self.unhappy += rules.unhappy(record)
        for theme, name in FIELDS.items():
            value = getattr(record, name)
            if value is not None:
                self.ratings[theme].append(int(value))


def satisfaction_figures(records: Iterable[Request], routing: Routing) -> dict[str, SatisfactionFigures]:
    """``region`` and each association that sent questions (a re-routed request counts for the one that had the
    client). ``routing`` names the associations: one that left the network keeps its figures under its id."""
    found: dict[str, SatisfactionFigures] = {REGION: SatisfactionFigures()}
    for record in records:
        if not record.satisfaction_sent_at:
            continue
        found[REGION].add(record)
        found.setdefault(record.association, SatisfactionFigures()).add(record)
    return found


LEAD_MONTHS = 2   # months read before the window's first: a request received then may have its questions in it


def sent_between(svc: FormService, since: int, until: int,
                 association: str | None = None) -> dict[str, SatisfactionFigures]:
    """Questions sent from ``since`` up to (not including) ``until``, read from the months the requests were
    received in — from ``LEAD_MONTHS`` before the window (a request is received, becomes a client, has its first
    mission, then its questions) to the window's last; with ``association``, its requests only (the back office's
    page of an association reads nothing of the others')."""
    first = datetime.date.fromisoformat(f"{month_of(since)}-01")
    months, month = [], month_of(until - 1)
    while True:
        months.append(month)
        if month == f"{first:%Y-%m}":
            break
        month = previous_month(datetime.date.fromisoformat(f"{month}-01"))
    for _ in range(LEAD_MONTHS):
        months.append(previous_month(datetime.date.fromisoformat(f"{months[-1]}-01")))
    records = [r for m in months for r in svc.store.month(m, association, former=association is not None)
               if r.satisfaction_sent_at and since <= int(r.satisfaction_sent_at) < until]
    return satisfaction_figures(records, svc.routing)


def last_twelve_months(svc: FormService, as_of: int, association: str | None = None) -> dict[str, SatisfactionFigures]:
    """Questions sent in the twelve months before ``as_of`` (the monthly follow-up's and the back office's)."""
    return sent_between(svc, as_of - 365 * 86400, as_of + 1, association)


def key_figures(found: SatisfactionFigures | None) -> list[tuple[str, str]]:
    """The back office's rows (« Chiffres »): twelve months of satisfaction after the first mission."""
    if found is None or not found.sent:
        return []

    def share(rate: float | None) -> str:
        return "—" if rate is None else f"{round(100 * rate)} %"

    def mean(theme: str) -> str:
        value = found.mean(theme)
        return "—" if value is None else f"{french_number(value, 1)}/5 ({share(found.satisfied_share(theme))} " \
                                          "satisfaits)"
    return [("Satisfaction sur 12 mois : taux de réponse", f"{share(found.response_rate)} ({found.answered} sur "
                                                            f"{found.sent})"),
            (f"Satisfaction : {SatisfactionTheme.WELCOME.label.lower()}", mean(SatisfactionTheme.WELCOME.value)),
            (f"Satisfaction : {SatisfactionTheme.RELATIONSHIP.label.lower()}",
             mean(SatisfactionTheme.RELATIONSHIP.value)),
            ("Insatisfactions (remplacer l'intervenant)", str(found.unhappy))]
