"""The request store on SQLite: one file under var/ for local runs (``make run``) and the tests.

Each request is a row whose indexed columns serve the queries (the due index is a partial index on ``due_at``,
the cell's queue one on ``queued_at``), the whole record as JSON beside them; the audit trail is a table of its
own, keyed by (ref, version), so a change and its event are written in one transaction or not at all.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from collections.abc import Sequence
from typing import Any

from ..complaints.model import Case
from ..requests.enums import ActorKind, Channel, EventKind, Outcome, State
from ..requests.lifecycle import Event
from ..requests.model import Item, Record, Request
from .base import JournalEntry, Read, Stale, derived, merge, phone_in_e164, to_json

logger = logging.getLogger(__name__)

COLUMNS = ("ref", "idem_key", "association", "created_at", "month", "state", "version", "due_at", "due",
           "queued_at", "expires_at", "email", "phone", "body")

SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    ref TEXT PRIMARY KEY, idem_key TEXT NOT NULL UNIQUE, association TEXT NOT NULL, created_at INTEGER NOT NULL,
    month TEXT NOT NULL, state TEXT NOT NULL, version INTEGER NOT NULL, due_at INTEGER, due TEXT,
    queued_at INTEGER, expires_at INTEGER NOT NULL, email TEXT, phone TEXT, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS submissions_due ON submissions (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS submissions_month ON submissions (month, association, created_at);
CREATE INDEX IF NOT EXISTS submissions_queue ON submissions (queued_at) WHERE queued_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS submissions_email ON submissions (email) WHERE email IS NOT NULL;
CREATE INDEX IF NOT EXISTS submissions_phone ON submissions (phone) WHERE phone IS NOT NULL;
CREATE TABLE IF NOT EXISTS events (
    ref TEXT NOT NULL, version INTEGER NOT NULL, at INTEGER NOT NULL, actor TEXT NOT NULL, kind TEXT NOT NULL,
    details TEXT NOT NULL, PRIMARY KEY (ref, version));
CREATE TABLE IF NOT EXISTS messages (
    message_id TEXT PRIMARY KEY, ref TEXT NOT NULL, purpose TEXT NOT NULL, expires_at INTEGER NOT NULL,
    recipient TEXT);
CREATE INDEX IF NOT EXISTS messages_ref ON messages (ref);
CREATE TABLE IF NOT EXISTS rate_counters (key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS claims (key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS figures (month TEXT PRIMARY KEY, data TEXT NOT NULL, expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (key TEXT PRIMARY KEY, data TEXT NOT NULL, expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS reads (
    ref TEXT NOT NULL, at INTEGER NOT NULL, actor TEXT NOT NULL, what TEXT NOT NULL, expires_at INTEGER NOT NULL,
    PRIMARY KEY (ref, at, actor, what));
CREATE TABLE IF NOT EXISTS journal (
    at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, details TEXT NOT NULL, expires_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS journal_at ON journal (at);
CREATE TABLE IF NOT EXISTS cases (
    ref TEXT PRIMARY KEY, kind TEXT NOT NULL, month TEXT NOT NULL, created_at INTEGER NOT NULL,
    version INTEGER NOT NULL, due_at INTEGER, expires_at INTEGER NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS cases_due ON cases (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS cases_month ON cases (kind, month, created_at);
CREATE TABLE IF NOT EXISTS case_people (who TEXT NOT NULL, ref TEXT NOT NULL, PRIMARY KEY (who, ref));
"""


