"""One contract for every store: ``chalicelib.store.base.Store`` lists each public method with its parameters, and
each store offers exactly those, with the same parameters (mypy checks the types; this checks the names, so a
method added to one store only fails here before a caller depends on it)."""

from __future__ import annotations

import inspect

import pytest

from chalicelib.store import DynamoStore, MemoryStore, SqliteStore, Store, build_store

STORES = (SqliteStore, DynamoStore, MemoryStore)
EXTRAS = {"create_table"}   # DynamoDB's table creation is deployment, not the contract


def public_methods(cls) -> dict[str, list[tuple[str, object]]]:
    return {name: [(p.name, p.default) for p in inspect.signature(member).parameters.values()]
            for name, member in inspect.getmembers(cls, inspect.isfunction)
            if not name.startswith("_") and name not in EXTRAS}


def test_the_contract_lists_every_public_method_of_the_stores():
    contract = public_methods(Store)
    # cases (complaints, error reports), by_phone (an SMS reply names no reference), batch and flush (writes grouped)
    assert len(contract) == 38
    for store in STORES:
        assert public_methods(store) == contract, store.__name__


@pytest.mark.parametrize("store", ["sqlite", "dynamodb", "memory"], indirect=True)
def test_each_store_gives_back_typed_requests(store):
    from chalicelib.requests.lifecycle import Policy, new_request, step
    from chalicelib.requests.enums import State
    from chalicelib.requests.model import Request
    policy = Policy(reminder_after=1, charter_delay=2, household_question_after=3, close_after_days=30)
    record, event = new_request(ref="AI-20261102-AAAAAA", idem_key="k", kind="rappel", association="ai-libournais",
                                created_at=1793610000, retention_days=365,
                                data={"nom": "X", "telephone": "+33536491234"},
                                email=None, phone="+33536491234", policy=policy)
    stored, created = store.put_new(record, event)
    assert created and isinstance(stored, Request) and stored.state is State.RECEIVED and stored.phone == "+33536491234"
    changes, event = step(stored, "sent", 1793610060, "system", policy, to="ai")
    sent = store.apply(stored, changes, event)
    assert isinstance(sent, Request) and sent.state is State.SENT and sent.version == 2
    assert store.get(sent.ref) == sent and store.due(1793610000 + 365 * 86400) == [sent]
    assert store.month("2026-11") == [sent] and store.find_idem("k") == sent


@pytest.mark.parametrize("store", ["sqlite", "dynamodb", "memory"], indirect=True)
def test_each_store_counts_what_it_reads(store):
    assert isinstance(store, STORES) and store.reads == 0
    store.get("AI-20261102-AAAAAA") or store.claim("k", 10)
    assert isinstance(store.reads, int)


def test_the_settings_build_a_store_of_the_contract(tmp_path):
    class Settings:
        store, sqlite_path, table = "sqlite", str(tmp_path / "s.sqlite3"), "t"
    assert isinstance(build_store(Settings()), SqliteStore)
