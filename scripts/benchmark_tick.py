"""Figures for the scheduled tick: one run over 10,000 stored requests, on SQLite and on DynamoDB (moto in server
mode), with the time it takes and the items it reads; and the due index against the scan it replaces.

    .venv/bin/python scripts/benchmark_tick.py [--requests 10000] [--backends sqlite,dynamodb] [--backlog 24]

The store holds a year of requests (about 27 a day for 10,000, the region's order of magnitude), each moved
through the lifecycle as earlier ticks would have left it ``--backlog`` hours ago: most closed, the last weeks'
handled, waiting, reminded or escalated. The tick then runs as of a Tuesday evening and catches up (the regular
15-minute tick has far less to do), with a mailer that only counts: the figures are the store's, not the
network's. Last month's figures are marked sent, so the tick does the requests' work only.
Prints figures, asserts nothing.

On DynamoDB the figures that carry over to AWS are the items read and the requests made; moto's wall time does
not: moto copies the whole table for every transaction it runs (to roll it back), so its writes slow down with
the table's size, which DynamoDB's do not.
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
from collections import Counter
from contextlib import nullcontext
import tempfile
import time
from pathlib import Path

from chalicelib.jobs import schedule as jobs
from chalicelib.requests import lifecycle
from chalicelib.config import Settings
from chalicelib.routing import load_routing
from chalicelib.service import FormService
from rules.dates import PARIS

from benchmarking import moto_endpoint, routing_table

NOW = datetime.datetime(2026, 11, 24, 17, 5, tzinfo=PARIS).timestamp()   # a Tuesday evening
DAY = 86400


class CountingMailer:
    """Accepts every message instantly: the tick's cost is the store's."""

    confirms_delivery = True

    def __init__(self):
        self.sent = 0

    def send(self, msg) -> str:
        self.sent += 1
        return f"<bench-{self.sent}@example.org>"

    def forget(self, refs) -> int:
        return 0

    def purge(self, before) -> int:
        return 0


def year_of_requests(count: int, routing, policy, backlog: float,
                     seed: int = 11) -> list[tuple[dict, lifecycle.Event]]:
    """``count`` requests over the year before NOW, each as ticks up to ``backlog`` seconds ago left it."""
    rng = random.Random(seed)
    ais = list(routing.associations)
    records = []
    for index in range(count):
        created = int(NOW - 365 * DAY * (index + 0.5) / count) + rng.randint(-600, 600)
        data = {"nom": "Jeanne Martin", "email": "jeanne@example.org", "suivi": "oui", "origine": "mairie"}
        record, event = lifecycle.new_request(
            ref=f"AI-{datetime.datetime.fromtimestamp(created, PARIS):%Y%m%d}-{index:06d}", idem_key=f"k{index}",
            kind=rng.choice(("demande", "rappel")), association=rng.choice(ais), created_at=created,
            retention_days=routing.retention_days + 30, data=data, email="jeanne@example.org", phone=None,
            policy=policy)

        def move(kind, at, who="system", by_tick=False, **details):
            nonlocal record, event
            if at <= (NOW - backlog if by_tick else NOW):
                changes, event = lifecycle.step(record, kind, at, who, policy, **details)
                record = {**record, **changes, "version": record["version"] + 1}

        move("sent", created + 5, to="ai")
        move("delivered", created + 6)
        move("acknowledged", created + 7)
        if rng.random() < 0.8:   # most AIs answer, a third of them on the first day
            move("handled", created + int(rng.expovariate(1 / (1.2 * DAY))), "ai:x", outcome="client")
        for job in lifecycle.due_now(record, policy, NOW - backlog):   # what earlier ticks did
            kind = {"reminder": "reminded", "followup": "followup_sent", "close": "closed",
                    "escalation": "escalated"}.get(job)
            if kind:
                move(kind, lifecycle.schedule(record, policy)[job], by_tick=True,
                     **({"reason": "deadline"} if kind == "escalated" else {}))
        records.append(({k: v for k, v in record.items() if v is not None}, event))
    return records


def load(store, records) -> float:
    """Bulk load (a benchmark's shortcut: the service stores one request at a time, in a transaction)."""
    started = time.perf_counter()
    if hasattr(store, "table"):
        with store.table.batch_writer() as batch:
            for record, event in records:
                batch.put_item(Item=store._item(record))
                batch.put_item(Item=store._event_item(record["ref"], record["version"], event, record["expires_at"]))
    else:
        from chalicelib.store.sqlite import COLUMNS
        with store._connect() as db:
            db.executemany(f"INSERT INTO submissions ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                           [store._row(r) for r, _ in records])
            db.executemany("INSERT INTO events (ref, version, at, actor, kind, details) VALUES (?, ?, ?, ?, ?, '{}')",
                           [(r["ref"], r["version"], e.at, e.actor, e.kind) for r, e in records])
    return time.perf_counter() - started


def scan_for_due(store) -> tuple[float, int, int]:
    """What the due index replaces: read every item and keep the due ones (time, items read, items due)."""
    started = time.perf_counter()
    if hasattr(store, "table"):
        from boto3.dynamodb.conditions import Attr
        kwargs, read, due = {"FilterExpression": Attr("due_at").lte(int(NOW))}, 0, 0
        while True:
            page = store.table.scan(**kwargs)
            read, due = read + page["ScannedCount"], due + page["Count"]
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    else:
        with store._connect() as db:
            read = db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
            due = len(db.execute("SELECT body FROM submissions NOT INDEXED WHERE due_at <= ?", (NOW,)).fetchall())
    return time.perf_counter() - started, read, due


def query_for_due(store) -> tuple[float, int, int]:
    store.reads = 0
    started = time.perf_counter()
    due = len(store.due(int(NOW), limit=10_000))
    return time.perf_counter() - started, store.reads, due


class ApiCalls(Counter):
    """DynamoDB requests by operation, counted by botocore as they leave."""

    def __call__(self, model=None, **kwargs):
        self[model.name] += 1


def measure(backend: str, count: int, workdir: Path, endpoint: str | None, backlog: float) -> dict:
    routing = load_routing(routing_table())
    settings = Settings(sqlite_path=str(workdir / f"bench-{backend}.sqlite3"), routing=routing_table(),
                        table=f"bench-{count}", forms_endpoint="https://api.example.org")
    if backend == "dynamodb":
        import boto3
        from chalicelib.store import DynamoStore
        resource = boto3.resource("dynamodb", endpoint_url=endpoint, region_name="eu-west-3",
                                  aws_access_key_id="bench", aws_secret_access_key="bench")
        DynamoStore.create_table(resource, settings.table)
        store = DynamoStore(settings.table, resource=resource)
        calls = ApiCalls()
        resource.meta.client.meta.events.register("before-call.dynamodb", calls)
    else:
        calls = ApiCalls()
        from chalicelib.store import SqliteStore
        store = SqliteStore(settings.sqlite_path)
    service = FormService(settings, routing, store, CountingMailer(), clock=lambda: NOW)
    records = year_of_requests(count, routing, service.policy, backlog)
    loaded = load(store, records)
    store.claim("report#2026-10", int(NOW) + 400 * DAY)   # October's figures went out on 2 November
    scan_time, scan_read, scan_due = scan_for_due(store)
    query_times = []
    for _ in range(3):
        query_time, query_read, query_due = query_for_due(store)
        query_times.append(query_time)
    store.reads = 0
    calls.clear()
    started = time.perf_counter()
    summary = jobs.tick(service, NOW)
    tick_time = time.perf_counter() - started
    tick_reads, tick_calls = store.reads, dict(calls)
    store.reads = 0
    started = time.perf_counter()
    again = jobs.tick(service, NOW + 60)
    idle_time, idle_reads = time.perf_counter() - started, store.reads
    return {"backend": backend, "requests": count, "load_s": loaded, "due": query_due, "scan_due": scan_due,
            "scan_s": scan_time, "scan_read": scan_read, "query_s": statistics.median(query_times),
            "query_read": query_read, "tick_s": tick_time, "tick_read": tick_reads, "tick": summary,
            "tick_calls": tick_calls,
            "mails": service.mailer.sent, "idle_s": idle_time, "idle_read": idle_reads, "idle": again}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--backends", default="sqlite,dynamodb")
    parser.add_argument("--backlog", type=float, default=24, help="hours since the last tick (default 24)")
    args = parser.parse_args()
    jobs.TIME_BUDGET = float("inf")   # measure the whole catch-up, not what fits in one Lambda run
    backends = args.backends.split(",")
    with moto_endpoint() if "dynamodb" in backends else nullcontext() as endpoint, \
            tempfile.TemporaryDirectory() as tmp:
        results = [measure(b, args.requests, Path(tmp), endpoint, args.backlog * 3600) for b in backends]
    print(f"tick as of {datetime.datetime.fromtimestamp(NOW, PARIS):%A %d %B %Y %H:%M} over "
          f"{args.requests} stored requests, {args.backlog:g} h after the previous one\n")
    for r in results:
        print(f"[{r['backend']}] loaded in {r['load_s']:.1f} s; {r['due']} due now (the scan finds {r['scan_due']})")
        print(f"  find what is due  — index query: {r['query_s'] * 1000:8.1f} ms, {r['query_read']:6d} items read")
        print(f"                    — full scan:   {r['scan_s'] * 1000:8.1f} ms, {r['scan_read']:6d} items read"
              f"  → scan/query: ×{r['scan_s'] / r['query_s']:.0f} time, ×{r['scan_read'] / max(r['query_read'], 1):.0f}"
              " items")
        print(f"  tick (does the work): {r['tick_s'] * 1000:8.1f} ms, {r['tick_read']:6d} items read, "
              f"{r['mails']} e-mails — {r['tick']}")
        if r["tick_calls"]:
            print(f"    DynamoDB requests: {sum(r['tick_calls'].values())} — "
                  + ", ".join(f"{name} {n}" for name, n in sorted(r["tick_calls"].items())))
        print(f"  next tick (nothing new): {r['idle_s'] * 1000:8.1f} ms, {r['idle_read']:6d} items read — "
              f"{r['idle'] or 'nothing due'}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
