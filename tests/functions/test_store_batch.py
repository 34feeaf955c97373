"""Writes grouped in a batch (``Store.batch`` / ``flush``): SQLite commits a form post's writes together instead of
one by one, and always before a message leaves — each e-mail finds its request committed, read by another
connection. The other stores write at once; the same contract holds for them."""

from __future__ import annotations

import sqlite3

import pytest

from support_functions import demande_fields, rappel_fields
from test_store import NOV_2, POLICY, put
from chalicelib.requests.lifecycle import step
from chalicelib.store import SqliteStore, Stale


def test_a_batch_keeps_each_operation_whole_and_what_completed(store):
    """Inside a batch: reads see the batch's own writes; a change refused (stale) leaves nothing; what completed
    before and after is kept, as when each write committed at once."""
    with store.batch():
        record = put(store, "AI-20261102-AAAAAA")
        assert store.get(record["ref"]) == record
        changes, event = step(record, "sent", NOV_2 + 60, "system", POLICY, to="ai")
        updated = store.apply(record, changes, event)
        with pytest.raises(Stale):
            store.apply(record, *step(record, "sent", NOV_2 + 90, "system", POLICY, to="ai"))
        assert store.take("rate#1", 1, NOV_2 + 3600) and not store.take("rate#1", 1, NOV_2 + 3600)
        store.flush()
        with store.batch():   # nested: the outer one's
            put(store, "AI-20261102-BBBBBB")
    assert store.get(record["ref"]) == updated and store.get("AI-20261102-BBBBBB") is not None
    assert [e.kind for e in store.trail(record["ref"])] == ["received", "sent"]


def test_a_batch_that_fails_still_keeps_what_completed(store):
    with pytest.raises(RuntimeError):
        with store.batch():
            put(store, "AI-20261102-AAAAAA")
            raise RuntimeError("after storing")
    assert store.get("AI-20261102-AAAAAA") is not None


def test_sqlite_commits_a_batch_at_its_flush_and_its_end(tmp_path):
    store = SqliteStore(str(tmp_path / "s.sqlite3"))
    other = sqlite3.connect(tmp_path / "s.sqlite3")

    def committed() -> int:
        return other.execute("SELECT count(*) FROM submissions").fetchone()[0]
    with store.batch():
        put(store, "AI-20261102-AAAAAA")
        assert committed() == 0
        store.flush()
        assert committed() == 1
        put(store, "AI-20261102-BBBBBB")
        assert committed() == 1
    assert committed() == 2
    put(store, "AI-20261102-CCCCCC")   # outside a batch: at once
    assert committed() == 3


def test_sqlite_a_single_statement_refused_in_a_batch_leaves_the_rest(tmp_path):
    """A one-statement write (a counter, the message index) runs in the batch's transaction without a savepoint of
    its own: refused, it leaves nothing, and what the batch wrote before and after is committed."""
    store = SqliteStore(str(tmp_path / "s.sqlite3"))
    with store.batch():
        put(store, "AI-20261102-AAAAAA")
        assert store.take("rate#1", 5, NOV_2 + 3600)
        with pytest.raises(sqlite3.IntegrityError):
            store.record_message("<n@example.org>", None, "request", NOV_2 + 3600)   # ref: NOT NULL
        store.record_message("<m@example.org>", "AI-20261102-AAAAAA", "request", NOV_2 + 3600)
    other = sqlite3.connect(tmp_path / "s.sqlite3")
    assert other.execute("SELECT count(*) FROM submissions").fetchone()[0] == 1
    assert other.execute("SELECT count FROM rate_counters").fetchall() == [(1,)]
    assert other.execute("SELECT message_id FROM messages").fetchall() == [("<m@example.org>",)]


class CheckingMailer:
    """Before each message leaves: its request, read through a second connection to the SQLite file, is
    committed, with the events the sending before it recorded."""

    def __init__(self, inner, path: str) -> None:
        self.inner, self.path, self.seen = inner, path, []

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def send(self, msg):
        ref = str(msg["X-AAI-Reference"])
        db = sqlite3.connect(self.path)
        try:
            row = db.execute("SELECT state FROM submissions WHERE ref = ?", (ref,)).fetchone()
            kinds = [k for (k,) in db.execute("SELECT kind FROM events WHERE ref = ? ORDER BY version", (ref,))]
            counted = db.execute("SELECT count FROM rate_counters WHERE key = ?", (f"messages#{ref}",)).fetchone()
        finally:
            db.close()
        self.seen.append((ref, row[0] if row else None, kinds, counted[0] if counted else 0))
        return self.inner.send(msg)


@pytest.mark.parametrize("path, fields", [("/demande", demande_fields()),
                                          ("/rappel", rappel_fields(association="aai", commune="33063"))])
def test_each_message_finds_its_request_committed(client, local, path, fields):
    mailer = CheckingMailer(local.service.mailer, local.settings.sqlite_path)
    local.service.mailer = mailer
    assert client.post(path, fields).status == 303
    (ref, state, kinds, counted), (ref2, state2, kinds2, counted2) = mailer.seen
    assert ref == ref2 and state == "received" and kinds == ["received"] and counted == 1
    assert state2 is not None and kinds2[:2] == ["received", "sent"] and counted2 == 2
    assert [row["state"] for row in local.rows()] == [local.service.store.get(ref)["state"]]
    assert [e.kind for e in local.service.store.trail(ref)][-1] == "acknowledged"
