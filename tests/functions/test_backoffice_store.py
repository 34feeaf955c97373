"""The store's part of the back office, one contract on SQLite and on DynamoDB (moto server): sign-in tokens
used once, reads of personal data kept beside the trail and erased with the request, the journal by day."""

from __future__ import annotations

from chalicelib.lifecycle import Policy, new_request, step
from chalicelib.store.base import JournalEntry, Read

POLICY = Policy(reminder_after=1, charter_delay=2, household_question_after=3, close_after_days=30)
NOV_2 = 1793610000        # 2026-11-02 10:00 Paris
DAY = 86400


def put(store, ref: str, email: str | None = None) -> dict:
    record, event = new_request(ref=ref, idem_key=f"key-{ref}", kind="rappel", association="ai-libournais",
                                created_at=NOV_2, retention_days=365, data={"nom": "X"}, email=email, phone=None,
                                policy=POLICY)
    return store.put_new(record, event)[0]


def test_a_token_is_used_once_and_never_after_its_time(store):
    store.put_token("h1", {"email": "a@example.org", "then": "/espace/"}, NOV_2 + 900)
    assert store.peek_token("h1", NOV_2) == {"email": "a@example.org", "then": "/espace/"}
    assert store.peek_token("h1", NOV_2) is not None            # peeking uses nothing
    assert store.take_token("h1", NOV_2 + 899) == {"email": "a@example.org", "then": "/espace/"}
    assert store.take_token("h1", NOV_2 + 899) is None and store.peek_token("h1", NOV_2) is None
    store.put_token("h2", {"email": "b@example.org"}, NOV_2 + 900)
    assert store.peek_token("h2", NOV_2 + 900) is None
    assert store.take_token("h2", NOV_2 + 900) is None          # past its time: refused, and gone
    assert store.take_token("h2", NOV_2) is None
    assert store.take_token("unknown", NOV_2) is None


def test_reads_are_kept_beside_the_trail_without_a_new_version(store):
    record = put(store, "AI-20261102-AAAAAA")
    store.log_reads({record["ref"]: record["expires_at"]}, NOV_2 + 60, "ai:ai-libournais", "page")
    store.log_reads({record["ref"]: record["expires_at"]}, NOV_2 + 60, "ai:ai-libournais", "page")   # same: once
    store.log_reads({record["ref"]: record["expires_at"]}, NOV_2 + 120, "cell:claire@example.org", "queue")
    assert store.read_log(record["ref"]) == [Read(NOV_2 + 60, "ai:ai-libournais", "page"),
                                             Read(NOV_2 + 120, "cell:claire@example.org", "queue")]
    assert store.get(record["ref"])["version"] == 1 and [e.kind for e in store.trail(record["ref"])] == ["received"]
    changes, event = step(record, "noted", NOV_2 + 180, "ai:ai-libournais", POLICY, text="Appelée")
    store.apply(record, changes, event)                        # reading never made the record stale
    assert store.read_log("AI-20261102-BBBBBB") == []


def test_reads_go_with_the_request_when_it_is_erased(store):
    record = put(store, "AI-20261102-AAAAAA", email="jeanne@example.org")
    store.log_reads({record["ref"]: record["expires_at"]}, NOV_2 + 60, "ai:ai-libournais", "export")
    assert store.erase(email="jeanne@example.org") == [record["ref"]]
    assert store.read_log(record["ref"]) == [] and store.get(record["ref"]) is None


def test_the_journal_is_read_by_day(store):
    entries = [JournalEntry(NOV_2, "ai:ai-libournais", "signed_in", {}),
               JournalEntry(NOV_2 + 60, "cell:claire@example.org", "liaison", {"refs": ["AI-20261102-AAAAAA"]}),
               JournalEntry(NOV_2 + DAY, "ai:ai-libournais", "export", {"month": "2026-11", "count": 2})]
    for entry in entries:
        store.journal_add(entry, NOV_2 + 365 * DAY)
    assert store.journal(NOV_2, NOV_2 + DAY) == entries[:2]
    assert store.journal(NOV_2 - DAY, NOV_2 + 2 * DAY) == entries
    assert store.journal(NOV_2 + 61, NOV_2 + DAY) == []
