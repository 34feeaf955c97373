"""The request store on DynamoDB: one table, keyed (pk, sk), with TTL on ``expires_at`` for every item.

    pk                 sk              what
    REQ#<ref>          REQ             the request: its record as JSON (``body``) and the index attributes
    REQ#<ref>          EV#<version>    one event of its audit trail
    REQ#<ref>          MSG#<id>        a message sent about it (so erasure finds the look-up below)
    MSG#<message id>   MSG             look-up: which request an SES event is about
    WHO#<e-mail|phone> REQ#<ref>       look-up: the right to erasure, without a scan
    IDEM#<key>         IDEM            idempotency: a double click stores one request
    RATE#<key>         RATE            rate-limit counter
    CLAIM#<key>        CLAIM           once-only marker (a monthly report, a daily alert)
    FIG#<month>        AUDIENCE        the month's audience figures (anonymous aggregates), for the trends
    REQ#<ref>          READ#<at>#…     someone read the request's personal data in the back office
    TOKEN#<hash>       TOKEN           a single-use sign-in link of the back office (15 minutes)
    LOG#<day>          <at>#<nonce>    the back office's journal: sign-ins, sign-outs, exports, liaison sheets
    CASE#<ref>         CASE            a complaint or an error report (chalicelib.complaints)
    WHO#<e-mail|phone> CASE#<ref>      look-up: the right to erasure of a case

Three sparse global secondary indexes, present only on request items:

- ``due``: (due_shard, due_at) — the time-driven job queries ``due_at <= now``; a constant shard is plenty for
  a few thousand requests a year (see scripts/benchmark_tick.py);
- ``month``: (month, ai_created = "<association>#<created_at>") — a month of the region, or of one AI;
- ``queue``: (queue, queued_at) — set only while a request waits for AAI's phone cell.

Cases use two of these indexes without a new one: ``due`` under their own shard (``case``), and ``month`` under
``<kind>#<month>`` (a value no request carries), so that the tick and the monthly counts query them too.

No path that runs regularly scans the table; the IAM policy (infra/site.yaml) does not even allow Scan.
"""

from __future__ import annotations

import datetime
import json
import logging
import secrets
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from rules.dates import PARIS, local_time

from ..complaints.model import Case
from ..requests.lifecycle import Event
from ..requests.model import Item, Record, Request
from .base import WritesAtOnce, QUEUE, JournalEntry, Read, Stale, derived, merge, to_json

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBServiceResource

logger = logging.getLogger(__name__)

DUE_SHARD = "due"
CASE_SHARD = "case"
INDEXES = {"due": ("due_shard", "S", "due_at", "N"), "month": ("month", "S", "ai_created", "S"),
           "queue": ("queue", "S", "queued_at", "N")}


def table_definition(table_name: str) -> dict[str, Any]:
    """The table as CreateTable takes it: the tests create it from here, and a test checks that
    infra/site.yaml declares the same keys and indexes."""
    attributes = {"pk": "S", "sk": "S"}
    indexes = []
    for name, (hash_key, hash_type, range_key, range_type) in INDEXES.items():
        attributes.update({hash_key: hash_type, range_key: range_type})
        indexes.append({"IndexName": name, "Projection": {"ProjectionType": "ALL"},
                        "KeySchema": [{"AttributeName": hash_key, "KeyType": "HASH"},
                                      {"AttributeName": range_key, "KeyType": "RANGE"}]})
    return {"TableName": table_name, "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            "AttributeDefinitions": [{"AttributeName": k, "AttributeType": t} for k, t in attributes.items()],
            "GlobalSecondaryIndexes": indexes}


def _request_key(ref: str) -> dict[str, str]:
    return {"pk": f"REQ#{ref}", "sk": "REQ"}


