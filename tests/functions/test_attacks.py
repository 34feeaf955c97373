"""The attack findings of issue 11, each closed and kept closed by a test."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from support_functions import ORIGIN, ROUTING, Local, bodies, demande_fields, functions_app, plain, rappel_fields
from chalicelib.jobs import schedule as jobs

LURE = "Payez les frais sur www.evil.example"
DAY = 86400


def test_the_acknowledgement_carries_no_text_the_visitor_typed_not_even_the_name(client, local):
    """The acknowledgement goes to an address nobody verified: an attacker could have us mail a lure to anyone."""
    fields = demande_fields(nom=LURE, adresse="Rendez-vous sur www.evil.example", email="victime@example.org",
                            description="Appelez le 08 99 00 00 00 pour valider")
    assert client.post("/demande", fields).status == 303
    to_ai, ack = local.messages()
    assert LURE in str(to_ai["Reply-To"]) and LURE in bodies(to_ai)[0]      # the AI needs it
    assert ack["To"].addresses[0].display_name == "" and str(ack["To"]) == "victime@example.org"
    raw = ack.as_string()
    for typed in ("evil", "Payez", "Rendez-vous", "08 99"):
        assert typed not in raw and typed not in plain(bodies(ack)[1]), typed


def test_origin_null_is_refused(client, local):
    """A sandboxed iframe on any site sends « Origin: null »: visitors' browsers would post for an attacker."""
    for as_json in (True, False):
        reply = client.post("/rappel", rappel_fields(), as_json=as_json, headers={"Origin": "null"})
        assert reply.status == 403 and "site des associations" in plain(reply.text)
    preflight = client.request("OPTIONS", "/rappel", headers={"Origin": "null"})
    assert preflight.status == 403 and "access-control-allow-origin" not in preflight.headers
    assert local.rows() == [] and local.mailer.calls == 0


@pytest.mark.parametrize("breakage", ["settings", "store"])
def test_a_failure_at_start_up_answers_the_french_503(client, tmp_path, monkeypatch, breakage):
    functions_app.set_service(None)
    monkeypatch.setenv("AAI_ROUTING", ROUTING)
    if breakage == "settings":   # production without its secret: Settings refuses to start
        monkeypatch.setenv("AAI_STORE", "dynamodb")
        monkeypatch.delenv("AAI_SECRET", raising=False)
    else:                        # the SQLite path is a folder: the store cannot open
        monkeypatch.setenv("AAI_SQLITE_PATH", str(tmp_path))
    try:
        page = client.post("/demande", demande_fields(), headers={"Origin": ORIGIN})
        assert page.status == 503 and '<html lang="fr">' in page.text
        assert "momentanément indisponible" in plain(page.text) and "InternalServerError" not in page.text
        assert page.headers["retry-after"] == "300"
        data = client.post("/rappel", rappel_fields(), as_json=True).json()
        assert data["ok"] is False and "momentanément indisponible" in data["message"]
        assert "05 36 49 00 00" in data["message"]    # the routing table still gives the cell's number
        assert client.request("GET", "/traite/AI-20261130-ABCDEF?sig=1.x").status == 503
    finally:
        functions_app.set_service(None)


def test_the_french_503_needs_no_phone_number_in_the_routing_table(client, tmp_path, monkeypatch):
    """A broken build whose table lacks the cell's number: the page that says the service is down must still
    answer (in French, without the number), not fail in turn and let Chalice answer its English 500."""
    table = json.loads(Path(ROUTING).read_text("utf-8"))
    del table["network"]["phone"]
    routing = tmp_path / "routing.json"
    routing.write_text(json.dumps(table), "utf-8")
    functions_app.set_service(None)
    monkeypatch.setenv("AAI_ROUTING", str(routing))
    monkeypatch.setenv("AAI_STORE", "dynamodb")   # production without its secret: the service cannot start
    monkeypatch.delenv("AAI_SECRET", raising=False)
    try:
        page = client.post("/demande", demande_fields(), headers={"Origin": ORIGIN})
        assert page.status == 503 and "momentanément indisponible" in plain(page.text)
        assert "appelez la cellule" not in plain(page.text)
    finally:
        functions_app.set_service(None)


