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
    assert len(contract) == 29
    for store in STORES:
        assert public_methods(store) == contract, store.__name__


@pytest.mark.parametrize("store", ["sqlite", "dynamodb", "memory"], indirect=True)
def test_each_store_counts_what_it_reads(store):
    assert isinstance(store, STORES) and store.reads == 0
    store.get("AI-20261102-AAAAAA") or store.claim("k", 10)
    assert isinstance(store.reads, int)


def test_the_settings_build_a_store_of_the_contract(tmp_path):
    class Settings:
        store, sqlite_path, table = "sqlite", str(tmp_path / "s.sqlite3"), "t"
    assert isinstance(build_store(Settings()), SqliteStore)
