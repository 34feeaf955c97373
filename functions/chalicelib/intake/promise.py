"""The promise made in writing to the household (issue 26, item 4): who calls, by which channel, by which day.

One place computes the promised day from the charter's deadline (``lifecycle.charter_deadline``), so the
thank-you page, the acknowledgement e-mail and the SMS can never promise different days. The thank-you page
of the site receives the day and the channel in its URL: ``parse_day`` and ``CHANNELS`` are the strict checks
the functions apply (forms.js applies the same ones), because a URL is only trusted for display.
"""

from __future__ import annotations

import datetime
import re

from rules.dates import french_date, local_time

from ..requests import lifecycle
from ..requests.model import Item

# the channel the household chose on the callback form (its ``mode_contact``); the order form: the AI calls
CHANNELS = {"telephone": "par téléphone", "email": "par e-mail", "sms": "par SMS"}
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def channel(record: Item) -> str:
    """The key of CHANNELS: what the household chose on the callback form, the telephone otherwise."""
    mode = (record.get("data") or {}).get("mode_contact") if record.get("kind") == "rappel" else None
    return mode if mode in CHANNELS else "telephone"


def promised_day(record: Item, policy: lifecycle.Policy) -> datetime.date:
    """The last day the household may wait: the day the charter's deadline falls in. A deadline at midnight
    (the end of an agreed callback day) belongs to the day it ends, hence the second taken off."""
    return local_time(lifecycle.charter_deadline(record, policy) - 1).date()


def day_words(day: datetime.date) -> str:
    """« mardi 9 décembre »: the year is understood, the promise is days away."""
    return french_date(day, weekday=True)[:-5]


def parse_day(text: str | None) -> datetime.date | None:
    """A promised day read back from a URL: ``YYYY-MM-DD`` exactly and a real date, or nothing."""
    if not text or not ISO_DAY.match(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None