def test_links_in_e_mails_come_from_configuration_never_from_the_host_header(client, local):
    reply = client.post("/rappel", rappel_fields(suivi="oui"), headers={"Host": "evil.example.net",
                                                                        "X-Forwarded-Host": "evil.example.net"})
    assert reply.status == 303
    created = local.rows()[0]["created_at"]
    jobs.tick(local.service, created + 7 * DAY)   # reminder, escalation and the household's question, no request
    links = [url for m in local.messages() for url in re.findall(r"https?://\S+", bodies(m)[0])]
    assert links and all(url.startswith("https://api.example.org/") for url in links if "/traite/" in url or
                         "/suivi/" in url or "/ma-demande/" in url)
    assert not any("evil" in m.as_string() for m in local.messages())


def test_signed_links_carry_a_purpose_and_an_expiry(client, local):
    client.post("/rappel", rappel_fields())
    record = local.rows()[0]
    link = re.search(r"/traite/\S+", bodies(local.messages()[0])[0]).group(0)
    expiry = int(re.search(r"sig=(\d+)\.", link).group(1))
    assert expiry == record["created_at"] + 30 * DAY          # the request's closing: close_after_days
    local.service.clock = lambda: expiry + 1
    assert client.request("GET", link).status == 410


def test_a_missing_honeypot_counts_as_filled(client, local):
    """The page always sends the hidden field, empty: a client that leaves it out is a robot."""
    fields = rappel_fields()
    del fields["website"]
    for as_json in (True, False):
        reply = client.post("/rappel", fields, as_json=as_json)
        assert reply.status in (200, 303)      # a robot learns nothing
    assert local.rows() == [] and local.messages() == []


def test_the_rate_limit_counts_new_requests_only(client, tmp_path):
    local = Local(tmp_path, rate_limit=2)
    functions_app.set_service(local.service)
    try:
        first = [client.post("/rappel", rappel_fields(), as_json=True) for _ in range(4)]   # a hasty double click
        assert {r.json()["reference"] for r in first} == {first[0].json()["reference"]}
        second = client.post("/rappel", rappel_fields(nom="Paul Autre"), as_json=True)
        assert second.status == 200                        # the double click counted once
        again = client.post("/rappel", rappel_fields(nom="Paul Autre"), as_json=True)
        assert again.status == 200 and again.json()["reference"] == second.json()["reference"]   # at the limit
        third = client.post("/rappel", rappel_fields(nom="Paul Troisième"), as_json=True)
        assert third.status == 429 and len(local.rows()) == 2
    finally:
        functions_app.set_service(None)


def outbox_files(local) -> list[Path]:
    return sorted(Path(local.settings.outbox_dir).glob("*.eml"))


def test_outbox_files_follow_erasure(client, local):
    client.post("/rappel", rappel_fields())
    client.post("/rappel", rappel_fields(nom="Autre Personne", email="autre@example.org", telephone="0536491299",
                                         mode_contact="telephone"))
    paul, other = (r["ref"] for r in local.rows())
    assert len([f for f in outbox_files(local) if paul in f.name]) == 2
    assert local.service.erase("paul.dubreuil@example.org") == 1
    assert not any(paul in f.name for f in outbox_files(local))
    assert not any("Paul Dubreuil" in f.read_text() for f in outbox_files(local))
    assert len([f for f in outbox_files(local) if other in f.name]) == 2


def test_outbox_files_follow_retention(client, local):
    client.post("/rappel", rappel_fields())
    ref = local.rows()[0]["ref"]
    created = local.rows()[0]["created_at"]
    jobs.tick(local.service, created + 40 * DAY)      # closed: kept until the end of retention
    assert local.rows()[0]["state"] == "closed" and any(ref in f.name for f in outbox_files(local))
    summary = jobs.tick(local.service, created + 365 * DAY + 60)
    assert summary.get("purge") == 1 and local.rows() == []
    assert not any(ref in f.name for f in outbox_files(local))
    assert not any("Paul Dubreuil" in f.read_text() for f in outbox_files(local))
