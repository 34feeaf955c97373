"""Satisfaction, as pure rules on a request (no I/O): when the questions are owed, how the household is reached,
when the one reminder is owed, and the lifecycle events. ``chalicelib.requests.lifecycle`` merges ``jobs`` into its
schedule and registers ``RULES``.

Recipients come from the stored request only, and only where our mail is known to arrive: an e-mail address that
received the acknowledgement and never refused a message since, or a mobile that received the acknowledgement SMS
(the household chose SMS, or gave no e-mail). Nothing is ever sent to an address nobody has seen work.
"""

from __future__ import annotations

import datetime
from typing import Any

from rules.dates import PARIS
from rules.working_days import add_working_days, next_office_time

from ..requests.enums import UNHAPPY_AT_MOST, Channel, Outcome
from ..requests.model import Item, Record

AFTER_MISSION = 3      # working days after the first mission's day: the questions
REMIND_AFTER = 5       # working days after the questions without an answer: the one reminder
ANSWER_DAYS = 30       # calendar days the links work (the request stays open that long for the cell's queue)
DAY = 86400
EMAIL, SMS = "email", "sms"
COMMENT_MAX = 1000


def _local(epoch: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(epoch, PARIS)


def channel(record: Item) -> str | None:
    """How the household can be asked, or None (never to an address nobody has seen work)."""
    data = record.get("data") or {}
    if record.get("channel", Channel.SITE) != Channel.SITE and not record.get("email"):
        return None
    chose_sms = bool(record.get("sms_sent_at")) and not record.get("sms_failed_at") \
        and (not record.get("email") or data.get("mode_contact") == "sms")
    if chose_sms and record.get("phone"):
        return SMS
    if record.get("email") and record.get("ack_sent_at") and not record.get("household_unreachable") \
            and data.get("email"):
        return EMAIL
    return None


def questions_at(record: Item) -> int | None:
    """When the questions are owed: ``AFTER_MISSION`` working days after the first mission's day, in office hours."""
    day = record.get("first_visit")
    if record.get("outcome") != Outcome.CLIENT or not day or record.get("satisfaction_sent_at"):
        return None
    if channel(record) is None:
        return None
    start = datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(9, 0), PARIS)
    return int(next_office_time(add_working_days(start, AFTER_MISSION)).timestamp())


def answered(record: Item) -> bool:
    return record.get("satisfaction_welcome") is not None and record.get("satisfaction_relationship") is not None


def reminder_at(record: Item) -> int | None:
    """The one reminder: ``REMIND_AFTER`` working days after the questions, if the household has not answered."""
    sent = record.get("satisfaction_sent_at")
    if not sent or record.get("satisfaction_reminded_at") or record.get("satisfaction_answered_at"):
        return None
    at = int(next_office_time(add_working_days(_local(int(sent)), REMIND_AFTER)).timestamp())
    return at if at < links_expire(record) else None


def links_expire(record: Item) -> int:
    """The answer links' end: ``ANSWER_DAYS`` after the questions."""
    return int(record.get("satisfaction_sent_at") or 0) + ANSWER_DAYS * DAY


def jobs(record: Item) -> dict[str, int]:
    at = questions_at(record) or reminder_at(record)
    return {"satisfaction": at} if at else {}


def keep_open_until(record: Item) -> int:
    """The request stays open while the questions are owed or their links work: an unhappy answer must still
    reach the cell's queue."""
    owed = questions_at(record)
    if owed:
        return owed + ANSWER_DAYS * DAY
    return links_expire(record) if record.get("satisfaction_sent_at") else 0


def give_back(reminder: bool) -> Record:
    """What a failed send undoes (``lifecycle``'s ``send_failed``): the claim of the questions or the reminder."""
    return {"satisfaction_reminded_at": None} if reminder else {"satisfaction_sent_at": None,
                                                                 "satisfaction_channel": None}


def unhappy(record: Item) -> bool:
    ratings = (record.get("satisfaction_welcome"), record.get("satisfaction_relationship"))
    return any(r is not None and int(r) <= UNHAPPY_AT_MOST for r in ratings)


# --- events ---------------------------------------------------------------------------------------------------

class SatisfactionRefused(ValueError):
    """Raised through the lifecycle as its Refused."""


def sent(record: Item, at: int, details: dict[str, Any]) -> Record:
    if record.get("satisfaction_sent_at"):
        raise SatisfactionRefused("already sent")
    if details.get("channel") not in (EMAIL, SMS):
        raise SatisfactionRefused("unknown channel")
    return {"satisfaction_sent_at": at, "satisfaction_channel": details["channel"]}


def reminded(record: Item, at: int, details: dict[str, Any]) -> Record:
    if reminder_at(record) is None:
        raise SatisfactionRefused("no reminder is owed")
    return {"satisfaction_reminded_at": at}


def answered_event(record: Item, at: int, details: dict[str, Any]) -> Record:
    """An answer fills the questions still unanswered (the click in the message answers the first; the page the
    rest); an answer given stays as given."""
    if not record.get("satisfaction_sent_at"):
        raise SatisfactionRefused("no questions were sent")
    if at >= links_expire(record):
        raise SatisfactionRefused("too late")
    changes: Record = {}
    for name in ("satisfaction_welcome", "satisfaction_relationship"):
        value = details.get(name)
        if value is None or record.get(name) is not None:
            continue
        if int(value) not in range(1, 6):
            raise SatisfactionRefused("a rating is from 1 to 5")
        changes[name] = int(value)
    comment = (details.get("comment") or "").strip()[:COMMENT_MAX]
    if comment and not record.get("satisfaction_comment"):
        changes["satisfaction_comment"] = comment
    if not changes:
        raise SatisfactionRefused("nothing new")
    changes["satisfaction_answered_at"] = at
    return changes


def mission_day(record: Item) -> datetime.date:
    return datetime.date.fromisoformat(str(record["first_visit"]))
