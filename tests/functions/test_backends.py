"""The production backends over their real protocols: SES v2 and DynamoDB (moto server), SMTP (aiosmtpd)."""

from __future__ import annotations

import time
from dataclasses import replace

import boto3
import pytest

from support_functions import (SCHEDULED_EVENT, TABLE, Local, aws_settings, bodies, demande_fields, functions_app,
                               rappel_fields, ses_messages)
from chalicelib.service import FormService
from chalicelib.store import DynamoStore


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

    item = boto3.resource("dynamodb").Table(TABLE).get_item(Key={"pk": f"REQ#{ref}", "sk": "REQ"})["Item"]
    assert item["state"] == "sent" and item["association"] == "ai-libournais"   # SES confirms delivery later
    assert int(item["expires_at"]) - int(item["created_at"]) == 365 * 86400
    assert item["due_shard"] == "due" and item["ai_created"].startswith("ai-libournais#")
    assert [e.kind for e in aws.trail(ref)] == ["received", "sent", "acknowledged"]
    ttl = boto3.client("dynamodb").describe_time_to_live(TableName=TABLE)["TimeToLiveDescription"]
    assert ttl["AttributeName"] == "expires_at"


def test_ses_rejection_leaves_it_retrying_then_the_tick_sends_once(client, aws_env):
    DynamoStore.create_table(boto3.resource("dynamodb"), TABLE)   # no SES identity yet: SES refuses
    service = FormService.from_settings(aws_settings())
    functions_app.set_service(service)
    try:   # contact by phone: the e-mails only (an SMS, owed until the office opens, would come first at night)
        reply = client.post("/rappel", rappel_fields(mode_contact="telephone"), as_json=True)
        assert reply.status == 200 and reply.json()["statut"] == "enregistre"
        ref = reply.json()["reference"]
        retrying = service.store.get(ref)
        assert retrying["state"] == "retrying" and retrying["attempts"] == 1
        assert "authority" in retrying["last_error"] and retrying["due"] == "retry"
        boto3.client("sesv2").create_email_identity(EmailIdentity="ai-aquitaine.example.org")
        service.clock = lambda: time.time() + 600
        functions_app.tick(SCHEDULED_EVENT, None)
        functions_app.tick(SCHEDULED_EVENT, None)
        to_ai, ack = ses_messages(aws_env)
        assert to_ai["To"].addresses[0].addr_spec == "contact@grand-perigueux.example.org"
        assert service.store.get(ref)["state"] == "sent" and service.store.get(ref)["due"] == "reminder"
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
            functions_app.tick(SCHEDULED_EVENT, None)
            functions_app.tick(SCHEDULED_EVENT, None)
        finally:
            controller.stop()
        about_requests = [r for r, m in sink.received if m["X-AAI-Reference"]]
        assert about_requests == [["demandes@libournais.example.org"], ["jeanne.martin@example.org"]]
    finally:
        functions_app.set_service(None)


