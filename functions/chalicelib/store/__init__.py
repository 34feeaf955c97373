"""The request store: SQLite locally, DynamoDB in production, in memory for unit tests; one contract
(``base.Store``, checked by mypy; tests/functions/test_store.py runs the same tests against all three).

A request is a flat record (``chalicelib.requests.lifecycle`` says which fields and states) plus its audit trail, an
append-only list of events (when, who, what). The store never decides anything: it keeps what the lifecycle
decided, refuses a change made on a stale copy (``version``), and serves the queries the product runs:

- ``due(now)``: what the time-driven job owes, from an index on ``due_at`` (never a scan);
- ``month(month, association)``: a month's requests, of one AI or of the region (reports, back office);
- ``queue()``: the requests waiting for AAI's phone cell;
- ``find_message(id)``: which request a mail event is about;
- ``erase(email, phone)``: the right to erasure, every copy included.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Stale, Store
from .dynamodb import DynamoStore
from .memory import MemoryStore
from .sqlite import SqliteStore

__all__ = ["DynamoStore", "MemoryStore", "SqliteStore", "Stale", "Store", "build_store"]

if TYPE_CHECKING:   # mypy checks each store against the contract here
    from ..config import Settings

    _STORES: tuple[type[Store], ...] = (SqliteStore, DynamoStore, MemoryStore)


def build_store(settings: Settings) -> Store:
    if settings.store == "dynamodb":
        return DynamoStore(settings.table)
    return SqliteStore(settings.sqlite_path)
