"""The production backends over their real protocols: SES v2 and DynamoDB (moto server), SMTP (aiosmtpd)."""

from __future__ import annotations

import email
import json
import time
import urllib.request
from dataclasses import replace
from email import policy

import boto3
import pytest

from support_functions import ORIGIN, ROUTING, Local, bodies, demande_fields, functions_app, rappel_fields
from chalicelib.config import Settings
from chalicelib.service import FormService
from chalicelib.storage import DynamoStore, SqliteStore

TABLE = "aai-submissions-test"
SCHEDULED_EVENT = {"version": "0", "account": "123456789012", "region": "eu-west-3", "detail": {},
                   "detail-type": "Scheduled Event", "source": "aws.events", "time": "2026-11-23T10:00:00Z",
                   "id": "e1", "resources": []}


def aws_settings(**changes) -> Settings:
    """Built from environment variables, exactly as on Lambda."""
    env = {"AAI_MAILER": "ses", "AAI_STORE": "dynamodb", "AAI_TABLE": TABLE, "AAI_SITE_ORIGINS": ORIGIN,
           "AAI_SECRET": "test-secret", "AAI_ROUTING": ROUTING, "AAI_FORMS_ENDPOINT": "https://api.example.org"}
    return replace(Settings.from_env(env), **changes)


def ses_messages(endpoint: str) -> list[email.message.EmailMessage]:
    data = json.load(urllib.request.urlopen(f"{endpoint}/moto-api/data.json"))
    return [email.message_from_string(m["raw_data"], policy=policy.default) for m in data["ses"]["RawMessage"]]


@pytest.fixture
def aws(aws_env):
    boto3.client("sesv2").create_email_identity(EmailIdentity="ai-aquitaine.example.org")
    DynamoStore.create_table(boto3.resource("dynamodb"), TABLE)
    service = FormService.from_settings(aws_settings())
    functions_app.set_service(service)
    yield service
    functions_app.set_service(None)


def test_ses_and_dynamodb_end_to_end(client, aws, aws_env):
    reply = client.post("/demande", demande_fields(nom="Zoë d'Arcy-Noël", description='5 € & « vite » <3'),
                        as_json=True)
    assert reply.status == 200, reply.text
    ref = reply.json()["reference"]

    to_ai, ack = ses_messages(aws_env)
    assert [a.addr_spec for a in to_ai["To"].addresses] == ["demandes@libournais.example.org"]
    assert to_ai["Reply-To"].addresses[0].addr_spec == "jeanne.martin@example.org"
    assert to_ai["Reply-To"].addresses[0].display_name == "Zoë d'Arcy-Noël"
    assert str(to_ai["Subject"]) == "Demande d'intervention – Zoë d'Arcy-Noël – Saint-Émilion"
    text, page = bodies(to_ai)
    assert ref in text and "5 € & « vite » <3" in text and "5 € &amp; « vite » &lt;3" in page
    assert f"https://api.example.org/traite/{ref}?sig=" in text
    assert ack["To"].addresses[0].addr_spec == "jeanne.martin@example.org"

    item = boto3.resource("dynamodb").Table(TABLE).get_item(Key={"pk": f"sub#{ref}"})["Item"]
    assert item["status"] == "sent" and item["association"] == "ai-libournais"
    assert int(item["expires_at"]) - int(item["created_at"]) == 365 * 86400
    ttl = boto3.client("dynamodb").describe_time_to_live(TableName=TABLE)["TimeToLiveDescription"]
    assert ttl["AttributeName"] == "expires_at"


def test_ses_rejection_leaves_it_pending_then_retry_sends_once(client, aws_env):
    DynamoStore.create_table(boto3.resource("dynamodb"), TABLE)   # no SES identity yet: SES refuses
    service = FormService.from_settings(aws_settings())
    functions_app.set_service(service)
    try:
        reply = client.post("/rappel", rappel_fields(), as_json=True)
        assert reply.status == 200 and reply.json()["statut"] == "enregistre"
        [pending] = service.store.pending()
        assert pending["attempts"] == 1 and "authority" in pending["last_error"]
        boto3.client("sesv2").create_email_identity(EmailIdentity="ai-aquitaine.example.org")
        service.clock = lambda: time.time() + 600
        functions_app.retry_pending(SCHEDULED_EVENT, None)
        functions_app.retry_pending(SCHEDULED_EVENT, None)
        to_ai, ack = ses_messages(aws_env)
        assert to_ai["To"].addresses[0].addr_spec == "contact@grand-perigueux.example.org"
        assert service.store.pending() == []
    finally:
        functions_app.set_service(None)


def test_double_submit_on_dynamodb_sends_one_email(client, aws, aws_env):
    fields = rappel_fields(idempotence="same-token-123")
    refs = {client.post("/rappel", fields, as_json=True).json()["reference"] for _ in range(3)}
    assert len(refs) == 1 and len(ses_messages(aws_env)) == 2


