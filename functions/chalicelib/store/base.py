"""What every store shares: the contract (``Store``, which SQLite, DynamoDB and the in-memory store implement and
mypy checks), the attributes they derive from a record for their indexes, and the phone-number migration of
records stored by earlier versions."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from rules.dates import month_of
from rules.phone import parse_phone

from ..requests.enums import State
from ..requests.model import Item, Record, Request

if TYPE_CHECKING:
    from ..complaints.model import Case
    from ..requests.lifecycle import Event



QUEUE = "cell"   # the one queue there is: AAI's phone cell


class WritesAtOnce:
    """``batch`` and ``flush`` for a store whose every write is durable when it returns (DynamoDB, memory)."""

    @contextmanager
    def batch(self) -> Iterator[None]:
        yield

    def flush(self) -> None:
        pass


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
    details: dict[str, Any]


class Store(Protocol):
    """The contract of a request store (tests/functions/test_store.py and test_backoffice_store.py run it against
    every implementation). A store never decides anything: it keeps what the lifecycle decided, refuses a change
    made on a stale copy, serves the product's queries from indexes (never a scan), and forgets on time."""

    reads: int   # items read so far, for scripts/benchmark_*.py

    # --- writes grouped (SQLite: one transaction; the others write each at once) ---
    def batch(self) -> AbstractContextManager[None]:
        """The writes made inside are committed together, at the end or at each ``flush``."""
        ...

    def flush(self) -> None:
        """What the current batch wrote is committed now: called before anything leaves (an e-mail, an SMS)."""
        ...

    # --- requests and their trail ---
    def put_new(self, record: Item, event: Event) -> tuple[Request, bool]:
        """Insert unless the idempotency key is known; (the stored record, whether it was created)."""
        ...

    def get(self, ref: str) -> Request | None: ...

    def find_idem(self, idem_key: str) -> Request | None: ...

    def trail(self, ref: str) -> list[Event]: ...

    def apply(self, record: Item, changes: Record, event: Event) -> Request:
        """Write the changes and their event together; raise Stale when the record changed since it was read."""
        ...

    def reschedule(self, record: Item, due_at: int, due: str) -> None:
        """Move the record in the due index without a new version; a stale copy changes nothing."""
        ...

    # --- the product's queries ---
    def due(self, now: int, limit: int = 100) -> list[Request]: ...

    def month(self, month: str, association: str | None = None, former: bool = False) -> list[Request]: ...

    def queue(self) -> list[Request]: ...

    # --- mail events: which request a message was about ---
    def record_message(self, message_id: str, ref: str, purpose: str, expires_at: int,
                       recipient: str | None = None) -> None: ...

    def find_message(self, message_id: str) -> dict[str, Any] | None: ...

    # --- retention and erasure ---
    def delete(self, ref: str) -> bool: ...

    def erase(self, email: str | None = None, phone: str | None = None) -> list[str]: ...

    def by_phone(self, phone: str) -> list[Request]:
        """The requests kept with this phone number (E.164), oldest first: an SMS reply names no reference."""
        ...

    def sweep(self, now: int) -> int: ...

    # --- counters and once-only markers ---
    def take(self, key: str, limit: int, expires_at: int) -> bool: ...

    def give_back(self, key: str) -> None: ...

    def claim(self, key: str, expires_at: int) -> bool: ...

    def claimed(self, key: str) -> bool: ...

    def release(self, key: str) -> None: ...

    # --- the audience of past months ---
    def save_figures(self, month: str, data: dict[str, Any], expires_at: int) -> None: ...

    def load_figures(self, months: list[str]) -> dict[str, dict[str, Any]]: ...

    # --- the back office: sign-in tokens, reads of personal data, the journal ---
    def put_token(self, key: str, data: dict[str, Any], expires_at: int) -> None: ...

    def peek_token(self, key: str, now: int) -> dict[str, Any] | None: ...

    def take_token(self, key: str, now: int) -> dict[str, Any] | None: ...

    def log_reads(self, refs: dict[str, int], at: int, actor: str, what: str) -> None: ...

    def read_log(self, ref: str) -> list[Read]: ...

    def journal_add(self, entry: JournalEntry, expires_at: int) -> None: ...

    def journal(self, start: int, end: int) -> list[JournalEntry]: ...

    # --- complaints and error reports (chalicelib.complaints): kept beside the requests, never among them ---
    def put_case(self, case: Case) -> None:
        """Insert a new case (its reference is new: random)."""
        ...

    def get_case(self, ref: str) -> Case | None: ...

    def update_case(self, case: Case) -> None:
        """Write the case's next version (``Case.changed``); raise Stale when the stored one is not the version
        just before it (someone recorded an outcome meanwhile)."""
        ...

    def cases_due(self, now: int, limit: int = 100) -> list[Case]:
        """Cases whose delay has passed (``due_at <= now``), from an index, never a scan."""
        ...

    def cases_month(self, kind: str, month: str) -> list[Case]:
        """A month's cases of one kind (``reclamation``, ``erreur``), oldest first: the monthly counts."""
        ...

    def erase_cases(self, email: str | None = None, phone: str | None = None) -> list[str]:
        """Right to erasure: every case of this e-mail key or E.164 number (``Case.who``), from a look-up, never
        a scan; their references."""
        ...

    # --- upgrades ---
    def migrate(self) -> int: ...


def derived(record: Item) -> dict[str, Any]:
    """Index attributes computed from the record, never set by hand."""
    escalated = record.get("state") == State.ESCALATED
    return {"month": month_of(record["created_at"]),
            "queued_at": record.get("escalated_at") if escalated else None}


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def merge(record: Item, changes: Record) -> Record:
    merged = {**record, **changes}
    merged["version"] = int(record["version"]) + 1
    return {k: v for k, v in merged.items() if v is not None}


def phone_in_e164(record: Record) -> Record | None:
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
