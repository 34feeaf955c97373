"""The store's part of the back office, one contract on SQLite and on DynamoDB (moto server): sign-in tokens
used once, reads of personal data kept beside the trail and erased with the request, the journal by day; and
nothing the back office writes outlives its time (``sweep`` on SQLite, the TTL attribute on DynamoDB)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest
from support_functions import ROUTING

from chalicelib.backoffice import audit, auth, timeout
from chalicelib.backoffice.web import Visit
from chalicelib.config import Settings
from chalicelib.requests.lifecycle import Policy, new_request, step
from chalicelib.mail.mailers import OutboxMailer
from chalicelib.routing import load_routing
from chalicelib.service import FormService
from chalicelib.store import SqliteStore
from chalicelib.store.base import JournalEntry, Read

POLICY = Policy(reminder_after=1, charter_delay=2, household_question_after=3, close_after_days=30)
NOV_2 = 1793610000        # 2026-11-02 10:00 Paris
DAY = 86400


def put(store, ref: str, email: str | None = None, created_at: int = NOV_2) -> dict:
    record, event = new_request(ref=ref, idem_key=f"key-{ref}", kind="rappel", association="ai-libournais",
                                created_at=created_at, retention_days=365, data={"nom": "X"}, email=email, phone=None,
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



# --- Expiry: nothing the back office writes stays past its time ---------------------------------------------------

@pytest.fixture
def traces(store, tmp_path):
    """What a morning in the back office leaves in the store, written by the back office's own code: a sign-in
    link, a read of a request received the day before, a line of the journal, a signed-out session. Yields the
    store and, for each, (its key, the instant it must be gone)."""
    settings = replace(Settings(), secret="test-secret", routing=ROUTING, forms_endpoint="https://api.example.org",
                       outbox_dir=str(tmp_path / "outbox"))
    svc = FormService(settings, load_routing(ROUTING), store, OutboxMailer(settings.outbox_dir), clock=lambda: NOV_2)
    record = put(store, "AI-20261101-AAAAAA", created_at=NOV_2 - DAY)
    who = auth.identify(svc.routing, "demandes@libournais.example.org")
    token, token_expires = auth.new_link(svc, who, "/espace/")
    audit.read(svc, who, [record], "page")
    audit.journal(svc, who.actor(), "signed_in")
    session, _ = auth.open_session(svc, who)
    auth.close_session(svc, session)
    late = Visit("POST", "/espace/demandes/AI-20261101-AAAAAA/note", form={"note": ["Rappelée."]},
                 cookies={"__Host-aai-espace-avant": "n" * 22}, ip="192.0.2.1")   # sent after the end
    draft, _ = timeout.keep(svc, late)
    return store, {
        "token": (auth.token_key(token), NOV_2 + auth.LINK_SECONDS),                   # 15 minutes
        "signout": (f"signout#{session.id}", NOV_2 + auth.SESSION_LIMIT_SECONDS + 60),  # any copy's latest end
        "reads": (record["ref"], NOV_2 - DAY + 365 * DAY),                            # with the request
        "journal": ("signed_in", NOV_2 + 365 * DAY),                                  # retention_days
        "draft": (timeout.draft_key("n" * 22, draft), NOV_2 + timeout.DRAFT_SECONDS),  # an hour
    }


def _present(store: SqliteStore, keys: dict) -> set[str]:
    """Which of the traces the SQLite file still holds (read raw: the token's own reads check its expiry)."""
    db = sqlite3.connect(store.path)
    try:
        tokens = db.execute("SELECT count(*) FROM tokens WHERE key = ?", (keys["token"][0],)).fetchone()[0]
        drafts = db.execute("SELECT count(*) FROM tokens WHERE key = ?", (keys["draft"][0],)).fetchone()[0]
    finally:
        db.close()
    found = ({"token"} if tokens else set()) | ({"draft"} if drafts else set())
    found |= {"signout"} if store.claimed(keys["signout"][0]) else set()
    found |= {"reads"} if store.read_log(keys["reads"][0]) else set()
    found |= {"journal"} if [e for e in store.journal(0, 2 ** 40) if e.action == keys["journal"][0]] else set()
    return found


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_on_sqlite_the_sweep_removes_each_trace_once_past_its_time_and_not_before(traces):
    store, keys = traces
    assert _present(store, keys) == set(keys)
    gone: set[str] = set()
    for name, (_, expires) in sorted(keys.items(), key=lambda item: item[1][1]):
        store.sweep(expires - 1)
        assert _present(store, keys) == set(keys) - gone, f"{name} swept before its time"
        store.sweep(expires)
        gone.add(name)
        assert _present(store, keys) == set(keys) - gone, f"{name} kept past its time"
    assert store.get("AI-20261101-AAAAAA") is not None     # the request itself goes by the purge job, not here


@pytest.mark.parametrize("store", ["dynamodb"], indirect=True)
def test_on_dynamodb_each_trace_carries_the_ttl_attribute_with_its_time(traces):
    from boto3.dynamodb.conditions import Key
    store, keys = traces
    ttl = store.client.describe_time_to_live(TableName=store.table.name)["TimeToLiveDescription"]
    assert (ttl["TimeToLiveStatus"], ttl["AttributeName"]) == ("ENABLED", "expires_at")
    token = store.table.get_item(Key={"pk": f"TOKEN#{keys['token'][0]}", "sk": "TOKEN"})["Item"]
    draft = store.table.get_item(Key={"pk": f"TOKEN#{keys['draft'][0]}", "sk": "TOKEN"})["Item"]
    signout = store.table.get_item(Key={"pk": f"CLAIM#{keys['signout'][0]}", "sk": "CLAIM"})["Item"]
    reads = store.table.query(KeyConditionExpression=Key("pk").eq(f"REQ#{keys['reads'][0]}")
                              & Key("sk").begins_with("READ#"))["Items"]
    journal = store.table.query(KeyConditionExpression=Key("pk").eq("LOG#2026-11-02"))["Items"]
    assert token["expires_at"] == keys["token"][1] and draft["expires_at"] == keys["draft"][1]
    assert signout["expires_at"] == keys["signout"][1]
    assert len(reads) == 1 and reads[0]["expires_at"] == keys["reads"][1]
    assert [(i["action"], i["expires_at"]) for i in journal] == [("signed_in", keys["journal"][1])]
    assert store.sweep(2 ** 40) == 0                         # nothing to do by hand: the TTL removes them
