"""The 72 hours in figures, from the stored requests only: new clients, those whose 72 hours have run out as of the
report (a client recorded yesterday is not « late » yet), the share of them with a first mission within the 72
hours, and the median delay from the outcome « client » to the first mission, in working days."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field

from rules.typography import french_number

from ..requests.model import Request
from . import rules


@dataclass
class MissionFigures:
    new_clients: int = 0
    deadline_passed: int = 0
    in_time: int = 0
    proposed: int = 0                  # still « à proposer »
    difficulties: int = 0              # the household was told of a difficulty
    delays: list[float] = field(default_factory=list)

    @property
    def in_time_rate(self) -> float | None:
        return self.in_time / self.deadline_passed if self.deadline_passed else None

    @property
    def median_delay(self) -> float | None:
        return statistics.median(self.delays) if self.delays else None

    def add(self, record: Request, as_of: int) -> None:
        end = rules.deadline(record)
        if end is None:
            return
        self.new_clients += 1
        self.proposed += record.get("first_visit") is None
        self.difficulties += bool(record.get("mission_difficulty_at"))
        delay = rules.delay(record)
        if delay is not None:
            self.delays.append(delay)
        if end <= as_of:
            self.deadline_passed += 1
            self.in_time += bool(rules.in_time(record))


def mission_figures(records: Iterable[Request], as_of: int) -> MissionFigures:
    found = MissionFigures()
    for record in records:
        found.add(record, as_of)
    return found


def key_figures(found: MissionFigures) -> list[tuple[str, str]]:
    """The back office's rows (« Chiffres »), beside the charter's 48 hours."""
    if not found.new_clients:
        return []
    share = "—" if found.in_time_rate is None else f"{round(100 * found.in_time_rate)} %"
    median = "—" if found.median_delay is None else f"{french_number(found.median_delay, 1)} jour(s) ouvré(s)"
    return [("Intervenant sous 72 heures", f"{found.in_time} sur {found.deadline_passed} nouveaux clients échus "
                                           f"({share})"),
            ("Délai médian jusqu'à la première mission", median),
            ("Première mission à proposer / difficultés signalées", f"{found.proposed} / {found.difficulties}")]
