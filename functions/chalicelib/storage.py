"""Submission log backends: SQLite (local) and DynamoDB (AWS), with one interface.

A submission is a flat dict: ref, kind, association, created_at, expires_at (epoch seconds), idem_key,
status ("pending" until the AI's e-mail is sent, then "sent"), attempts, last_error, ai_sent_at,
ack_sent_at, handled_at, email, phone (E.164; both kept apart for erasure) and data (the cleaned fields).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from decimal import Decimal
from pathlib import Path

from rules.phone import parse_phone

logger = logging.getLogger(__name__)

COLUMNS = ("ref", "idem_key", "kind", "association", "created_at", "expires_at", "status", "attempts",
           "last_error", "ai_sent_at", "ack_sent_at", "handled_at", "email", "phone", "data")


def phone_in_e164(record: dict) -> dict | None:
    """The record with its phone numbers in E.164, or None when it already has them (records stored before
    numbers were kept in one format held « 05 36 49 12 34 »)."""
    data = record["data"] if isinstance(record["data"], dict) else json.loads(record["data"])
    old = record.get("phone") or data.get("telephone")
    if not old or old.startswith("+"):
        return None
    number = parse_phone(old)
    if number is None:
        return None
    return {**record, "phone": number.e164, "data": {**data, "telephone": number.e164}}


UPDATABLE = {"status", "attempts", "last_error", "ai_sent_at", "ack_sent_at", "handled_at"}

SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    ref TEXT PRIMARY KEY, idem_key TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, association TEXT NOT NULL,
    created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL,
    last_error TEXT, ai_sent_at INTEGER, ack_sent_at INTEGER, handled_at INTEGER,
    email TEXT, phone TEXT, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS submissions_status ON submissions (status);
CREATE INDEX IF NOT EXISTS submissions_expires ON submissions (expires_at);
CREATE TABLE IF NOT EXISTS rate_counters (key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires_at INTEGER NOT NULL);
"""


