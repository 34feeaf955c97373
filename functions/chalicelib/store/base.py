"""What both stores share: the attributes they derive from a record for their indexes, and the phone-number
migration of records stored by earlier versions."""

from __future__ import annotations

import json
from dataclasses import dataclass

from rules.dates import month_of
from rules.phone import parse_phone

from ..requests.enums import State

QUEUE = "cell"   # the one queue there is: AAI's phone cell


class Stale(Exception):
    """The record changed since it was read (another job or person got there first): nothing was written."""


@dataclass(frozen=True)
class Read:
    """Someone read a request's personal data in the back office (``what``: rules.vocabulary.READS). Kept
    beside the request's trail, without a new version of the record: reading never races a change."""

    at: int
    actor: str
    what: str


@dataclass(frozen=True)
class JournalEntry:
    """One line of the back office's journal: sign-ins, sign-outs, exports, liaison sheets (who and when)."""

    at: int
    actor: str
    action: str
    details: dict


def derived(record: dict) -> dict:
    """Index attributes computed from the record, never set by hand."""
    escalated = record.get("state") == State.ESCALATED
    return {"month": month_of(record["created_at"]),
            "queued_at": record.get("escalated_at") if escalated else None}


def to_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def merge(record: dict, changes: dict) -> dict:
    merged = {**record, **changes}
    merged["version"] = int(record["version"]) + 1
    return {k: v for k, v in merged.items() if v is not None}


def phone_in_e164(record: dict) -> dict | None:
    """The record with its phone numbers in E.164, or None when it already has them (records stored before
    numbers were kept in one format held « 05 36 49 12 34 »)."""
    data = record["data"] if isinstance(record["data"], dict) else json.loads(record["data"])
    old = record.get("phone") or data.get("telephone")
    if not old or old.startswith("+"):
        return None
    number = parse_phone(old)
    if number is None:
        return None
    return {**record, "phone": number.e164, "data": {**data, "telephone": number.e164}}
