"""French working days and office hours: the clock of the quality charter's « réponse sous 48 heures ».

Saturdays, Sundays and French public holidays do not count (the ``holidays`` library keeps the list, Easter
Monday and Whit Monday included). A request received on Friday at 17:00 has one working day behind it on Monday
at 17:00 and two on Tuesday at 17:00; one received on Saturday starts counting on Monday morning.
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from .dates import PARIS

if TYPE_CHECKING:   # imported by the first date counted: a cold start that counts none does not pay for it
    import holidays

OFFICE_OPENS = datetime.time(9, 0)     # reminders and escalations are sent in office hours only
OFFICE_CLOSES = datetime.time(18, 0)


@lru_cache(maxsize=64)
def _holidays(year: int) -> holidays.HolidayBase:
    import holidays
    return holidays.country_holidays("FR", years=year, language="fr")


def public_holiday(day: datetime.date) -> str | None:
    """The holiday's name (in French), or None."""
    return _holidays(day.year).get(day)


@lru_cache(maxsize=4096)   # every request of a day counts from the same few days: each answered once
def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and public_holiday(day) is None


@lru_cache(maxsize=4096)
def next_working_day(day: datetime.date) -> datetime.date:
    """The first working day strictly after ``day``."""
    day += datetime.timedelta(days=1)
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def count_start(moment: datetime.datetime) -> datetime.datetime:
    """When the working-day count of something received at ``moment`` starts: at once on a working day,
    otherwise at the opening of the next working day."""
    local = moment.astimezone(PARIS)
    if is_working_day(local.date()):
        return local
    return datetime.datetime.combine(next_working_day(local.date()), OFFICE_OPENS, PARIS)


def add_working_days(moment: datetime.datetime, days: int) -> datetime.datetime:
    """``days`` working days after ``moment``, at the same time of day (from ``count_start``)."""
    start = count_start(moment)
    day = start.date()
    for _ in range(days):
        day = next_working_day(day)
    return datetime.datetime.combine(day, start.timetz().replace(tzinfo=None), PARIS)


def in_office_hours(moment: datetime.datetime) -> bool:
    local = moment.astimezone(PARIS)
    return is_working_day(local.date()) and OFFICE_OPENS <= local.time() < OFFICE_CLOSES


def next_office_time(moment: datetime.datetime) -> datetime.datetime:
    """``moment`` if the office is open then, else the next opening: no message at night or on a day off."""
    local = moment.astimezone(PARIS)
    if in_office_hours(local):
        return local
    day = local.date()
    if not is_working_day(day) or local.time() >= OFFICE_CLOSES:
        day = next_working_day(day)
    return datetime.datetime.combine(day, OFFICE_OPENS, PARIS)


def working_days_between(start: datetime.datetime, end: datetime.datetime) -> float:
    """Working days elapsed from ``start`` to ``end`` (fractions count working time only), for the figures."""
    start, end = count_start(start), end.astimezone(PARIS)
    if end <= start:
        return 0.0
    total = 0.0
    cursor = start
    while cursor < end:
        next_midnight = datetime.datetime.combine(cursor.date() + datetime.timedelta(days=1),
                                                  datetime.time(0), PARIS)
        stop = min(end, next_midnight)
        if is_working_day(cursor.date()):
            total += (stop - cursor).total_seconds() / 86400
        cursor = stop
    return total


def office_seconds_between(start: datetime.datetime, end: datetime.datetime) -> float:
    """Seconds of office hours (working days, ``OFFICE_OPENS``–``OFFICE_CLOSES``) from ``start`` to ``end``: how
    long something has been silent while someone could have noticed (nights, weekends and holidays count 0)."""
    start, end = start.astimezone(PARIS), end.astimezone(PARIS)
    total = 0.0
    day = start.date()
    while day <= end.date():
        if is_working_day(day):
            opens = max(start, datetime.datetime.combine(day, OFFICE_OPENS, PARIS))
            closes = min(end, datetime.datetime.combine(day, OFFICE_CLOSES, PARIS))
            total += max(0.0, (closes - opens).total_seconds())
        day += datetime.timedelta(days=1)
    return total
