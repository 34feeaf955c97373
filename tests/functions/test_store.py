"""One contract, two stores: every test here runs on SQLite and on DynamoDB (moto server)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from chalicelib.requests.lifecycle import Event, Policy, new_request, step
from chalicelib.store import SqliteStore, Stale

POLICY = Policy(reminder_after=1, charter_delay=2, household_question_after=3, close_after_days=30)
NOV_2 = 1793610000        # 2026-11-02 10:00 Paris, a Monday
DAY = 86400


def new(ref: str, created: int = NOV_2, association: str = "ai-libournais", key: str | None = None,
        email: str | None = None, phone: str | None = None) -> tuple[dict, Event]:
    return new_request(ref=ref, idem_key=key or f"key-{ref}", kind="rappel", association=association,
                       created_at=created, retention_days=365, data={"nom": "X", "heures": 3.5},
                       email=email, phone=phone, policy=POLICY)


def put(store, *args, **kwargs) -> dict:
    record, created = store.put_new(*new(*args, **kwargs))
    assert created
    return record


def test_new_requests_are_stored_once_per_idempotency_key(store):
    first = put(store, "AI-20261102-AAAAAA", key="k1", email="a@example.org")
    again, created = store.put_new(*new("AI-20261102-BBBBBB", key="k1"))
    assert not created and again["ref"] == first["ref"]
    assert store.get("AI-20261102-BBBBBB") is None
    assert store.get(first["ref"]) == first and first["data"] == {"nom": "X", "heures": 3.5}
    assert store.find_idem("k1")["ref"] == first["ref"] and store.find_idem("nope") is None
    assert [e.kind for e in store.trail(first["ref"])] == ["received"]


def test_a_change_and_its_event_are_written_together_or_not_at_all(store):
    record = put(store, "AI-20261102-AAAAAA")
    changes, event = step(record, "sent", NOV_2 + 60, "system", POLICY, to="ai")
    updated = store.apply(record, changes, event)
    assert updated["state"] == "sent" and updated["version"] == 2 and store.get(record["ref"]) == updated
    changes, event = step(record, "sent", NOV_2 + 90, "system", POLICY, to="ai")   # a stale copy (version 1)
    with pytest.raises(Stale):
        store.apply(record, changes, event)
    trail = store.trail(record["ref"])
    assert [(e.kind, e.actor, e.at) for e in trail] == [("received", "household", NOV_2),
                                                        ("sent", "system", NOV_2 + 60)]
    assert trail[1].details == {"to": "ai"}


def test_the_due_index_returns_what_is_due_and_nothing_else(store):
    fresh = put(store, "AI-20261102-AAAAAA")                      # due: retry two minutes after receipt
    older = put(store, "AI-20261101-BBBBBB", created=NOV_2 - DAY)
    assert fresh["due"] == "retry" and fresh["due_at"] == NOV_2 + 120
    assert [r["ref"] for r in store.due(NOV_2 + 60)] == [older["ref"]]
    assert [r["ref"] for r in store.due(NOV_2 + 600)] == [older["ref"], fresh["ref"]]
    assert [r["ref"] for r in store.due(NOV_2 + 600, limit=1)] == [older["ref"]]
    changes, event = step(fresh, "sent", NOV_2 + 130, "system", POLICY, to="ai")
    sent = store.apply(fresh, changes, event)
    assert sent["due"] == "reminder" and sent["due_at"] == NOV_2 + DAY    # one working day later
    store.reschedule(sent, NOV_2 + 5 * DAY, "reminder")
    assert [r["ref"] for r in store.due(NOV_2 + 600)] == [older["ref"]]
    assert store.get(sent["ref"])["due"] == "reminder"
    store.reschedule(fresh, NOV_2, "retry")   # a stale copy moves nothing
    assert store.get(sent["ref"])["due_at"] == NOV_2 + 5 * DAY


def test_a_month_of_the_region_or_of_one_ai(store):
    put(store, "AI-20261102-AAAAAA")
    put(store, "AI-20261103-BBBBBB", created=NOV_2 + DAY, association="ai-entre-deux-mers")
    put(store, "AI-20261031-CCCCCC", created=NOV_2 - 3 * DAY)          # October
    put(store, "AI-20261130-DDDDDD", created=NOV_2 + 28 * DAY + 13 * 3600)   # 30 November 23:00 Paris
    assert [r["ref"] for r in store.month("2026-11")] == ["AI-20261102-AAAAAA", "AI-20261103-BBBBBB",
                                                          "AI-20261130-DDDDDD"]
    assert [r["ref"] for r in store.month("2026-11", "ai-entre-deux-mers")] == ["AI-20261103-BBBBBB"]
    assert [r["ref"] for r in store.month("2026-10")] == ["AI-20261031-CCCCCC"]
    assert store.month("2026-12") == [] and store.month("2026-11", "ai-inconnue") == []


def test_a_rerouted_request_moves_to_the_new_ais_month_and_stays_in_the_former_ais_figures(store):
    record = put(store, "AI-20261102-AAAAAA", association="ai-haute-lande")
    put(store, "AI-20261102-BBBBBB", association="ai-marsan")
    record = store.apply(record, *step(record, "escalated", NOV_2 + 100, "ai:ai-haute-lande", POLICY,
                                       reason="not_ours"))
    store.apply(record, *step(record, "rerouted", NOV_2 + 200, "cell:claire", POLICY, to="ai-marsan"))
    assert [r["ref"] for r in store.month("2026-11", "ai-haute-lande")] == []
    assert [r["ref"] for r in store.month("2026-11", "ai-marsan")] == ["AI-20261102-AAAAAA", "AI-20261102-BBBBBB"]
    assert [r["ref"] for r in store.month("2026-11", "ai-haute-lande", former=True)] == ["AI-20261102-AAAAAA"]
    assert len(store.month("2026-11", "ai-marsan", former=True)) == 2


def test_the_cells_queue_holds_escalated_requests_until_they_are_handled(store):
    first = put(store, "AI-20261102-AAAAAA")
    second = put(store, "AI-20261102-BBBBBB")
    put(store, "AI-20261102-CCCCCC")
    for record, at in ((second, NOV_2 + 100), (first, NOV_2 + 200)):
        store.apply(record, *step(record, "escalated", at, "system", POLICY, reason="deadline"))
    assert [r["ref"] for r in store.queue()] == ["AI-20261102-BBBBBB", "AI-20261102-AAAAAA"]
    escalated = store.get(second["ref"])
    store.apply(escalated, *step(escalated, "handled", NOV_2 + 300, "cell:claire", POLICY, outcome="client"))
    assert [r["ref"] for r in store.queue()] == ["AI-20261102-AAAAAA"]


def test_messages_find_their_request(store):
    record = put(store, "AI-20261102-AAAAAA")
    store.record_message("0100018f-ses-id", record["ref"], "request", record["expires_at"], "ai-libournais")
    store.record_message("0100018f-ack-id", record["ref"], "ack", record["expires_at"], "household")
    assert store.find_message("0100018f-ses-id") == {"ref": record["ref"], "purpose": "request",
                                                     "recipient": "ai-libournais"}
    assert store.find_message("0100018f-ack-id")["recipient"] == "household"
    assert store.find_message("unknown") is None


def test_deleting_a_request_removes_every_copy(store):
    record = put(store, "AI-20261102-AAAAAA", email="a@example.org", phone="+33536491234")
    store.apply(record, *step(record, "sent", NOV_2 + 60, "system", POLICY, to="ai"))
    store.record_message("m-1", record["ref"], "request", record["expires_at"])
    assert store.delete(record["ref"]) and not store.delete(record["ref"])
    assert store.get(record["ref"]) is None and store.trail(record["ref"]) == []
    assert store.find_message("m-1") is None and store.find_idem(record["idem_key"]) is None
    assert store.erase(email="a@example.org") == [] and store.due(NOV_2 + 10 * DAY) == []
    again, created = store.put_new(*new("AI-20261102-BBBBBB", key=record["idem_key"]))   # its key went with it
    assert created


def test_requests_are_found_by_phone_oldest_first(store):
    """An SMS reply names a phone number, not a reference (issue 26: « répondez NON »)."""
    put(store, "AI-20261102-BBBBBB", created=NOV_2 + 60, phone="+33612345678")
    put(store, "AI-20261102-AAAAAA", phone="+33612345678", email="a@example.org")
    put(store, "AI-20261102-CCCCCC", phone="+33536491234")
    assert [r.ref for r in store.by_phone("+33612345678")] == ["AI-20261102-AAAAAA", "AI-20261102-BBBBBB"]
    assert store.by_phone("+33700000000") == []
    store.delete("AI-20261102-AAAAAA")
    assert [r.ref for r in store.by_phone("+33612345678")] == ["AI-20261102-BBBBBB"]   # forgotten with it


def test_erasure_by_email_or_phone(store):
    put(store, "AI-20261102-AAAAAA", email="b@example.org")
    put(store, "AI-20261102-BBBBBB", phone="+33536491234")
    put(store, "AI-20261102-CCCCCC", email="b@example.org", phone="+33612345678")
    put(store, "AI-20261102-DDDDDD", email="c@example.org")
    assert store.erase(email="b@example.org") == ["AI-20261102-AAAAAA", "AI-20261102-CCCCCC"]
    assert store.erase(phone="+33612345678") == []                 # went with its e-mail
    assert store.erase(phone="+33536491234") == ["AI-20261102-BBBBBB"]
    assert [store.get(r) is not None for r in ("AI-20261102-AAAAAA", "AI-20261102-DDDDDD")] == [False, True]


def test_counters_and_once_only_claims(store):
    assert [store.take("ip#1", 3, NOV_2 + 3600) for _ in range(4)] == [True, True, True, False]
    store.give_back("ip#1")
    assert store.take("ip#1", 3, NOV_2 + 3600) and not store.take("ip#1", 3, NOV_2 + 3600)
    assert store.take("ip#2", 3, NOV_2 + 3600) and not store.take("ip#3", 0, NOV_2 + 3600)
    assert store.claim("report#2026-10", NOV_2 + DAY) and not store.claim("report#2026-10", NOV_2 + DAY)
    assert store.claimed("report#2026-10") and not store.claimed("report#2026-09")
    store.release("report#2026-10")
    assert not store.claimed("report#2026-10") and store.claim("report#2026-10", NOV_2 + DAY)


def test_reads_are_counted(store):
    for index in range(5):
        put(store, f"AI-20261102-AAAAA{index}", created=NOV_2 + 600 * index)
    before = store.reads
    assert len(store.due(NOV_2 + 121)) == 1
    assert store.reads - before == 1      # the index read one item, not five


def test_sqlite_files_from_before_the_lifecycle_are_migrated_and_erased_by_number(tmp_path):
    """Earlier versions kept one row per request with a status and « 05 36 49 12 34 »; opening the file copies
    every row into today's layout, numbers in E.164, due at once so the next tick schedules it."""
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.executescript("""CREATE TABLE submissions (
        ref TEXT PRIMARY KEY, idem_key TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, association TEXT NOT NULL,
        created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL,
        last_error TEXT, ai_sent_at INTEGER, ack_sent_at INTEGER, handled_at INTEGER,
        email TEXT, phone TEXT, data TEXT NOT NULL);
        CREATE INDEX submissions_status ON submissions (status);""")
    rows = [("AI-20261102-OLD001", "k1", "rappel", "ai-libournais", NOV_2, NOV_2 + 365 * DAY, "sent", 1, None,
             NOV_2 + 5, NOV_2 + 6, NOV_2 + 3600, None, "05 36 49 12 34",
             json.dumps({"nom": "X", "telephone": "05 36 49 12 34"})),
            ("AI-20261102-OLD002", "k2", "demande", "ai-libournais", NOV_2, NOV_2 + 365 * DAY, "pending", 2, "boom",
             None, None, None, "x@example.org", None, json.dumps({"nom": "Y"}))]
    db.executemany("INSERT INTO submissions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    db.commit()
    db.close()
    store = SqliteStore(str(path))
    handled, pending = store.get("AI-20261102-OLD001"), store.get("AI-20261102-OLD002")
    assert handled["state"] == "handled" and handled["phone"] == "+33536491234"
    assert handled["data"]["telephone"] == "+33536491234"
    assert pending["state"] == "retrying" and pending["attempts"] == 2
    assert {r["ref"] for r in store.due(NOV_2)} == {"AI-20261102-OLD001", "AI-20261102-OLD002"}
    assert store.migrate() == 0
    assert store.erase(phone="+33536491234") == ["AI-20261102-OLD001"]


def test_a_message_index_from_before_the_recipient_was_kept_gets_the_column(tmp_path):
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE messages (message_id TEXT PRIMARY KEY, ref TEXT NOT NULL, purpose TEXT NOT NULL, "
               "expires_at INTEGER NOT NULL)")
    db.execute("INSERT INTO messages VALUES ('old-id', 'AI-20261102-AAAAAA', 'request', 1)")
    db.commit()
    db.close()
    store = SqliteStore(str(path))
    assert store.find_message("old-id") == {"ref": "AI-20261102-AAAAAA", "purpose": "request", "recipient": None}
    store.record_message("new-id", "AI-20261102-AAAAAA", "request", 1, "ai-marsan")
    assert store.find_message("new-id")["recipient"] == "ai-marsan"