class SqliteStore:
    """One connection per thread, since the local server is threaded. ``reads`` counts the items read, for
    scripts/benchmark_tick.py."""

    def __init__(self, path: str):
        self.path = path
        self.reads = 0
        self._local = threading.local()
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._upgrade_legacy_table()
        with self._tx() as db:
            db.executescript(SCHEMA)
            if "recipient" not in {row[1] for row in db.execute("PRAGMA table_info(messages)")}:
                db.execute("ALTER TABLE messages ADD COLUMN recipient TEXT")   # files from before it was kept
        self._copy_legacy_rows()

    def _connect(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=10)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")   # with WAL: safe on a crash, fast enough for a laptop
            db.execute("PRAGMA secure_delete=ON")     # a deleted row is overwritten, not left in a freed page
            db.row_factory = sqlite3.Row
            self._local.db = db
        return db

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One operation's writes, all or nothing. Outside a batch, committed at once; inside one, a savepoint of
        the batch's transaction, committed with it (an operation that fails leaves nothing, as before)."""
        db = self._connect()
        if not getattr(self._local, "batch", 0):
            with db:
                yield db
            return
        if not db.in_transaction:
            db.execute("BEGIN")   # a savepoint opened outside a transaction would commit when released
        db.execute("SAVEPOINT op")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK TO op")
            db.execute("RELEASE op")
            raise
        db.execute("RELEASE op")

    @contextmanager
    def batch(self) -> Iterator[None]:
        """The writes of one piece of work (a form post: its counters, the request, its events and message index)
        committed together at the end or at each ``flush``, instead of one commit each (3 commits instead of 9
        for a post). Each operation stays whole (savepoints); what completed is committed even if the work then
        fails, as it was when each committed at once. Nested batches are the outer one's."""
        depth = getattr(self._local, "batch", 0)
        self._local.batch = depth + 1
        try:
            yield
        finally:
            self._local.batch = depth
            if not depth:
                self._connect().commit()

    def flush(self) -> None:
        """Commit the batch's writes so far: before anything leaves (a message, an SMS) or another waits on them."""
        if getattr(self._local, "batch", 0):
            self._connect().commit()

    def _run(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """One statement. Inside a batch it needs no savepoint of its own: SQLite undoes a statement that fails
        by itself and keeps the rest of the transaction (a form post makes five such writes: ten statements
        fewer)."""
        db = self._connect()
        if not getattr(self._local, "batch", 0):
            with db:
                rows = db.execute(sql, params).fetchall()
        else:
            if not db.in_transaction:
                db.execute("BEGIN")   # committed with the batch, like the operations in savepoints
            rows = db.execute(sql, params).fetchall()
        self.reads += len(rows)
        return rows

    def _records(self, sql: str, params: Sequence[Any] = ()) -> list[Request]:
        return [Request.from_item(json.loads(row["body"])) for row in self._run(sql, params)]

    @staticmethod
    def _row(record: Item) -> list[Any]:
        values = {**record, **derived(record), "body": to_json(dict(record))}
        return [values.get(c) for c in COLUMNS]

    # --- requests and their trail ---

    def put_new(self, record: Item, event: Event) -> tuple[Request, bool]:
        """Insert unless the idempotency key is known; return (stored record, created)."""
        try:
            with self._tx() as db:
                db.execute(f"INSERT INTO submissions ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                           self._row(record))
                self._insert_event(db, record["ref"], record["version"], event)
            return Request.from_item(record), True
        except sqlite3.IntegrityError:
            found = self._records("SELECT body FROM submissions WHERE idem_key = ?", (record["idem_key"],))
            if not found:
                raise
            return found[0], False

    @staticmethod
    def _insert_event(db: sqlite3.Connection, ref: str, version: int, event: Event) -> None:
        db.execute("INSERT INTO events (ref, version, at, actor, kind, details) VALUES (?, ?, ?, ?, ?, ?)",
                   (ref, version, event.at, event.actor, event.kind, to_json(event.details)))

    def get(self, ref: str) -> Request | None:
        found = self._records("SELECT body FROM submissions WHERE ref = ?", (ref,))
        return found[0] if found else None

    def by_phone(self, phone: str) -> list[Request]:
        return self._records("SELECT body FROM submissions WHERE phone = ? ORDER BY created_at", (phone,))

    def find_idem(self, idem_key: str) -> Request | None:
        """The request stored under this idempotency key, if any."""
        found = self._records("SELECT body FROM submissions WHERE idem_key = ?", (idem_key,))
        return found[0] if found else None

    def trail(self, ref: str) -> list[Event]:
        rows = self._run("SELECT at, actor, kind, details FROM events WHERE ref = ? ORDER BY version", (ref,))
        return [Event(r["at"], r["actor"], r["kind"], json.loads(r["details"])) for r in rows]

    def apply(self, record: Item, changes: Record, event: Event) -> Request:
        """Write the changes and their event together, if nobody changed the record since it was read."""
        updated = merge(record, changes)
        row = dict(zip(COLUMNS, self._row(updated)))
        with self._tx() as db:
            cursor = db.execute(
                "UPDATE submissions SET association = ?, state = ?, version = ?, due_at = ?, due = ?, queued_at = ?, "
                "body = ? WHERE ref = ? AND version = ?",   # association: a re-route moves it to another AI's lists
                (row["association"], row["state"], row["version"], row["due_at"], row["due"], row["queued_at"],
                 row["body"], record["ref"], record["version"]))
            if cursor.rowcount != 1:
                raise Stale(record["ref"])
            self._insert_event(db, record["ref"], updated["version"], event)
        return Request.from_item(updated)

    def reschedule(self, record: Item, due_at: int, due: str) -> None:
        """Move the record in the due index (after a change of the charter's delays, or a migration):
        derived data, so no event and no new version; a stale copy changes nothing."""
        body = to_json({**record, "due_at": due_at, "due": due})
        self._run("UPDATE submissions SET due_at = ?, due = ?, body = ? WHERE ref = ? AND version = ?",
                  (due_at, due, body, record["ref"], record["version"]))

    # --- the product's queries ---

    def due(self, now: int, limit: int = 100) -> list[Request]:
        """What the time-driven job owes, oldest first: read from the index, never a scan."""
        return self._records("SELECT body FROM submissions WHERE due_at <= ? ORDER BY due_at LIMIT ?", (now, limit))

    def month(self, month: str, association: str | None = None, former: bool = False) -> list[Request]:
        """The requests received in a month (``2026-11``), of one AI or of the whole region; ``former``: also
        those the AI held before the cell re-routed them (its figures count them, its lists do not)."""
        if association is None:
            return self._records("SELECT body FROM submissions WHERE month = ? ORDER BY created_at", (month,))
        if former:
            return self._records(
                "SELECT body FROM submissions WHERE month = ? AND (association = ? OR EXISTS (SELECT 1 FROM "
                "json_each(body, '$.previous_associations') WHERE value = ?)) ORDER BY created_at",
                (month, association, association))
        return self._records("SELECT body FROM submissions WHERE month = ? AND association = ? ORDER BY created_at",
                             (month, association))

    def queue(self) -> list[Request]:
        """The requests waiting for AAI's phone cell, the longest waiting first."""
        return self._records("SELECT body FROM submissions WHERE queued_at IS NOT NULL ORDER BY queued_at")

    # --- mail events: which request a message was about ---

    def record_message(self, message_id: str, ref: str, purpose: str, expires_at: int,
                       recipient: str | None = None) -> None:
        """``recipient``: whom it went to (an association's id, the network's, or ``household``), so a late
        refusal is charged to that address even if the request has moved on since."""
        self._run("INSERT OR REPLACE INTO messages (message_id, ref, purpose, expires_at, recipient) "
                  "VALUES (?, ?, ?, ?, ?)", (message_id, ref, purpose, expires_at, recipient))

    def find_message(self, message_id: str) -> dict[str, Any] | None:
        rows = self._run("SELECT ref, purpose, recipient FROM messages WHERE message_id = ?", (message_id,))
        return dict(rows[0]) if rows else None

    # --- retention and erasure ---

    def delete(self, ref: str) -> bool:
        """The request, its trail and its message index: every copy the store holds."""
        with self._tx() as db:
            count = db.execute("DELETE FROM submissions WHERE ref = ?", (ref,)).rowcount
            db.execute("DELETE FROM events WHERE ref = ?", (ref,))
            db.execute("DELETE FROM messages WHERE ref = ?", (ref,))
            db.execute("DELETE FROM reads WHERE ref = ?", (ref,))
        return bool(count)

    def erase(self, email: str | None = None, phone: str | None = None) -> list[str]:
        """Right to erasure: every request carrying this e-mail or phone number; returns their references."""
        refs = [r["ref"] for r in self._run("SELECT ref FROM submissions WHERE email = ? UNION "
                                            "SELECT ref FROM submissions WHERE phone = ?", (email, phone))]
        for ref in refs:
            self.delete(ref)
        self._forget_old_pages()
        return sorted(refs)

    def _forget_old_pages(self) -> None:
        """Copy the write-ahead log into the file and empty it: the log still holds the pages as they were
        before a deletion (secure_delete overwrites the file's pages, not the log's older copies)."""
        db = self._connect()
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()

    def sweep(self, now: int) -> int:
        """Counters and claims past their time (DynamoDB's TTL does this by itself)."""
        with self._tx() as db:
            count = db.execute("DELETE FROM rate_counters WHERE expires_at <= ?", (now,)).rowcount
            count += db.execute("DELETE FROM claims WHERE expires_at <= ?", (now,)).rowcount
            count += db.execute("DELETE FROM figures WHERE expires_at <= ?", (now,)).rowcount
            for table in ("tokens", "reads", "journal", "cases"):
                count += db.execute(f"DELETE FROM {table} WHERE expires_at <= ?", (now,)).rowcount
            db.execute("DELETE FROM case_people WHERE ref NOT IN (SELECT ref FROM cases)")
        self._forget_old_pages()   # after the tick's purge of requests past their retention
        return count

    # --- counters and once-only markers ---

    def take(self, key: str, limit: int, expires_at: int) -> bool:
        """Count one more event for this key if it has had fewer than ``limit``: one statement, so two
        clients racing never both take the last place (read-then-increment let 40 posts through a limit of 10)."""
        if limit <= 0:
            return False
        rows = self._run("INSERT INTO rate_counters (key, count, expires_at) VALUES (?, 1, ?) "
                         "ON CONFLICT (key) DO UPDATE SET count = count + 1 WHERE count < ? RETURNING count",
                         (key, expires_at, limit))
        return bool(rows)

    def give_back(self, key: str) -> None:
        """Undo one ``take`` (what was counted turned out not to be new)."""
        self._run("UPDATE rate_counters SET count = count - 1 WHERE key = ? AND count > 0", (key,))

    # --- the audience of past months: anonymous aggregates, kept for the twelve-month trends ---

    def save_figures(self, month: str, data: dict[str, Any], expires_at: int) -> None:
        self._run("INSERT OR REPLACE INTO figures (month, data, expires_at) VALUES (?, ?, ?)",
                  (month, to_json(data), expires_at))

    def load_figures(self, months: list[str]) -> dict[str, dict[str, Any]]:
        """{month: data} for those of ``months`` that are kept."""
        marks = ", ".join("?" * len(months))
        rows = self._run(f"SELECT month, data FROM figures WHERE month IN ({marks})", months) if months else []
        self.reads += len(rows)
        return {row["month"]: json.loads(row["data"]) for row in rows}

    def claim(self, key: str, expires_at: int) -> bool:
        """True for the first caller only: a monthly report, a daily alert are sent once."""
        with self._tx() as db:
            return db.execute("INSERT OR IGNORE INTO claims (key, expires_at) VALUES (?, ?)",
                              (key, expires_at)).rowcount == 1

    def claimed(self, key: str) -> bool:
        return bool(self._run("SELECT 1 FROM claims WHERE key = ?", (key,)))

    def release(self, key: str) -> None:
        self._run("DELETE FROM claims WHERE key = ?", (key,))

    # --- the back office: single-use sign-in tokens, reads of personal data, the journal ---

    def put_token(self, key: str, data: dict[str, Any], expires_at: int) -> None:
        """A sign-in token, kept by its hash (``key``): the link itself is never stored. A token put again under
        the same key replaces it, as DynamoDB's PutItem does (an address's latest link)."""
        self._run("INSERT OR REPLACE INTO tokens (key, data, expires_at) VALUES (?, ?, ?)",
                  (key, to_json(data), expires_at))

    def peek_token(self, key: str, now: int) -> dict[str, Any] | None:
        """The token's data if it is still valid; nothing changes (the page a mail scanner opens)."""
        rows = self._run("SELECT data FROM tokens WHERE key = ? AND expires_at > ?", (key, now))
        return json.loads(rows[0]["data"]) if rows else None

    def take_token(self, key: str, now: int) -> dict[str, Any] | None:
        """Use the token: deleted in the same statement that reads it, so it opens one session only."""
        rows = self._run("DELETE FROM tokens WHERE key = ? RETURNING data, expires_at", (key,))
        return json.loads(rows[0]["data"]) if rows and rows[0]["expires_at"] > now else None

    def log_reads(self, refs: dict[str, int], at: int, actor: str, what: str) -> None:
        """``refs``: reference → the request's own expiry (the record of a read goes with the request)."""
        with self._tx() as db:
            db.executemany("INSERT OR IGNORE INTO reads (ref, at, actor, what, expires_at) VALUES (?, ?, ?, ?, ?)",
                           [(ref, at, actor, what, expires) for ref, expires in refs.items()])

    def read_log(self, ref: str) -> list[Read]:
        rows = self._run("SELECT at, actor, what FROM reads WHERE ref = ? ORDER BY at, actor, what", (ref,))
        return [Read(r["at"], r["actor"], r["what"]) for r in rows]

    def journal_add(self, entry: JournalEntry, expires_at: int) -> None:
        self._run("INSERT INTO journal (at, actor, action, details, expires_at) VALUES (?, ?, ?, ?, ?)",
                  (entry.at, entry.actor, entry.action, to_json(entry.details), expires_at))

    def journal(self, start: int, end: int) -> list[JournalEntry]:
        """The journal between two instants (a day: rules.dates), oldest first."""
        rows = self._run("SELECT at, actor, action, details FROM journal WHERE at >= ? AND at < ? ORDER BY at, rowid",
                         (start, end))
        return [JournalEntry(r["at"], r["actor"], r["action"], json.loads(r["details"])) for r in rows]

    # --- complaints and error reports ---

    @staticmethod
    def _case_row(case: Case) -> tuple[Any, ...]:
        return (case.ref, case.kind.value, case.month, case.created_at, case.version, case.due_at, case.expires_at,
                to_json(case.to_json()))

    def put_case(self, case: Case) -> None:
        try:
            with self._tx() as db:
                db.execute("INSERT INTO cases (ref, kind, month, created_at, version, due_at, expires_at, body) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", self._case_row(case))
                db.executemany("INSERT OR IGNORE INTO case_people (who, ref) VALUES (?, ?)",
                               [(who, case.ref) for who in case.who])
        except sqlite3.IntegrityError:
            raise Stale(case.ref) from None

    def get_case(self, ref: str) -> Case | None:
        rows = self._run("SELECT body FROM cases WHERE ref = ?", (ref,))
        return Case.from_json(json.loads(rows[0]["body"])) if rows else None

    def update_case(self, case: Case) -> None:
        ref, kind, month, created_at, version, due_at, expires_at, body = self._case_row(case)
        with self._tx() as db:
            written = db.execute("UPDATE cases SET version = ?, due_at = ?, expires_at = ?, body = ? "
                                 "WHERE ref = ? AND version = ?",
                                 (version, due_at, expires_at, body, ref, version - 1)).rowcount
        if not written:
            raise Stale(ref)

    def cases_due(self, now: int, limit: int = 100) -> list[Case]:
        rows = self._run("SELECT body FROM cases WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at LIMIT ?",
                         (now, limit))
        return [Case.from_json(json.loads(row["body"])) for row in rows]

    def cases_month(self, kind: str, month: str) -> list[Case]:
        rows = self._run("SELECT body FROM cases WHERE kind = ? AND month = ? ORDER BY created_at", (kind, month))
        return [Case.from_json(json.loads(row["body"])) for row in rows]

    def erase_cases(self, email: str | None = None, phone: str | None = None) -> list[str]:
        refs = sorted({row["ref"] for row in self._run("SELECT ref FROM case_people WHERE who IN (?, ?)",
                                                       (email, phone))})
        with self._tx() as db:
            for ref in refs:
                db.execute("DELETE FROM cases WHERE ref = ?", (ref,))
                db.execute("DELETE FROM case_people WHERE ref = ?", (ref,))
        self._forget_old_pages()
        return refs

    # --- upgrades ---

    def migrate(self) -> int:
        """Records of this layout need nothing; kept for ``admin migrate`` (see _copy_legacy_rows)."""
        return self._copy_legacy_rows()

    def _upgrade_legacy_table(self) -> None:
        """Files written before the lifecycle had a ``submissions`` table with a ``status`` column: moved
        aside here, copied into today's layout by _copy_legacy_rows."""
        with self._tx() as db:
            columns = {row[1] for row in db.execute("PRAGMA table_info(submissions)")}
            if "status" in columns:
                db.execute("ALTER TABLE submissions RENAME TO submissions_legacy")
                for index in ("submissions_status", "submissions_expires"):
                    db.execute(f"DROP INDEX IF EXISTS {index}")

    def _copy_legacy_rows(self) -> int:
        with self._tx() as db:
            if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'submissions_legacy'").fetchall():
                return 0
            rows = [dict(r) for r in db.execute("SELECT * FROM submissions_legacy")]
        copied = 0
        for row in rows:
            record = _from_legacy(row)
            event = Event(record["created_at"], ActorKind.HOUSEHOLD, EventKind.RECEIVED,
                          {"kind": record["kind"], "migrated": True})
            _, created = self.put_new(record, event)
            copied += created
        with self._tx() as db:
            db.execute("DROP TABLE submissions_legacy")
        logger.info("migration: %d requests copied into the lifecycle layout", copied)
        return copied


def _from_legacy(row: dict[str, Any]) -> Record:
    """An old row as a record; due at once, so the next tick puts it on the lifecycle's schedule."""
    row = {**row, "data": json.loads(row["data"])}
    row = phone_in_e164(row) or row
    sent = row.get("status") == "sent"
    record = {
        "ref": row["ref"], "idem_key": row["idem_key"], "kind": row["kind"], "channel": Channel.SITE,
        "association": row["association"], "created_at": row["created_at"], "expires_at": row["expires_at"],
        "state": State.HANDLED if row.get("handled_at") else State.SENT if sent else State.RETRYING if row["attempts"]
        else State.RECEIVED, "version": 1, "attempts": row["attempts"], "last_error": row.get("last_error"),
        "ai_sent_at": row.get("ai_sent_at"), "ack_sent_at": row.get("ack_sent_at"), "handled_at": row.get("handled_at"),
        "outcome": Outcome.IN_PROGRESS if row.get("handled_at") else None, "email": row.get("email"),
        "phone": row.get("phone"),
        "followup_wanted": False, "data": row["data"], "due_at": row["created_at"], "due": "refresh",
    }
    return {k: v for k, v in record.items() if v is not None}
