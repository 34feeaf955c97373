"""The 72 hours, as pure rules on a request (no I/O): when they start and end, what the scheduled job owes, and the
lifecycle events of the mission. ``chalicelib.requests.lifecycle`` merges ``jobs`` into its schedule and registers
``RULES``; nothing here imports the lifecycle (it imports this module).

72 hours is three working days (``rules.working_days``: weekends and public holidays do not count) from the
moment the outcome « client » was first recorded (``client_at``): a client recorded on Friday at 10:00 before a
Whit Monday has until Thursday at 10:00. An intervenant is « in time » when the first mission's day is on or before
the deadline's day: a mission is booked for a day, not an hour.
"""

from __future__ import annotations

import datetime
from typing import Any

from rules.dates import PARIS
from rules.working_days import add_working_days, next_office_time, working_days_between

from ..requests.enums import Outcome
from ..requests.model import Item, Record
from ..satisfaction.rules import channel as household_channel

WORKING_DAYS = 3          # 72 hours
REMIND_AFTER = 2          # working days after the outcome: the reminder, one working day before the end
PROPOSED = "à proposer"   # how a client without a first mission's date reads


def _local(epoch: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(epoch, PARIS)


def started(record: Item) -> int | None:
    """When the 72 hours started: the outcome « client » first recorded (None for any other outcome)."""
    if record.get("outcome") != Outcome.CLIENT or not record.get("client_at"):
        return None
    return int(record["client_at"])


def deadline(record: Item) -> int | None:
    """When the 72 working hours end."""
    start = started(record)
    return int(add_working_days(_local(start), WORKING_DAYS).timestamp()) if start else None


def first_mission(record: Item) -> datetime.date | None:
    day = record.get("first_visit")
    return datetime.date.fromisoformat(day) if day else None


def in_time(record: Item) -> bool | None:
    """True: the first mission is on or before the deadline's day; False: after it, or still « à proposer » once
    the deadline has passed (``None`` before: not known yet)."""
    end = deadline(record)
    if end is None:
        return None
    day = first_mission(record)
    if day is not None:
        return day <= _local(end).date()
    return None


def delay(record: Item) -> float | None:
    """Working days from the outcome « client » to the first mission (its office opening), for the median."""
    start, day = started(record), first_mission(record)
    if start is None or day is None:
        return None
    mission = datetime.datetime.combine(day, datetime.time(9, 0), PARIS)
    return working_days_between(_local(start), mission)


def reminder_at(record: Item) -> int | None:
    """The one reminder to the association, owed while the first mission is still « à proposer » and no
    difficulty reported: two working days after the outcome, in office hours (never after the deadline). A date
    booked past the deadline is not reminded: the association chose it, and its pages tell it to warn the
    household (« après le délai : prévenez la personne »)."""
    start, end = started(record), deadline(record)
    if start is None or end is None or record.get("mission_reminded_at") or record.get("mission_difficulty_at"):
        return None
    if first_mission(record) is not None:
        return None
    at = int(next_office_time(add_working_days(_local(start), REMIND_AFTER)).timestamp())
    return at if at < end else None


def difficulty_unsent(record: Item) -> bool:
    """A difficulty the household has still to be told of in writing (without a channel that works, the
    association calls it: nothing is owed here)."""
    return bool(record.get("mission_difficulty_at")) and not record.get("mission_difficulty_told_at") \
        and household_channel(record) is not None


def jobs(record: Item) -> dict[str, int]:
    """The « mission » job: the reminder, or the household's message about a difficulty that could not leave at
    once (an SMS reported at night leaves at the office's opening)."""
    if difficulty_unsent(record):
        return {"mission": int(next_office_time(_local(int(record["mission_difficulty_at"]))).timestamp())}
    at = reminder_at(record)
    return {"mission": at} if at else {}


def keep_open_until(record: Item) -> int:
    """The request stays open (not closed) until its 72 hours are over, so the association can still report a
    difficulty or the date."""
    return deadline(record) or 0


# --- events ---------------------------------------------------------------------------------------------------

class MissionRefused(ValueError):
    """Raised through the lifecycle as its Refused (a subclass there)."""


def on_handled(record: Item, outcome: str, at: int) -> Record:
    """The outcome's hook: the 72 hours start the first time « client » is recorded, never again."""
    return {"client_at": at} if outcome == Outcome.CLIENT and not record.get("client_at") else {}


def reminded(record: Item, at: int, details: dict[str, Any]) -> Record:
    if reminder_at(record) is None:
        raise MissionRefused("no reminder is owed")
    return {"mission_reminded_at": at}


def difficulty(record: Item, at: int, details: dict[str, Any]) -> Record:
    if started(record) is None:
        raise MissionRefused("not a client")
    if record.get("mission_difficulty_at"):
        raise MissionRefused("already reported")
    return {"mission_difficulty_at": at}


def difficulty_told(record: Item, at: int, details: dict[str, Any]) -> Record:
    if not difficulty_unsent(record):
        raise MissionRefused("nothing to tell")
    return {"mission_difficulty_told_at": at}