def test_smtp_backend_delivers_to_the_ai(client, tmp_path, smtp_server):
    local = Local(tmp_path)
    local.service.mailer = FormService.from_settings(
        replace(local.settings, mailer="smtp", smtp_host="127.0.0.1", smtp_port=smtp_server.port)).mailer
    functions_app.set_service(local.service)
    try:
        reply = client.post("/rappel", rappel_fields(association="aai", commune="33063", message="Ligne 1\nLigne 2"))
        assert reply.status == 303
        (rcpt_ai, to_ai), (rcpt_ack, ack) = smtp_server.received
        assert rcpt_ai == ["cellule@aai-aquitaine.example.org"] and rcpt_ack == ["paul.dubreuil@example.org"]
        assert to_ai["Reply-To"].addresses[0].addr_spec == "paul.dubreuil@example.org"
        assert str(to_ai["Subject"]) == "Demande de rappel – Paul Dubreuil – Bordeaux"
        text, page = bodies(to_ai)
        assert "Ligne 1\n    Ligne 2" in text and "Ligne 1<br>Ligne 2" in page
        assert "Charte qualité : merci de répondre sous 48 heures." in text
    finally:
        functions_app.set_service(None)


def test_smtp_down_then_up(client, tmp_path):
    from aiosmtpd.controller import Controller
    from support_functions import SmtpSink, free_port
    port = free_port()
    local = Local(tmp_path)
    local.service.mailer = FormService.from_settings(
        replace(local.settings, mailer="smtp", smtp_host="127.0.0.1", smtp_port=port)).mailer
    functions_app.set_service(local.service)
    try:
        reply = client.post("/demande", demande_fields())
        assert reply.status == 303 and "statut=enregistre" in reply.headers["location"]
        sink = SmtpSink()
        controller = Controller(sink, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            local.service.clock = lambda: time.time() + 600
            functions_app.retry_pending(SCHEDULED_EVENT, None)
            functions_app.retry_pending(SCHEDULED_EVENT, None)
        finally:
            controller.stop()
        assert [r for r, _ in sink.received] == [["demandes@libournais.example.org"], ["jeanne.martin@example.org"]]
    finally:
        functions_app.set_service(None)


@pytest.fixture(params=["sqlite", "dynamodb"])
def store(request, tmp_path):
    if request.param == "sqlite":
        return SqliteStore(str(tmp_path / "s.sqlite3"))
    request.getfixturevalue("aws_env")
    DynamoStore.create_table(boto3.resource("dynamodb"), TABLE)
    return DynamoStore(TABLE)


def record(ref: str, key: str, created: int, email: str | None = None, phone: str | None = None) -> dict:
    return {"ref": ref, "idem_key": key, "kind": "rappel", "association": "aai", "created_at": created,
            "expires_at": created + 100, "status": "pending", "attempts": 0, "last_error": None, "ai_sent_at": None,
            "ack_sent_at": None, "handled_at": None, "email": email, "phone": phone,
            "data": {"nom": "X", "heures": 3.5}}


def test_store_contract(store):
    first, created = store.put_new(record("AI-1", "k1", 1000, email="a@example.org"))
    assert created
    again, created = store.put_new(record("AI-2", "k1", 1001))
    assert not created and again["ref"] == "AI-1"
    store.put_new(record("AI-3", "k3", 2000, phone="+33536491234"))
    store.put_new(record("AI-4", "k4", 3000, email="b@example.org"))
    assert store.get("AI-2") is None and store.get("AI-1")["data"] == {"nom": "X", "heures": 3.5}

    assert [r["ref"] for r in store.created_between(1000, 3000)] == ["AI-1", "AI-3"]  # the monthly report's query
    assert store.created_between(3001, 9999) == []

    store.update("AI-1", status="sent", ai_sent_at=1005, last_error=None)
    store.update("AI-3", attempts=2, last_error="boom")
    assert [r["ref"] for r in store.pending()] == ["AI-3", "AI-4"]
    assert store.get("AI-3")["attempts"] == 2 and store.get("AI-1")["status"] == "sent"

    assert store.purge(2100) == 2              # AI-1 (expires 1100) and AI-3 (2100), not AI-4 (3100)
    assert [store.get(r) is not None for r in ("AI-1", "AI-3", "AI-4")] == [False, False, True]
    _, created = store.put_new(record("AI-5", "k1", 2200))   # its key expired with it: a new submission
    assert created

    store.put_new(record("AI-6", "k6", 2300, email="b@example.org"))
    assert store.erase(email="b@example.org") == 2
    assert store.get("AI-4") is None and store.get("AI-5") is not None

    assert [store.hit("ip#1", 9999) for _ in range(3)] == [1, 2, 3]
    assert store.hit("ip#2", 9999) == 1


def test_records_stored_before_e164_are_migrated_and_erased_by_number(store):
    """Earlier versions kept « 05 36 49 12 34 »; the migration rewrites both copies, then erasure finds them."""
    old = record("AI-7", "k7", 1000, phone="05 36 49 12 34")
    old["data"] = {"nom": "X", "telephone": "05 36 49 12 34"}
    store.put_new(old)
    store.put_new(record("AI-8", "k8", 1000, phone="+33612345678"))
    assert store.migrate() == 1 and store.migrate() == 0
    migrated = store.get("AI-7")
    assert migrated["phone"] == "+33536491234" and migrated["data"]["telephone"] == "+33536491234"
    assert store.erase(phone="+33536491234") == 1 and store.get("AI-7") is None
    assert store.get("AI-8") is not None