class DynamoStore(WritesAtOnce):
    """``reads`` counts the items DynamoDB read for us, for scripts/benchmark_tick.py."""

    def __init__(self, table_name: str, resource: DynamoDBServiceResource | None = None) -> None:
        from ..web import aws
        self.resource = resource or aws.resource("dynamodb")
        self.table = self.resource.Table(table_name)
        # The resource's client: takes and gives plain Python values, where the stubs type it as the low-level
        # client (attribute values as {"S": …} dicts), so they would reject every call below.
        self.client: Any = self.table.meta.client
        self.reads = 0

    @staticmethod
    def create_table(resource: DynamoDBServiceResource, table_name: str) -> None:
        """For tests and local runs; in production the infrastructure template creates it."""
        resource.create_table(**table_definition(table_name))
        resource.meta.client.update_time_to_live(
            TableName=table_name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"})

    # --- reading ---

    def _query(self, **kwargs: Any) -> Iterator[dict[str, Any]]:
        while True:
            page = self.table.query(**kwargs)
            self.reads += page.get("ScannedCount", page.get("Count", 0))
            yield from page.get("Items", [])
            if "LastEvaluatedKey" not in page or kwargs.get("Limit"):
                return
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def _get(self, key: dict[str, Any]) -> dict[str, Any] | None:
        item: dict[str, Any] | None = self.table.get_item(Key=key, ConsistentRead=True).get("Item")
        self.reads += item is not None
        return item

    @staticmethod
    def _item(record: Item) -> dict[str, Any]:
        """The request item: the record as JSON, and the attributes the indexes need."""
        extra = derived(record)
        item = {**_request_key(record["ref"]), "body": to_json(dict(record)), "state": record["state"],
                "version": record["version"], "association": record["association"],
                "created_at": record["created_at"], "expires_at": record["expires_at"], "month": extra["month"],
                "ai_created": f"{record['association']}#{int(record['created_at']):010d}"}
        if record.get("previous_associations"):   # the AIs that held it before a re-route, for their figures
            item["previous"] = list(record["previous_associations"])
        if record.get("due_at") is not None:
            item.update(due_shard=DUE_SHARD, due_at=int(record["due_at"]), due=record["due"])
        if extra["queued_at"] is not None:
            item.update(queue=QUEUE, queued_at=int(extra["queued_at"]))
        return item

    @staticmethod
    def _event_item(ref: str, version: int, event: Event, expires_at: int) -> dict[str, Any]:
        return {"pk": f"REQ#{ref}", "sk": f"EV#{version:06d}", "at": event.at, "actor": event.actor,
                "kind": event.kind, "details": to_json(event.details), "expires_at": expires_at}

    # --- requests and their trail ---

    def put_new(self, record: Item, event: Event) -> tuple[Request, bool]:
        name, expires = self.table.name, record["expires_at"]
        idem = {"pk": f"IDEM#{record['idem_key']}", "sk": "IDEM", "ref": record["ref"], "expires_at": expires}
        writes = [
            {"Put": {"TableName": name, "Item": idem, "ConditionExpression": "attribute_not_exists(pk)"}},
            {"Put": {"TableName": name, "Item": self._item(record), "ConditionExpression": "attribute_not_exists(pk)"}},
            {"Put": {"TableName": name, "Item": self._event_item(record["ref"], record["version"], event, expires)}},
        ]
        for who in {record.get("email"), record.get("phone")} - {None}:
            writes.append({"Put": {"TableName": name, "Item": {"pk": f"WHO#{who}", "sk": f"REQ#{record['ref']}",
                                                               "ref": record["ref"], "expires_at": expires}}})
        try:
            self.client.transact_write_items(TransactItems=writes)
            return Request.from_item(record), True
        except self.client.exceptions.TransactionCanceledException:
            found = None
            for pause in (0, 0.05, 0.2):   # a twin request may still be committing its own transaction
                time.sleep(pause)
                found = self._get({"pk": idem["pk"], "sk": "IDEM"})
                if found:
                    break
            if not found:
                raise
            return self.get(found["ref"]) or Request.from_item({**record, "ref": found["ref"]}), False

    def get(self, ref: str) -> Request | None:
        item = self._get(_request_key(ref))
        return Request.from_item(json.loads(item["body"])) if item else None

    def by_phone(self, phone: str) -> list[Request]:
        from boto3.dynamodb.conditions import Key
        found = [self.get(i["ref"]) for i in self._query(KeyConditionExpression=Key("pk").eq(f"WHO#{phone}"),
                                                         ConsistentRead=True)]
        return sorted((r for r in found if r is not None), key=lambda r: (r["created_at"], r["ref"]))

    def find_idem(self, idem_key: str) -> Request | None:
        found = self._get({"pk": f"IDEM#{idem_key}", "sk": "IDEM"})
        return self.get(found["ref"]) if found else None

    def trail(self, ref: str) -> list[Event]:
        from boto3.dynamodb.conditions import Key
        items = self._query(KeyConditionExpression=Key("pk").eq(f"REQ#{ref}") & Key("sk").begins_with("EV#"),
                            ConsistentRead=True)
        return [Event(int(i["at"]), i["actor"], i["kind"], json.loads(i["details"])) for i in items]

    def apply(self, record: Item, changes: Record, event: Event) -> Request:
        """The change and its event in one transaction, if nobody changed the record since it was read."""
        updated = merge(record, changes)
        item = self._item(updated)
        sets = {k: v for k, v in item.items() if k not in ("pk", "sk")}
        removes = [k for k in ("due_shard", "due_at", "due", "queue", "queued_at") if k not in item]
        expression = "SET " + ", ".join(f"#{k} = :{k}" for k in sets)
        if removes:
            expression += " REMOVE " + ", ".join(f"#{k}" for k in removes)
        update = {"TableName": self.table.name, "Key": _request_key(record["ref"]), "UpdateExpression": expression,
                  "ConditionExpression": "#version = :expected",
                  "ExpressionAttributeNames": {f"#{k}": k for k in [*sets, *removes]},
                  "ExpressionAttributeValues": {**{f":{k}": v for k, v in sets.items()},
                                                ":expected": record["version"]}}
        event_item = self._event_item(record["ref"], updated["version"], event, updated["expires_at"])
        try:
            self.client.transact_write_items(TransactItems=[
                {"Update": update},
                {"Put": {"TableName": self.table.name, "Item": event_item,
                         "ConditionExpression": "attribute_not_exists(pk)"}}])
        except self.client.exceptions.TransactionCanceledException as cancelled:
            reasons = [r.get("Code") for r in cancelled.response.get("CancellationReasons", [])]
            if "ConditionalCheckFailed" in reasons:
                raise Stale(record["ref"]) from None
            raise   # anything else (a conflicting transaction, a bad item) is not a stale copy
        return Request.from_item(updated)

    def reschedule(self, record: Item, due_at: int, due: str) -> None:
        try:
            self.table.update_item(
                Key=_request_key(record["ref"]),
                UpdateExpression="SET due_shard = :shard, due_at = :at, #due = :due, body = :body",
                ConditionExpression="#version = :expected",
                ExpressionAttributeNames={"#due": "due", "#version": "version"},
                ExpressionAttributeValues={":shard": DUE_SHARD, ":at": int(due_at), ":due": due,
                                           ":body": to_json({**record, "due_at": due_at, "due": due}),
                                           ":expected": record["version"]})
        except self.client.exceptions.ConditionalCheckFailedException:
            pass   # changed meanwhile: the change rescheduled it

    # --- the product's queries ---

    def due(self, now: int, limit: int = 100) -> list[Request]:
        """What the time-driven job owes: a query on the sparse ``due`` index, never a scan."""
        from boto3.dynamodb.conditions import Key
        items = self._query(IndexName="due", Limit=limit,
                            KeyConditionExpression=Key("due_shard").eq(DUE_SHARD) & Key("due_at").lte(int(now)))
        return [Request.from_item(json.loads(i["body"])) for i in items]

    def month(self, month: str, association: str | None = None, former: bool = False) -> list[Request]:
        """A month of the region or of one AI; ``former``: also the requests the AI held before the cell
        re-routed them (the month's items, filtered on the item's ``association`` and ``previous``)."""
        from boto3.dynamodb.conditions import Attr, Key
        condition = Key("month").eq(month)
        query = {"IndexName": "month", "KeyConditionExpression": condition}
        if association is not None and former:
            query["FilterExpression"] = Attr("association").eq(association) | Attr("previous").contains(association)
        elif association is not None:
            query["KeyConditionExpression"] = condition & Key("ai_created").begins_with(f"{association}#")
        records = [Request.from_item(json.loads(i["body"])) for i in self._query(**query)]
        return sorted(records, key=lambda r: r["created_at"])

    def queue(self) -> list[Request]:
        from boto3.dynamodb.conditions import Key
        items = self._query(IndexName="queue", KeyConditionExpression=Key("queue").eq(QUEUE))
        return [Request.from_item(json.loads(i["body"])) for i in items]

    # --- mail events ---

    def record_message(self, message_id: str, ref: str, purpose: str, expires_at: int,
                       recipient: str | None = None) -> None:
        """``recipient``: whom it went to (see SqliteStore.record_message)."""
        item = {"pk": f"MSG#{message_id}", "sk": "MSG", "ref": ref, "purpose": purpose, "expires_at": expires_at,
                "recipient": recipient}
        with self.table.batch_writer() as batch:
            batch.put_item(Item={k: v for k, v in item.items() if v is not None})
            batch.put_item(Item={"pk": f"REQ#{ref}", "sk": f"MSG#{message_id}", "expires_at": expires_at})

    def find_message(self, message_id: str) -> dict[str, Any] | None:
        item = self._get({"pk": f"MSG#{message_id}", "sk": "MSG"})
        return {"ref": item["ref"], "purpose": item["purpose"], "recipient": item.get("recipient")} if item else None

    # --- retention and erasure ---

    def delete(self, ref: str) -> bool:
        from boto3.dynamodb.conditions import Key
        item = self._get(_request_key(ref))
        keys = [{"pk": i["pk"], "sk": i["sk"]} for i in self._query(
            KeyConditionExpression=Key("pk").eq(f"REQ#{ref}"), ProjectionExpression="pk, sk", ConsistentRead=True)]
        extra = [{"pk": f"MSG#{k['sk'][4:]}", "sk": "MSG"} for k in keys if k["sk"].startswith("MSG#")]
        if item is not None:
            record = json.loads(item["body"])
            extra.append({"pk": f"IDEM#{record['idem_key']}", "sk": "IDEM"})
            extra += [{"pk": f"WHO#{who}", "sk": f"REQ#{ref}"} for who in (record.get("email"), record.get("phone"))
                      if who]
        with self.table.batch_writer() as batch:
            for key in keys + extra:
                batch.delete_item(Key=key)
        return item is not None

    def erase(self, email: str | None = None, phone: str | None = None) -> list[str]:
        from boto3.dynamodb.conditions import Key
        refs = set()
        for who in {email, phone} - {None}:
            refs |= {i["ref"] for i in self._query(KeyConditionExpression=Key("pk").eq(f"WHO#{who}")
                                                   & Key("sk").begins_with("REQ#"), ConsistentRead=True)}
        for ref in refs:
            self.delete(ref)
        return sorted(refs)

    def sweep(self, now: int) -> int:
        """Nothing to do: counters and claims carry a TTL."""
        return 0

    # --- counters and once-only markers ---

    def take(self, key: str, limit: int, expires_at: int) -> bool:
        """Count one more event for this key if it has had fewer than ``limit``: one conditional UpdateItem,
        so simultaneous requests never both take the last place (a read, then an increment, let 40 posts
        through a limit of 10)."""
        if limit <= 0:
            return False
        try:
            self.table.update_item(
                Key={"pk": f"RATE#{key}", "sk": "RATE"},
                UpdateExpression="ADD #n :one SET expires_at = if_not_exists(expires_at, :e)",
                ConditionExpression="attribute_not_exists(#n) OR #n < :limit",
                ExpressionAttributeNames={"#n": "n"},
                ExpressionAttributeValues={":one": 1, ":e": expires_at, ":limit": limit})
        except self.client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def give_back(self, key: str) -> None:
        """Undo one ``take`` (what was counted turned out not to be new)."""
        try:
            self.table.update_item(Key={"pk": f"RATE#{key}", "sk": "RATE"}, UpdateExpression="ADD #n :minus",
                                   ConditionExpression="#n > :zero", ExpressionAttributeNames={"#n": "n"},
                                   ExpressionAttributeValues={":minus": -1, ":zero": 0})
        except self.client.exceptions.ConditionalCheckFailedException:
            pass

    # --- the audience of past months: anonymous aggregates, kept for the twelve-month trends ---

    def save_figures(self, month: str, data: dict[str, Any], expires_at: int) -> None:
        self.table.put_item(Item={"pk": f"FIG#{month}", "sk": "AUDIENCE", "body": to_json(data),
                                  "expires_at": expires_at})

    def load_figures(self, months: list[str]) -> dict[str, dict[str, Any]]:
        """{month: data} for those of ``months`` that are kept: one BatchGetItem, no scan."""
        found: dict[str, dict[str, Any]] = {}
        keys = [{"pk": f"FIG#{month}", "sk": "AUDIENCE"} for month in dict.fromkeys(months)]
        for start in range(0, len(keys), 100):
            request: dict[str, Any] | None = {self.table.name: {"Keys": keys[start:start + 100],
                                                                "ConsistentRead": True}}
            while request:
                answer = self.client.batch_get_item(RequestItems=request)
                for item in answer["Responses"].get(self.table.name, []):
                    found[item["pk"][4:]] = json.loads(item["body"])
                    self.reads += 1
                request = answer.get("UnprocessedKeys") or None
        return found

    def claim(self, key: str, expires_at: int) -> bool:
        try:
            self.table.put_item(Item={"pk": f"CLAIM#{key}", "sk": "CLAIM", "expires_at": expires_at},
                                ConditionExpression="attribute_not_exists(pk)")
            return True
        except self.client.exceptions.ConditionalCheckFailedException:
            return False

    def claimed(self, key: str) -> bool:
        return self._get({"pk": f"CLAIM#{key}", "sk": "CLAIM"}) is not None

    def release(self, key: str) -> None:
        self.table.delete_item(Key={"pk": f"CLAIM#{key}", "sk": "CLAIM"})

    # --- the back office: single-use sign-in tokens, reads of personal data, the journal ---

    def put_token(self, key: str, data: dict[str, Any], expires_at: int) -> None:
        self.table.put_item(Item={"pk": f"TOKEN#{key}", "sk": "TOKEN", "body": to_json(data),
                                  "expires_at": int(expires_at)})

    def peek_token(self, key: str, now: int) -> dict[str, Any] | None:
        item = self._get({"pk": f"TOKEN#{key}", "sk": "TOKEN"})
        return json.loads(item["body"]) if item and int(item["expires_at"]) > now else None

    def take_token(self, key: str, now: int) -> dict[str, Any] | None:
        """DeleteItem returns what it deleted: of two clicks racing, one gets the token, the other nothing.
        The TTL removes expired tokens lazily, so the expiry is checked here too."""
        item: dict[str, Any] | None = self.table.delete_item(Key={"pk": f"TOKEN#{key}", "sk": "TOKEN"},
                                                             ReturnValues="ALL_OLD").get("Attributes")
        return json.loads(item["body"]) if item and int(item["expires_at"]) > now else None

    def log_reads(self, refs: dict[str, int], at: int, actor: str, what: str) -> None:
        with self.table.batch_writer(overwrite_by_pkeys=["pk", "sk"]) as batch:
            for ref, expires in refs.items():
                batch.put_item(Item={"pk": f"REQ#{ref}", "sk": f"READ#{int(at):010d}#{what}#{actor}", "at": int(at),
                                     "actor": actor, "what": what, "expires_at": int(expires)})

    def read_log(self, ref: str) -> list[Read]:
        from boto3.dynamodb.conditions import Key
        items = self._query(KeyConditionExpression=Key("pk").eq(f"REQ#{ref}") & Key("sk").begins_with("READ#"),
                            ConsistentRead=True)
        return sorted((Read(int(i["at"]), i["actor"], i["what"]) for i in items),
                      key=lambda r: (r.at, r.actor, r.what))

    def journal_add(self, entry: JournalEntry, expires_at: int) -> None:
        day = local_time(entry.at).date().isoformat()
        self.table.put_item(Item={"pk": f"LOG#{day}", "sk": f"{int(entry.at):010d}#{secrets.token_hex(4)}",
                                  "at": int(entry.at), "actor": entry.actor, "action": entry.action,
                                  "details": to_json(entry.details), "expires_at": int(expires_at)})

    def journal(self, start: int, end: int) -> list[JournalEntry]:
        """One query per day of the journal (a day is one partition), never a scan."""
        from boto3.dynamodb.conditions import Key
        entries = []
        day = local_time(start).date()
        while datetime.datetime.combine(day, datetime.time(0), PARIS).timestamp() < end:
            condition = Key("pk").eq(f"LOG#{day.isoformat()}") & Key("sk").between(f"{int(start):010d}",
                                                                                    f"{int(end) - 1:010d}~")
            entries += [JournalEntry(int(i["at"]), i["actor"], i["action"], json.loads(i["details"]))
                        for i in self._query(KeyConditionExpression=condition, ConsistentRead=True)]
            day += datetime.timedelta(days=1)
        return entries

    # --- complaints and error reports ---

    @staticmethod
    def _case_item(case: Case) -> dict[str, Any]:
        item: dict[str, Any] = {"pk": f"CASE#{case.ref}", "sk": "CASE", "body": to_json(case.to_json()),
                                "version": case.version, "expires_at": int(case.expires_at),
                                "month": f"{case.kind.value}#{case.month}",
                                "ai_created": f"{case.association}#{int(case.created_at):010d}"}
        if case.due_at is not None:
            item.update(due_shard=CASE_SHARD, due_at=int(case.due_at))
        return item

    def put_case(self, case: Case) -> None:
        try:
            self.table.put_item(Item=self._case_item(case), ConditionExpression="attribute_not_exists(pk)")
        except self.client.exceptions.ConditionalCheckFailedException:
            raise Stale(case.ref) from None
        with self.table.batch_writer() as batch:
            for who in case.who:
                batch.put_item(Item={"pk": f"WHO#{who}", "sk": f"CASE#{case.ref}", "case": case.ref,
                                     "expires_at": int(case.expires_at)})

    def get_case(self, ref: str) -> Case | None:
        item = self._get({"pk": f"CASE#{ref}", "sk": "CASE"})
        return Case.from_json(json.loads(item["body"])) if item else None

    def update_case(self, case: Case) -> None:
        """The whole item replaced if the stored version is the one before: a sparse index attribute left out
        (``due_at`` once the cell is told) leaves the index."""
        try:
            self.table.put_item(Item=self._case_item(case), ConditionExpression="#version = :before",
                                ExpressionAttributeNames={"#version": "version"},
                                ExpressionAttributeValues={":before": case.version - 1})
        except self.client.exceptions.ConditionalCheckFailedException:
            raise Stale(case.ref) from None

    def cases_due(self, now: int, limit: int = 100) -> list[Case]:
        from boto3.dynamodb.conditions import Key
        items = self._query(IndexName="due", Limit=limit,
                            KeyConditionExpression=Key("due_shard").eq(CASE_SHARD) & Key("due_at").lte(int(now)))
        return [Case.from_json(json.loads(i["body"])) for i in items]

    def cases_month(self, kind: str, month: str) -> list[Case]:
        from boto3.dynamodb.conditions import Key
        items = self._query(IndexName="month", KeyConditionExpression=Key("month").eq(f"{kind}#{month}"))
        return sorted((Case.from_json(json.loads(i["body"])) for i in items), key=lambda c: c.created_at)

    def erase_cases(self, email: str | None = None, phone: str | None = None) -> list[str]:
        from boto3.dynamodb.conditions import Key
        refs: set[str] = set()
        for who in {email, phone} - {None}:
            refs |= {i["case"] for i in self._query(
                KeyConditionExpression=Key("pk").eq(f"WHO#{who}") & Key("sk").begins_with("CASE#"),
                ConsistentRead=True)}
        for ref in refs:
            case = self.get_case(ref)
            with self.table.batch_writer() as batch:
                batch.delete_item(Key={"pk": f"CASE#{ref}", "sk": "CASE"})
                for who in {*(case.who if case else ()), *({email, phone} - {None})}:
                    batch.delete_item(Key={"pk": f"WHO#{who}", "sk": f"CASE#{ref}"})
        return sorted(refs)

    def migrate(self) -> int:
        """Nothing to migrate: no request was ever stored in an earlier layout of this table (the previous
        template declared a key the code did not write)."""
        return 0
