"""The request store in memory: the contract (``base.Store``) with nothing but dictionaries, for unit tests that
need a store and no file, and as the plainest reading of what a store must do.

Records are kept as the JSON text the other stores keep, so what comes back is what SQLite and DynamoDB give back
(plain strings, no shared mutable state with the caller). One lock makes each method atomic, as a transaction or
a conditional write is in the real stores.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from ..complaints.model import Case
from ..requests.lifecycle import Event
from ..requests.model import Item, Record, Request
from .base import WritesAtOnce, JournalEntry, Read, Stale, derived, merge, to_json


class MemoryStore(WritesAtOnce):
    """Every table is a dictionary; ``reads`` counts the items read, as the other stores do."""

    def __init__(self) -> None:
        self.reads = 0
        self._lock = threading.RLock()
        self._requests: dict[str, str] = {}                      # ref → record as JSON
        self._idem: dict[str, str] = {}                          # idempotency key → ref
        self._events: dict[str, dict[int, Event]] = {}           # ref → version → event
        self._messages: dict[str, dict[str, Any]] = {}           # message id → ref, purpose, recipient, expires_at
        self._counters: dict[str, list[int]] = {}                # key → [count, expires_at]
        self._claims: dict[str, int] = {}                        # key → expires_at
        self._figures: dict[str, tuple[str, int]] = {}           # month → (JSON, expires_at)
        self._tokens: dict[str, tuple[str, int]] = {}            # hashed key → (JSON, expires_at)
        self._reads: dict[tuple[str, int, str, str], int] = {}   # (ref, at, actor, what) → expires_at
        self._journal: list[tuple[JournalEntry, int]] = []       # (entry, expires_at), in insertion order
        self._cases: dict[str, tuple[str, int]] = {}             # ref → (case as JSON, expires_at)

    def _load(self, ref: str) -> Request | None:
        body = self._requests.get(ref)
        if body is None:
            return None
        self.reads += 1
        return Request.from_item(json.loads(body))

    def _all(self) -> list[Record]:
        """Every record, not counted: the other stores read these from an index, so only what a query returns
        counts as read (``_found``)."""
        return [json.loads(body) for body in self._requests.values()]

    def _found(self, records: list[Record]) -> list[Request]:
        self.reads += len(records)
        return [Request.from_item(record) for record in records]

    # --- requests and their trail ---

    def put_new(self, record: Item, event: Event) -> tuple[Request, bool]:
        with self._lock:
            known = self._idem.get(record["idem_key"])
            if known is not None:
                stored = self._load(known)
                assert stored is not None
                return stored, False
            if record["ref"] in self._requests:
                raise ValueError(f"reference {record['ref']} already taken")
            self._requests[record["ref"]] = to_json(dict(record))
            self._idem[record["idem_key"]] = record["ref"]
            self._events[record["ref"]] = {int(record["version"]): _copy(event)}
            return Request.from_item(record), True

    def get(self, ref: str) -> Request | None:
        with self._lock:
            return self._load(ref)

    def by_phone(self, phone: str) -> list[Request]:
        with self._lock:
            return self._found(sorted((r for r in self._all() if r.get("phone") == phone),
                                      key=lambda r: (r["created_at"], r["ref"])))

    def find_idem(self, idem_key: str) -> Request | None:
        with self._lock:
            ref = self._idem.get(idem_key)
            return self._load(ref) if ref is not None else None

    def trail(self, ref: str) -> list[Event]:
        with self._lock:
            events = self._events.get(ref, {})
            self.reads += len(events)
            return [_copy(events[version]) for version in sorted(events)]

    def apply(self, record: Item, changes: Record, event: Event) -> Request:
        with self._lock:
            stored = self._requests.get(record["ref"])
            if stored is None or json.loads(stored)["version"] != record["version"]:
                raise Stale(record["ref"])
            updated = merge(record, changes)
            self._requests[record["ref"]] = to_json(updated)
            self._events[record["ref"]][int(updated["version"])] = _copy(event)
            return Request.from_item(updated)

    def reschedule(self, record: Item, due_at: int, due: str) -> None:
        with self._lock:
            stored = self._requests.get(record["ref"])
            if stored is not None and json.loads(stored)["version"] == record["version"]:
                self._requests[record["ref"]] = to_json({**record, "due_at": due_at, "due": due})

    # --- the product's queries ---

    def due(self, now: int, limit: int = 100) -> list[Request]:
        with self._lock:
            due = [r for r in self._all() if r.get("due_at") is not None and r["due_at"] <= now]
            return self._found(sorted(due, key=lambda r: r["due_at"])[:limit])

    def month(self, month: str, association: str | None = None, former: bool = False) -> list[Request]:
        with self._lock:
            found = [r for r in self._all() if derived(r)["month"] == month and (
                association is None or r["association"] == association
                or (former and association in (r.get("previous_associations") or [])))]
            return self._found(sorted(found, key=lambda r: r["created_at"]))

    def queue(self) -> list[Request]:
        with self._lock:
            queued = [r for r in self._all() if derived(r)["queued_at"] is not None]
            return self._found(sorted(queued, key=lambda r: derived(r)["queued_at"]))

    # --- mail events: which request a message was about ---

    def record_message(self, message_id: str, ref: str, purpose: str, expires_at: int,
                       recipient: str | None = None) -> None:
        with self._lock:
            self._messages[message_id] = {"ref": ref, "purpose": purpose, "recipient": recipient,
                                          "expires_at": expires_at}

    def find_message(self, message_id: str) -> dict[str, Any] | None:
        with self._lock:
            found = self._messages.get(message_id)
            if found is None:
                return None
            self.reads += 1
            return {"ref": found["ref"], "purpose": found["purpose"], "recipient": found["recipient"]}

    # --- retention and erasure ---

    def delete(self, ref: str) -> bool:
        with self._lock:
            body = self._requests.pop(ref, None)
            if body is not None:
                self._idem.pop(json.loads(body)["idem_key"], None)
            self._events.pop(ref, None)
            for message_id in [m for m, found in self._messages.items() if found["ref"] == ref]:
                del self._messages[message_id]
            for key in [k for k in self._reads if k[0] == ref]:
                del self._reads[key]
            return body is not None

    def erase(self, email: str | None = None, phone: str | None = None) -> list[str]:
        with self._lock:
            refs = [r["ref"] for r in self._all() if (email is not None and r.get("email") == email)
                    or (phone is not None and r.get("phone") == phone)]
            for ref in refs:
                self.delete(ref)
            return sorted(refs)

    def sweep(self, now: int) -> int:
        with self._lock:
            count = 0
            tables: tuple[dict[Any, Any], ...] = (self._counters, self._claims, self._figures, self._tokens,
                                                  self._reads, self._cases)
            for table in tables:
                gone = [key for key, value in table.items() if _expiry(value) <= now]
                for key in gone:
                    del table[key]
                count += len(gone)
            kept = [(entry, expires) for entry, expires in self._journal if expires > now]
            count += len(self._journal) - len(kept)
            self._journal = kept
            return count

    # --- counters and once-only markers ---

    def take(self, key: str, limit: int, expires_at: int) -> bool:
        with self._lock:
            if limit <= 0:
                return False
            counter = self._counters.setdefault(key, [0, expires_at])
            if counter[0] >= limit:
                return False
            counter[0] += 1
            return True

    def give_back(self, key: str) -> None:
        with self._lock:
            counter = self._counters.get(key)
            if counter and counter[0] > 0:
                counter[0] -= 1

    def claim(self, key: str, expires_at: int) -> bool:
        with self._lock:
            if key in self._claims:
                return False
            self._claims[key] = expires_at
            return True

    def claimed(self, key: str) -> bool:
        with self._lock:
            return key in self._claims

    def release(self, key: str) -> None:
        with self._lock:
            self._claims.pop(key, None)

    # --- the audience of past months ---

    def save_figures(self, month: str, data: dict[str, Any], expires_at: int) -> None:
        with self._lock:
            self._figures[month] = (to_json(data), expires_at)

    def load_figures(self, months: list[str]) -> dict[str, dict[str, Any]]:
        with self._lock:
            found = {month: json.loads(self._figures[month][0]) for month in months if month in self._figures}
            self.reads += len(found)
            return found

    # --- the back office: single-use sign-in tokens, reads of personal data, the journal ---

    def put_token(self, key: str, data: dict[str, Any], expires_at: int) -> None:
        with self._lock:
            self._tokens[key] = (to_json(data), expires_at)

    def peek_token(self, key: str, now: int) -> dict[str, Any] | None:
        with self._lock:
            found = self._tokens.get(key)
            return json.loads(found[0]) if found and found[1] > now else None

    def take_token(self, key: str, now: int) -> dict[str, Any] | None:
        with self._lock:
            found = self._tokens.pop(key, None)
            return json.loads(found[0]) if found and found[1] > now else None

    def log_reads(self, refs: dict[str, int], at: int, actor: str, what: str) -> None:
        with self._lock:
            for ref, expires in refs.items():
                self._reads.setdefault((ref, at, actor, what), expires)

    def read_log(self, ref: str) -> list[Read]:
        with self._lock:
            return [Read(at, actor, what) for (of, at, actor, what) in sorted(self._reads) if of == ref]

    def journal_add(self, entry: JournalEntry, expires_at: int) -> None:
        with self._lock:
            self._journal.append((JournalEntry(entry.at, entry.actor, entry.action,
                                               json.loads(to_json(entry.details))), expires_at))

    def journal(self, start: int, end: int) -> list[JournalEntry]:
        with self._lock:
            entries = [entry for entry, _ in self._journal if start <= entry.at < end]
            return sorted(entries, key=lambda entry: entry.at)   # stable: insertion order within a second

    # --- complaints and error reports ---

    def _case(self, body: str) -> Case:
        self.reads += 1
        return Case.from_json(json.loads(body))

    def put_case(self, case: Case) -> None:
        with self._lock:
            if case.ref in self._cases:
                raise Stale(case.ref)
            self._cases[case.ref] = (to_json(case.to_json()), int(case.expires_at))

    def get_case(self, ref: str) -> Case | None:
        with self._lock:
            kept = self._cases.get(ref)
            return self._case(kept[0]) if kept else None

    def update_case(self, case: Case) -> None:
        with self._lock:
            kept = self._cases.get(case.ref)
            if kept is None or json.loads(kept[0])["version"] != case.version - 1:
                raise Stale(case.ref)
            self._cases[case.ref] = (to_json(case.to_json()), int(case.expires_at))

    def cases_due(self, now: int, limit: int = 100) -> list[Case]:
        with self._lock:
            found = [json.loads(body) for body, _ in self._cases.values()]
            due = sorted((c for c in found if c.get("due_at") is not None and c["due_at"] <= now),
                         key=lambda c: c["due_at"])[:limit]
            return [self._case(to_json(c)) for c in due]

    def cases_month(self, kind: str, month: str) -> list[Case]:
        with self._lock:
            cases = [Case.from_json(json.loads(body)) for body, _ in self._cases.values()]
            found = sorted((c for c in cases if c.kind == kind and c.month == month), key=lambda c: c.created_at)
            self.reads += len(found)
            return found

    def erase_cases(self, email: str | None = None, phone: str | None = None) -> list[str]:
        with self._lock:
            wanted = {email, phone} - {None}
            refs = [ref for ref, (body, _) in self._cases.items() if wanted & set(json.loads(body).get("who") or ())]
            for ref in refs:
                del self._cases[ref]
            return sorted(refs)

    # --- upgrades ---

    def migrate(self) -> int:
        """Nothing was ever stored in an earlier layout of a dictionary."""
        return 0


def _copy(event: Event) -> Event:
    """The event as the other stores give it back: its details through JSON."""
    return Event(int(event.at), str(event.actor), str(event.kind), json.loads(to_json(event.details)))


def _expiry(value: Any) -> int:
    """The expiry of a kept item, whichever table it is in."""
    if isinstance(value, int):
        return value
    return int(value[1]) if isinstance(value, tuple | list) and len(value) == 2 and isinstance(value[1], int) else 0
