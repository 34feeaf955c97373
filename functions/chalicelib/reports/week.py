"""The phone cell's week (AXE 9: « un suivi hebdomadaire et mensuel sur la base de tableaux de bord de suivi des
contacts »): what reached the region in one ISO week, Paris time — requests received, called back (marked
« traitée »), sent to the cell and why, re-routed by the cell — per AI and for the region.

Counted from the requests' trails with the monthly report's own cut (``report.spans``): each event goes to the
AI that held the request when it happened, a re-route to the AI that received the request. An event counts in
the week it happened, whatever the week the request came in (a request of Friday escalated on Monday is Monday's
week). Counts, no personal data. Shown in the back office (``/espace/semaine``) and e-mailed to the cell on Monday.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from collections.abc import Callable
from email.message import EmailMessage
from typing import TYPE_CHECKING

from rules.dates import month_of, week_bounds, week_name
from rules.typography import NBSP

from ..mail.messages import compose, new_message, shared_address

from .request_figures import spans
from .formats import ESCALATIONS
from ..requests.enums import Channel, EventKind
from ..requests.model import Request

if TYPE_CHECKING:   # the one service, for its type only (it imports this module)
    from ..requests.lifecycle import Event
    from ..routing import Routing
    from ..service import FormService
    from ..store import Store

LOOK_BACK = 62 * 86400   # the requests of the two months before the week still escalate, get handled, move


@dataclass
class WeekLine:
    """One AI's week (or the region's)."""

    id: str
    name: str
    received: int = 0
    by_phone: int = 0                 # recorded by the cell on a liaison sheet
    called_back: int = 0              # marked « traitée » by the AI that held it
    escalations: Counter[str] = field(default_factory=Counter)   # sent to the cell, by reason
    rerouted: int = 0                 # re-routed by the cell to this AI

    @property
    def escalated(self) -> int:
        return sum(self.escalations.values())

    @property
    def busy(self) -> bool:
        return bool(self.received or self.called_back or self.escalated or self.rerouted)


@dataclass
class CellWeek:
    week: str            # "2026-S45"
    lines: list[WeekLine]
    region: WeekLine

    @property
    def title(self) -> str:
        return f"La semaine de la cellule — {week_name(self.week)}"

    def line(self, ai_id: str) -> WeekLine:
        return next(line for line in self.lines if line.id == ai_id)


def count_week(records: list[Request], trail: Callable[[str], list[Event]], routing: Routing,
               week: str) -> CellWeek:
    """Every AI of the routing table gets a line, busy or not; ``trail(ref)`` reads a request's events."""
    start, end = week_bounds(week)
    lines = {ai_id: WeekLine(ai_id, contact.name) for ai_id, contact in routing.associations.items()}
    region = WeekLine("region", "Total régional")

    def line(ai_id: str) -> WeekLine:
        return lines.setdefault(ai_id, WeekLine(ai_id, ai_id))

    def within(at: int) -> bool:
        return start <= at < end

    for record in records:
        held = spans(record, trail(record["ref"]))
        if within(int(record["created_at"])):
            phone = record.get("channel") == Channel.TELEPHONE
            for target in (line(held[0].association), region):
                target.received += 1
                target.by_phone += phone
        for span in held:
            if span.rerouted_in and within(span.start):
                line(span.association).rerouted += 1
                region.rerouted += 1
            for event in span.events:
                if not within(event.at):
                    continue
                for target in (line(span.association), region):
                    if event.kind == EventKind.HANDLED:
                        target.called_back += 1
                    elif event.kind == EventKind.ESCALATED:
                        target.escalations[event.details["reason"]] += 1   # never without one (lifecycle)
    return CellWeek(week, sorted(lines.values(), key=lambda line: line.name), region)


def week_records(store: Store, week: str) -> list[Request]:
    """The requests that can have an event in the week: those of the months from two months before it to its
    end (the store's month index, never a scan)."""
    start, end = week_bounds(week)
    months: list[str] = []
    at = start - LOOK_BACK
    while month_of(at) <= month_of(end - 1):
        if month_of(at) not in months:
            months.append(month_of(at))
        at += 20 * 86400
    if month_of(end - 1) not in months:
        months.append(month_of(end - 1))
    seen: dict[str, Request] = {}
    for month in months:
        for record in store.month(month):
            if int(record["created_at"]) < end:
                seen.setdefault(record["ref"], record)
    return list(seen.values())


def cell_week(svc: FormService, week: str) -> CellWeek:
    return count_week(week_records(svc.store, week), svc.store.trail, svc.routing, week)


def reasons(line: WeekLine) -> str:
    """« délai de la charte dépassé : 2 ; adresse en échec : 1 »: why requests went to the cell, in the report's
    words, the most frequent first."""
    return f"{NBSP}; ".join(f"{ESCALATIONS.get(reason, reason)}{NBSP}: {count}"
                            for reason, count in sorted(line.escalations.items(), key=lambda item: -item[1]))


def week_message(summary: CellWeek, routing: Routing, url: str) -> EmailMessage:
    """To the cell (AAI's address): last week's contacts, with the link to the back office's week page (``url``,
    built from configuration)."""
    subject = summary.title[0].upper() + summary.title[1:]
    msg = new_message(subject, routing, shared_address(routing.network.name, routing.network.email))
    busy = [line for line in summary.lines if line.busy]
    return compose(msg, "cell_week", week_name=week_name(summary.week), lines=busy, region=summary.region,
                   reasons=reasons, url=url)