class SqliteStore:
    """One file under var/; one connection per thread, since the local server is threaded."""

    def __init__(self, path: str):
        self.path = path
        self._local = threading.local()
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(SCHEMA)
        self.migrate()

    def migrate(self) -> int:
        """Bring records stored by earlier versions to today's format; return how many changed."""
        changed = 0
        for row in self._run("SELECT * FROM submissions WHERE phone IS NOT NULL AND phone NOT LIKE '+%'"):
            record = phone_in_e164(self._record(row))
            if record is not None:
                self._run("UPDATE submissions SET phone = ?, data = ? WHERE ref = ?",
                          (record["phone"], json.dumps(record["data"], ensure_ascii=False), record["ref"]))
                changed += 1
        if changed:
            logger.info("migration: %d records now keep their phone number in E.164", changed)
        return changed

    def _connect(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=10)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")   # with WAL: safe on a crash, fast enough for a laptop
            db.row_factory = sqlite3.Row
            self._local.db = db
        return db

    def _run(self, sql: str, params=()) -> list[sqlite3.Row]:
        with self._connect() as db:
            return db.execute(sql, params).fetchall()

    @staticmethod
    def _record(row: sqlite3.Row) -> dict:
        record = dict(row)
        record["data"] = json.loads(record["data"])
        return record

    def put_new(self, record: dict) -> tuple[dict, bool]:
        """Insert unless the idempotency key is known; return (stored record, created)."""
        values = {**record, "data": json.dumps(record["data"], ensure_ascii=False)}
        try:
            self._run(f"INSERT INTO submissions ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                      [values.get(c) for c in COLUMNS])
            return record, True
        except sqlite3.IntegrityError:
            rows = self._run("SELECT * FROM submissions WHERE idem_key = ?", (record["idem_key"],))
            if not rows:
                raise
            return self._record(rows[0]), False

    def get(self, ref: str) -> dict | None:
        rows = self._run("SELECT * FROM submissions WHERE ref = ?", (ref,))
        return self._record(rows[0]) if rows else None

    def update(self, ref: str, **fields) -> None:
        assert set(fields) <= UPDATABLE, fields
        self._run(f"UPDATE submissions SET {', '.join(f'{k} = ?' for k in fields)} WHERE ref = ?",
                  [*fields.values(), ref])

    def pending(self, limit: int = 500) -> list[dict]:
        rows = self._run("SELECT * FROM submissions WHERE status = 'pending' ORDER BY created_at LIMIT ?", (limit,))
        return [self._record(r) for r in rows]

    def created_between(self, start: int, end: int) -> list[dict]:
        """Submissions received in [start, end), for the monthly report."""
        rows = self._run("SELECT * FROM submissions WHERE created_at >= ? AND created_at < ? ORDER BY created_at",
                         (start, end))
        return [self._record(r) for r in rows]

    def purge(self, now: int) -> int:
        """Delete what is past its retention date, and nothing else."""
        with self._connect() as db:
            count = db.execute("DELETE FROM submissions WHERE expires_at <= ?", (now,)).rowcount
            db.execute("DELETE FROM rate_counters WHERE expires_at <= ?", (now,))
        return count

    def erase(self, email: str | None = None, phone: str | None = None) -> int:
        """Right to erasure: delete every submission carrying this e-mail or phone number."""
        with self._connect() as db:
            return db.execute("DELETE FROM submissions WHERE email = ? OR phone = ?", (email, phone)).rowcount

    def hit(self, key: str, expires_at: int) -> int:
        """Count one more event for this key; return the new count."""
        rows = self._run("INSERT INTO rate_counters (key, count, expires_at) VALUES (?, 1, ?) "
                         "ON CONFLICT (key) DO UPDATE SET count = count + 1 RETURNING count", (key, expires_at))
        return rows[0][0]


class DynamoStore:
    """One table with a string partition key ``pk`` and TTL on ``expires_at``.

    Items: ``sub#REF`` (a submission), ``idem#KEY`` (idempotency key → ref), ``rate#KEY`` (counter).
    Scans for pending/erase/purge are fine at this scale (a few thousand requests a year).
    """

    def __init__(self, table_name: str, resource=None):
        import boto3
        self.resource = resource or boto3.resource("dynamodb")
        self.table = self.resource.Table(table_name)
        self.client = self.table.meta.client   # the resource's client: takes plain Python values

    @staticmethod
    def create_table(resource, table_name: str) -> None:
        """For tests and local runs; in production the infrastructure template creates it."""
        resource.create_table(TableName=table_name, BillingMode="PAY_PER_REQUEST",
                              KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                              AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
        resource.meta.client.update_time_to_live(
            TableName=table_name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"})

    @staticmethod
    def _record(item: dict) -> dict:
        record = {c: item.get(c) for c in COLUMNS}
        for key, value in record.items():
            if isinstance(value, Decimal):
                record[key] = int(value)
        record["data"] = json.loads(record["data"])
        return record

    def _scan(self, **kwargs):
        while True:
            page = self.table.scan(**kwargs)
            yield from page.get("Items", [])
            if "LastEvaluatedKey" not in page:
                return
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def put_new(self, record: dict) -> tuple[dict, bool]:
        item = {k: v for k, v in record.items() if v is not None}
        item["data"] = json.dumps(record["data"], ensure_ascii=False)
        item["pk"] = f"sub#{record['ref']}"
        idem = {"pk": f"idem#{record['idem_key']}", "ref": record["ref"], "expires_at": record["expires_at"]}
        try:
            self.client.transact_write_items(TransactItems=[
                {"Put": {"TableName": self.table.name, "Item": idem,
                         "ConditionExpression": "attribute_not_exists(pk)"}},
                {"Put": {"TableName": self.table.name, "Item": item,
                         "ConditionExpression": "attribute_not_exists(pk)"}},
            ])
            return record, True
        except self.client.exceptions.TransactionCanceledException:
            found = None
            for pause in (0, 0.05, 0.2):   # a twin request may still be committing its own transaction
                time.sleep(pause)
                found = self.table.get_item(Key={"pk": idem["pk"]}, ConsistentRead=True).get("Item")
                if found:
                    break
            if not found:
                raise
            return self.get(found["ref"]) or {**record, "ref": found["ref"]}, False

    def get(self, ref: str) -> dict | None:
        item = self.table.get_item(Key={"pk": f"sub#{ref}"}, ConsistentRead=True).get("Item")
        return self._record(item) if item else None

    def update(self, ref: str, **fields) -> None:
        assert set(fields) <= UPDATABLE, fields
        sets = [k for k, v in fields.items() if v is not None]
        removes = [k for k, v in fields.items() if v is None]
        expression = " ".join(filter(None, [
            "SET " + ", ".join(f"#{k} = :{k}" for k in sets) if sets else "",
            "REMOVE " + ", ".join(f"#{k}" for k in removes) if removes else ""]))
        kwargs = {"ExpressionAttributeValues": {f":{k}": fields[k] for k in sets}} if sets else {}
        self.table.update_item(Key={"pk": f"sub#{ref}"}, UpdateExpression=expression,
                               ExpressionAttributeNames={f"#{k}": k for k in fields}, **kwargs)

    def pending(self, limit: int = 500) -> list[dict]:
        from boto3.dynamodb.conditions import Attr
        items = [self._record(i) for i in self._scan(FilterExpression=Attr("status").eq("pending"))]
        return sorted(items, key=lambda r: r["created_at"])[:limit]

    def created_between(self, start: int, end: int) -> list[dict]:
        from boto3.dynamodb.conditions import Attr
        condition = Attr("pk").begins_with("sub#") & Attr("created_at").gte(start) & Attr("created_at").lt(end)
        return sorted((self._record(i) for i in self._scan(FilterExpression=condition)),
                      key=lambda r: r["created_at"])

    def purge(self, now: int) -> int:
        """TTL deletion can lag by days; this makes the retention period exact."""
        from boto3.dynamodb.conditions import Attr
        count = 0
        with self.table.batch_writer() as batch:
            for item in self._scan(FilterExpression=Attr("expires_at").lte(now), ProjectionExpression="pk"):
                batch.delete_item(Key={"pk": item["pk"]})
                count += item["pk"].startswith("sub#")
        return count

    def erase(self, email: str | None = None, phone: str | None = None) -> int:
        from boto3.dynamodb.conditions import Attr
        condition = Attr("pk").begins_with("sub#") & (Attr("email").eq(email or "-") | Attr("phone").eq(phone or "-"))
        count = 0
        with self.table.batch_writer() as batch:
            for item in self._scan(FilterExpression=condition):
                batch.delete_item(Key={"pk": item["pk"]})
                batch.delete_item(Key={"pk": f"idem#{item['idem_key']}"})
                count += 1
        return count

    def migrate(self) -> int:
        """Same as SqliteStore.migrate; run once after an upgrade (``python -m chalicelib.admin migrate``)."""
        from boto3.dynamodb.conditions import Attr
        changed = 0
        condition = Attr("pk").begins_with("sub#") & Attr("phone").exists() & ~Attr("phone").begins_with("+")
        for item in self._scan(FilterExpression=condition):
            record = phone_in_e164(self._record(item))
            if record is not None:
                self.table.update_item(Key={"pk": item["pk"]}, UpdateExpression="SET phone = :p, #d = :d",
                                       ExpressionAttributeNames={"#d": "data"},
                                       ExpressionAttributeValues={":p": record["phone"],
                                                                  ":d": json.dumps(record["data"], ensure_ascii=False)})
                changed += 1
        return changed

    def hit(self, key: str, expires_at: int) -> int:
        result = self.table.update_item(
            Key={"pk": f"rate#{key}"}, UpdateExpression="ADD #n :one SET expires_at = if_not_exists(expires_at, :e)",
            ExpressionAttributeNames={"#n": "n"}, ExpressionAttributeValues={":one": 1, ":e": expires_at},
            ReturnValues="UPDATED_NEW")
        return int(result["Attributes"]["n"])


def build_store(settings):
    if settings.store == "dynamodb":
        return DynamoStore(settings.table)
    return SqliteStore(settings.sqlite_path)
