"""Figures for the back office (/espace/): each page's weight (HTML, and gzip as CloudFront/API Gateway would send
it) and the functions' time to build it, on SQLite and on DynamoDB (moto in server mode) side by side, with the
store items each page reads and the read records it writes (every read of personal data is written down).

    .venv/bin/python scripts/benchmark_backoffice.py [--requests 300] [--backends sqlite,dynamodb] [--runs 5]

A month of ``--requests`` requests for the region (the busiest month the network expects is a few hundred), spread
over the associations, a tenth escalated to the cell. The pages are built in-process through the same guard the
HTTP routes use (``gate.serve``), with a signed-in session; the e-mail side is a mailer that only counts.
Twelve months of figures are computed from the store for the trends (twelve month queries).
Prints figures, asserts nothing. On DynamoDB the items read and the requests made carry over to AWS, moto's wall
time does not.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import logging
import random
import statistics
import tempfile
import time
from collections import Counter
from contextlib import nullcontext
from pathlib import Path

from benchmark_tick import CountingMailer
from benchmarking import moto_endpoint, routing_table
from chalicelib.requests import lifecycle
from chalicelib.backoffice import auth, export, figures, gate, inbox, liaison, request_page, web
from chalicelib.config import Settings
from chalicelib.routing import load_routing
from chalicelib.service import FormService
from rules.dates import PARIS

NOW = datetime.datetime(2026, 11, 24, 15, 0, tzinfo=PARIS).timestamp()
DAY = 86400


class ApiCalls(Counter):
    def __call__(self, model=None, **kwargs):
        self[model.name] += 1


def a_month(service, count: int, seed: int = 12) -> list[str]:
    """``count`` requests in November, as the lifecycle leaves them; returns their references."""
    rng = random.Random(seed)
    ais = list(service.routing.associations)
    start = datetime.datetime(2026, 11, 1, tzinfo=PARIS).timestamp()
    refs = []
    for index in range(count):
        created = int(start + (NOW - start) * (index + 0.5) / count)
        data = {"association": rng.choice(ais), "nom": "Jeanne Martin", "telephone": "+33536491234",
                "email": "jeanne@example.org", "commune": "33394", "origine": "mairie", "consentement": "oui",
                "mode_contact": "telephone", "message": "Rappelez-moi le matin, s'il vous plaît."}
        record, event = lifecycle.new_request(
            ref=f"AI-{datetime.datetime.fromtimestamp(created, PARIS):%Y%m%d}-{index:06d}", idem_key=f"k{index}",
            kind="rappel", association=data["association"], created_at=created,
            retention_days=service.routing.retention_days, data=data, email="jeanne@example.org",
            phone="+33536491234", policy=service.policy)
        record, _ = service.store.put_new(record, event)
        for kind, details in (("sent", {"to": "ai"}), ("delivered", {})):
            record = service.change(record, kind, "system", **details)
        if index % 10 == 0:
            record = service.change(record, "escalated", "system", reason="deadline")
        elif index % 3 == 0:
            record = service.change(record, "handled", "ai:x", outcome="client")
        refs.append(record["ref"])
    return refs


def measure(backend: str, count: int, runs: int, workdir: Path, endpoint: str | None) -> list[dict]:
    settings = Settings(sqlite_path=str(workdir / f"espace-{backend}.sqlite3"), routing=routing_table(),
                        table=f"espace-bench-{count}", forms_endpoint="https://api.example.org",
                        secret="benchmark-secret")
    routing = load_routing(settings.routing)
    calls = ApiCalls()
    if backend == "dynamodb":
        import boto3
        from chalicelib.store import DynamoStore
        resource = boto3.resource("dynamodb", endpoint_url=endpoint, region_name="eu-west-3",
                                  aws_access_key_id="bench", aws_secret_access_key="bench")
        DynamoStore.create_table(resource, settings.table)
        store = DynamoStore(settings.table, resource=resource)
        resource.meta.client.meta.events.register("before-call.dynamodb", calls)
    else:
        from chalicelib.store import SqliteStore
        store = SqliteStore(settings.sqlite_path)
    service = FormService(settings, routing, store, CountingMailer(), clock=lambda: NOW)
    service.now = lambda: int(NOW)
    refs = a_month(service, count)
    ai_id = routing.associations[store.get(refs[1])["association"]].id
    ai = auth.identify(routing, routing.associations[ai_id].email)
    cell = auth.identify(routing, next(iter(routing.operators)))
    mine = next(r for r in refs if store.get(r)["association"] == ai_id)
    pages = [
        ("AI: home", ai, inbox.dashboard, {}, {}),
        ("AI: month list", ai, inbox.requests_list, {"mois": ["2026-11"]}, {}),
        ("AI: a request", ai, request_page.show, {}, {"ref": mine}),
        ("AI: figures", ai, figures.figures, {"mois": ["2026-11"]}, {}),
        ("AI: CSV export", ai, export.export, {"mois": ["2026-11"]}, {}),
        ("cell: home", cell, inbox.dashboard, {}, {}),
        ("cell: queue", cell, inbox.queue, {}, {}),
        ("cell: region list", cell, inbox.requests_list, {"mois": ["2026-11"]}, {}),
        ("cell: liaison sheet", cell, liaison.sheet, {"commune": ["33394"]}, {}),
        ("cell: figures", cell, figures.figures, {"mois": ["2026-11"]}, {}),
    ]
    results = []
    for name, who, view, query, params in pages:
        session, cookie = auth.open_session(service, who)
        name_value = cookie.split(";")[0].split("=", 1)
        visit = web.Visit("GET", "/espace/", query=query, cookies={name_value[0]: name_value[1]})
        times, body, reads, api = [], "", 0, {}
        for _ in range(runs):
            store.reads = 0
            calls.clear()
            started = time.perf_counter()
            reply = gate.serve(service, visit, view, **params)
            times.append(time.perf_counter() - started)
            body, reads, api = reply.body, store.reads, dict(calls)
        assert reply.status == 200, (name, reply.status)
        raw = body.encode("utf-8")
        results.append({"backend": backend, "page": name, "ms": 1000 * statistics.median(times), "bytes": len(raw),
                        "gzip": len(gzip.compress(raw, 6)), "reads": reads, "calls": sum(api.values()),
                        "writes": api.get("BatchWriteItem", 0) + api.get("PutItem", 0)})
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--backends", default="sqlite,dynamodb")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    logging.getLogger("chalicelib").setLevel(logging.WARNING)
    backends = args.backends.split(",")
    with moto_endpoint() if "dynamodb" in backends else nullcontext() as endpoint, \
            tempfile.TemporaryDirectory() as tmp:
        results = {b: measure(b, args.requests, args.runs, Path(tmp), endpoint) for b in backends}
    print(f"back office over a month of {args.requests} requests for the region, median of {args.runs} runs\n")
    first = results[backends[0]]
    header = f"{'page':22} {'HTML':>8} {'gzip':>7}" + "".join(
        f" {b + ' ms':>13} {'items':>6} {'calls':>6}" for b in backends)
    if len(backends) == 2:
        header += f" {'ratio':>7}"
    print(header)
    for index, row in enumerate(first):
        line = f"{row['page']:22} {row['bytes'] / 1024:7.1f}K {row['gzip'] / 1024:6.1f}K"
        for b in backends:
            other = results[b][index]
            line += f" {other['ms']:13.1f} {other['reads']:6d} {other['calls'] if b == 'dynamodb' else '':>6}"
        if len(backends) == 2:
            line += f" {results[backends[1]][index]['ms'] / row['ms']:6.1f}×"
        print(line)
    print("\nitems: store items read per page view (the month's requests of one association or of the region, the "
          "queue, twelve months for the trends); calls: DynamoDB requests, read records written included")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
