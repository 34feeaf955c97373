"""A year of new clients for the charter's public results (issue 24, items 1, 2 and 4), shared by the functions'
tests and the site build's: requests to the AI du Libournais become clients, get their first mission in time or
late, and the households answer the satisfaction questions — through the functions' own actions, the clock moved,
never slept."""

from __future__ import annotations

import datetime

from support_functions import Local, demande_fields

from chalicelib.requests import actions, lifecycle
from chalicelib.satisfaction import sending
from rules.dates import PARIS

AI_ID = "ai-libournais"
AI = lifecycle.actor("ai", AI_ID)
# Twelve Mondays of the period 1 December 2025 – 30 November 2026, none a public holiday.
MONDAYS = [(2025, 12, 1), (2026, 1, 5), (2026, 2, 2), (2026, 3, 2), (2026, 3, 9), (2026, 6, 8), (2026, 6, 15),
           (2026, 9, 7), (2026, 9, 14), (2026, 10, 5), (2026, 10, 12), (2026, 11, 9)]
NAMES = ["Jeanne Martin", "Luc Bernard", "Anne Roux", "Eva Petit", "Marc Lefebvre", "Sophie Garnier",
         "Hugo Moreau", "Léa Fontaine", "Paul Mercier", "Chloé Lambert", "Louis Girard", "Inès Faure"]
# (accueil, suivi de la relation) per Monday: nine households answer both, one « accueil » only (the one click),
# two never answer. Accueil: 41 / 10; suivi: 34 / 9.
RATINGS: list[tuple[int | None, int | None] | None] = [
    (5, 4), (4, 4), (5, 5), (3, 4), (4, 3), (5, 5), (2, 1), (4, 4), (5, 4), (4, None), None, None]


def at(*args) -> int:
    return int(datetime.datetime(*args, tzinfo=PARIS).timestamp())


def submit(local: Local, when: int, number: int) -> dict:
    local.service.clock = lambda: when
    fields = demande_fields(nom=NAMES[number % len(NAMES)], email=f"personne{number}@example.org",
                            telephone=f"05 36 49 10 {number:02d}")
    fields = {k: v if isinstance(v, list) else [v] for k, v in fields.items()}
    fields["date_debut"] = [(datetime.date.fromtimestamp(when) + datetime.timedelta(days=10)).isoformat()]
    ref = local.service.submit("demande", fields, f"192.0.2.{number + 10}").reference
    return local.service.store.get(ref)


def a_client(local: Local, monday: datetime.date, number: int, late: bool,
             rating: tuple[int | None, int | None] | None) -> str:
    """Received on ``monday`` at 10:00, a client at noon (its 72 working hours end on Thursday at noon, Friday
    when a holiday falls in the week); first mission on Thursday (in time) or the next Tuesday (late). The
    questions leave six days after the mission; ``rating`` is the answer, None: no answer."""
    ref = submit(local, at(monday.year, monday.month, monday.day, 10), number)["ref"]
    visit = monday + datetime.timedelta(days=8 if late else 3)
    local.service.clock = lambda: at(monday.year, monday.month, monday.day, 12)
    details = {"reason": None, "orientation": None, "first_visit": visit.isoformat(), "outcome": "client"}
    actions.handle(local.service, local.service.store.get(ref), AI, details)
    asked = visit + datetime.timedelta(days=6)
    local.service.clock = lambda: at(asked.year, asked.month, asked.day, 10)
    record = sending.ask(local.service, local.service.store.get(ref), reminder=False)
    assert record.satisfaction_sent_at, "the questions left"
    if rating is not None:
        local.service.clock = lambda: at(asked.year, asked.month, asked.day, 18)
        sending.answer(local.service, record, rating[0], rating[1], "")
    return ref


def a_request(local: Local, monday: datetime.date, number: int) -> str:
    """Received on ``monday`` at 10:00, handled at noon (within 48 hours), « en cours »: no client (yet)."""
    ref = submit(local, at(monday.year, monday.month, monday.day, 10), number)["ref"]
    local.service.clock = lambda: at(monday.year, monday.month, monday.day, 12)
    actions.handle(local.service, local.service.store.get(ref), AI,
                   {"reason": None, "orientation": None, "first_visit": None, "outcome": "en-cours"})
    return ref


def a_year_of_clients(local: Local, count: int = 12, late: int = 2) -> list[str]:
    """``count`` clients on the Mondays of the period, the first ``late`` with their first mission too late,
    answering ``RATINGS``. Plus a client of November 2025 (before the period: no 48- nor 72-hour figure) whose
    questions leave in December 2025 (within it: its answer (5, 5) counts), and a client of 30 November 2026 whose
    72 hours end on 3 December (not counted on 1 December)."""
    refs = [a_client(local, datetime.date(*day), number, number < late, RATINGS[number])
            for number, day in enumerate(MONDAYS[:count])]
    refs.append(a_client(local, datetime.date(2025, 11, 24), 20, False, (5, 5)))
    last = submit(local, at(2026, 11, 30, 10), 21)["ref"]
    local.service.clock = lambda: at(2026, 11, 30, 12)
    actions.handle(local.service, local.service.store.get(last), AI,
                   {"reason": None, "orientation": None, "first_visit": None, "outcome": "client"})
    return [*refs, last]