@pytest.fixture
def serial_moto(aws_env, monkeypatch):
    """A moto server answering one request at a time, as DynamoDB applies the writes to one item one after the
    other (moto's threaded server does not lock its items: two updates there can interleave inside moto)."""
    import threading
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
    from moto.server import DomainDispatcherApplication, create_backend_app

    class Serial(WSGIServer):
        request_queue_size = 128   # the forty connections wait their turn instead of being refused

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = make_server("127.0.0.1", 0, DomainDispatcherApplication(create_backend_app), server_class=Serial,
                         handler_class=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{server.server_port}")
    yield
    server.shutdown()


def test_forty_simultaneous_posts_on_dynamodb_take_exactly_the_limit(serial_moto):
    """Forty Lambda instances posting at once from one client: the place is taken in one conditional update,
    so exactly ``rate_limit`` requests are stored and the others are refused (a read, then an increment after
    storing, let 16, 29 and 18 through a limit of 10)."""
    import threading
    from chalicelib.service import RateLimited
    boto3.client("sesv2").create_email_identity(EmailIdentity="ai-aquitaine.example.org")
    DynamoStore.create_table(boto3.resource("dynamodb"), TABLE)
    services = [FormService.from_settings(aws_settings(rate_limit=10)) for _ in range(40)]   # one client each
    start, results = threading.Barrier(len(services)), []

    def post(service, number):
        fields = rappel_fields(nom=f"Paul {chr(65 + number % 26)}{chr(97 + number // 26)}")   # names are letters
        raw = {k: v if isinstance(v, list) else [v] for k, v in fields.items()}
        start.wait()
        try:
            results.append(service.submit("rappel", raw, "203.0.113.7").reference)
        except RateLimited:
            results.append(None)

    threads = [threading.Thread(target=post, args=(service, n)) for n, service in enumerate(services)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    accepted = [ref for ref in results if ref]
    assert len(results) == 40 and len(accepted) == 10 == len(set(accepted))
    stored = boto3.resource("dynamodb").Table(TABLE).scan(
        FilterExpression="sk = :req", ExpressionAttributeValues={":req": "REQ"})["Items"]
    assert sorted(item["pk"].removeprefix("REQ#") for item in stored) == sorted(accepted)


@pytest.fixture
def black_hole():
    """A local endpoint that accepts connections and never answers (a stalled service)."""
    import socket
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)          # the kernel completes the handshakes; nobody ever reads or answers
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


def test_a_stalled_ses_fails_the_send_inside_the_function_s_time_and_the_request_waits_for_the_tick(
        client, tmp_path, black_hole, monkeypatch):
    """botocore's defaults held a send to a stalled SES for 180 s (60 s × 3) in a 20 s function. The client is
    built with short timeouts and one retry: the send fails in time, the household is told the request is
    recorded (in French, not API Gateway's 5xx), and the request stays due for the next tick."""
    import json
    from pathlib import Path
    from chalicelib.web import aws
    from chalicelib.mail.mailers import SesMailer
    from chalicelib.routing import load_routing
    from chalicelib.store import SqliteStore
    for name, value in {"AWS_ENDPOINT_URL": black_hole, "AWS_ACCESS_KEY_ID": "testing",
                        "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "eu-west-3",
                        "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"}.items():
        monkeypatch.setenv(name, value)
    local = Local(tmp_path)
    service = FormService(local.settings, load_routing(local.settings.routing),
                          SqliteStore(local.settings.sqlite_path), SesMailer())   # the client as production builds it
    functions_app.set_service(service)
    try:
        started = time.monotonic()
        reply = client.post("/rappel", rappel_fields(), as_json=True)
        print(f"\nSES black hole: the visitor's answer came after {time.monotonic() - started:.1f} s")   # measured
    finally:
        functions_app.set_service(None)
    assert reply.status == 200 and reply.json()["statut"] == "enregistre", reply.text
    record = service.store.get(reply.json()["reference"])
    assert record["state"] == "retrying" and record["due"] == "retry" and "ses:" in record["last_error"]
    # The longest a call can take fits in the web functions' time, with room for the store's calls around it.
    config = json.loads((Path(__file__).parents[2] / "functions" / ".chalice" / "config.json").read_text())
    assert aws.worst_case_seconds() <= config["stages"]["prod"]["lambda_timeout"] * 2 / 3


def test_every_aws_client_is_built_with_timeouts():
    """One place builds the functions' clients (chalicelib/web/aws.py), one the deploy's (deploy/clients.py)."""
    import re
    from pathlib import Path
    root = Path(__file__).parents[2]
    builders = {root / "functions" / "chalicelib" / "web" / "aws.py", root / "deploy" / "clients.py"}
    construct = re.compile(r"boto3\.(client|resource)\(|session\.(client|resource)\(|Session\([^)]*\)\.client\(")
    found = [str(path.relative_to(root)) for folder in ("functions", "deploy")
             for path in (root / folder).rglob("*.py")
             if "vendor" not in path.parts and path not in builders and construct.search(path.read_text())]
    assert found == []
