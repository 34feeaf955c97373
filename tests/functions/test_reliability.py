"""Nothing lost, nothing twice: failed sends, retries, double submits, honeypot, rate limit, purge, erasure,
and the signed "handled" link."""

from __future__ import annotations

import datetime
import re
import time
import urllib.parse

from support_functions import Local, MailError, bodies, demande_fields, functions_app, rappel_fields

SCHEDULED_EVENT = {"version": "0", "account": "123456789012", "region": "eu-west-3", "detail": {},
                   "detail-type": "Scheduled Event", "source": "aws.events", "time": "2026-11-23T10:00:00Z",
                   "id": "e1", "resources": []}


def later(local: Local, seconds: float) -> None:
    """Moves the service's clock forward (the retry job leaves fresh submissions alone)."""
    local.service.clock = lambda: time.time() + seconds


def test_mail_failure_keeps_the_request_and_the_retry_job_sends_it_once(client, local):
    local.mailer.broken = True
    reply = client.post("/demande", demande_fields())
    assert reply.status == 303
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(reply.headers["location"]).query)
    assert query["statut"] == ["enregistre"]
    [row] = local.rows()
    assert row["status"] == "pending" and row["attempts"] == 1 and "injected" in row["last_error"]
    assert local.messages() == []

    functions_app.retry_pending(SCHEDULED_EVENT, None)   # too fresh: left to its own request
    assert local.messages() == []

    later(local, 600)
    functions_app.retry_pending(SCHEDULED_EVENT, None)   # still broken
    assert local.rows()[0]["attempts"] == 2

    local.mailer.broken = False
    assert functions_app.retry_pending(SCHEDULED_EVENT, None) == {"sent": 1, "failed": 0, "waiting": 0}
    functions_app.retry_pending(SCHEDULED_EVENT, None)
    to_ai, ack = local.messages()
    assert to_ai["To"].addresses[0].addr_spec == "demandes@libournais.example.org"
    assert query["ref"][0] in bodies(to_ai)[0]
    assert ack["To"].addresses[0].addr_spec == "jeanne.martin@example.org"
    assert local.rows()[0]["status"] == "sent"


def test_json_caller_is_told_the_request_is_recorded(client, local):
    local.mailer.broken = True
    data = client.post("/rappel", rappel_fields(), as_json=True).json()
    assert data["ok"] is True and data["statut"] == "enregistre" and data["redirect"].endswith("&statut=enregistre")


def test_failed_acknowledgement_is_retried_alone(client, local):
    inner = local.mailer.inner

    class AckFails:
        def send(self, msg):
            if msg["To"].addresses[0].addr_spec == "paul.dubreuil@example.org":
                from chalicelib.mailers import MailError
                raise MailError("visitor's server down")
            inner.send(msg)

    local.service.mailer = AckFails()
    assert "statut" not in client.post("/rappel", rappel_fields()).headers["location"]  # the AI has it
    assert len(local.messages()) == 1 and local.rows()[0]["status"] == "pending"
    local.service.mailer = local.mailer
    later(local, 600)
    functions_app.retry_pending(SCHEDULED_EVENT, None)
    to_ai, ack = local.messages()
    assert to_ai["To"].addresses[0].addr_spec == "contact@grand-perigueux.example.org"
    assert ack["To"].addresses[0].addr_spec == "paul.dubreuil@example.org"


def test_retry_backs_off_but_never_gives_up(client, tmp_path):
    local = Local(tmp_path)
    local.service.quick_attempts = 2
    functions_app.set_service(local.service)
    try:
        local.mailer.broken = True
        client.post("/rappel", rappel_fields())
        later(local, 600)
        results = [functions_app.retry_pending(SCHEDULED_EVENT, None) for _ in range(3)]
        assert local.rows()[0]["attempts"] == 2 and local.mailer.calls == 2   # quick tries used up
        assert results[-1] == {"sent": 0, "failed": 0, "waiting": 1}
        later(local, 2 * 3600)   # a weekend-long outage ends: hourly tries go on
        assert functions_app.retry_pending(SCHEDULED_EVENT, None)["failed"] == 1
        local.mailer.broken = False
        later(local, 4 * 3600)
        assert functions_app.retry_pending(SCHEDULED_EVENT, None)["sent"] == 1
        assert local.rows()[0]["status"] == "sent" and len(local.messages()) == 2
    finally:
        functions_app.set_service(None)


def test_double_submit_with_the_same_token_sends_one_email(client, local):
    fields = demande_fields(idempotence="f3b2c1d0-token-42")
    first = client.post("/demande", fields, as_json=True).json()
    second = client.post("/demande", fields, as_json=True).json()
    assert first["reference"] == second["reference"] and second["statut"] == "envoye"
    assert len(local.rows()) == 1 and len(local.messages()) == 2   # one to the AI, one acknowledgement


def test_double_click_without_token_sends_one_email(client, local):
    first = client.post("/rappel", rappel_fields())
    second = client.post("/rappel", rappel_fields())
    assert first.headers["location"] == second.headers["location"]
    assert len(local.rows()) == 1 and len(local.messages()) == 2


def test_honeypot_gets_a_fake_success_and_nothing_happens(client, local):
    html_reply = client.post("/demande", demande_fields(website="https://spam.example.com"))
    json_reply = client.post("/rappel", rappel_fields(website="x"), as_json=True)
    assert html_reply.status == 303 and "/merci/?ref=AI-" in html_reply.headers["location"]
    assert json_reply.status == 200 and json_reply.json()["statut"] == "envoye"
    assert local.rows() == [] and local.messages() == []


def test_rate_limit_answers_429_in_french(client, tmp_path):
    local = Local(tmp_path, rate_limit=3)
    functions_app.set_service(local.service)
    try:
        for i in range(3):
            assert client.post("/rappel", rappel_fields(nom=f"Paul {'ABC'[i]}"), as_json=True).status == 200
        refused = client.post("/rappel", rappel_fields(nom="Paul D"), as_json=True)
        assert refused.status == 429 and "Réessayez dans une heure" in refused.json()["message"]
        page = client.post("/demande", demande_fields())
        assert page.status == 429 and '<html lang="fr">' in page.text
        assert len(local.rows()) == 3
    finally:
        functions_app.set_service(None)


def _confirm(client, url: str):
    """Press the button of the confirmation page: POST the hidden ``sig`` to the form's action."""
    path, sig = url.split("?sig=")
    return client.request("POST", path, urllib.parse.urlencode({"sig": sig}).encode(),
                          {"Content-Type": "application/x-www-form-urlencoded"})


def test_handled_link_only_asks_for_confirmation(client, local):
    """Mail scanners open every link: following it (GET, as often as they like) changes nothing."""
    client.post("/demande", demande_fields(email=None))
    url = re.search(r"https://api\.example\.org(/traite/\S+)", bodies(local.messages()[0])[0]).group(1)
    ref, sig = url.removeprefix("/traite/").split("?sig=")
    for _ in range(3):
        reply = client.request("GET", url)
        assert reply.status == 200 and '<html lang="fr">' in reply.text
        assert '<form method="post"' in reply.text and f'action="{ref}"' in reply.text
        assert f'name="sig" value="{sig}"' in reply.text and "Jeanne Martin" in reply.text
    assert local.rows()[0]["handled_at"] is None


def test_handled_button_marks_the_request_once(client, local):
    client.post("/demande", demande_fields(email=None))
    [to_ai] = local.messages()
    url = re.search(r"https://api\.example\.org(/traite/\S+)", bodies(to_ai)[0]).group(1)
    first = _confirm(client, url)
    assert first.status == 200 and "Demande traitée" in first.text and '<html lang="fr">' in first.text
    handled_at = local.rows()[0]["handled_at"]
    assert handled_at and abs(handled_at - time.time()) < 60
    later(local, 3600)
    assert _confirm(client, url).status == 200
    assert local.rows()[0]["handled_at"] == handled_at
    again = client.request("GET", url)
    assert again.status == 200 and "déjà traitée" in again.text and "<form" not in again.text


def test_tampered_handled_link_is_refused(client, local):
    client.post("/rappel", rappel_fields())
    url = re.search(r"https://api\.example\.org(/traite/\S+)", bodies(local.messages()[0])[0]).group(1)
    path, sig = url.split("?sig=")
    assert client.request("GET", f"{path}?sig={sig[:-2]}xx").status == 403
    assert _confirm(client, f"{path}?sig={sig[:-2]}xx").status == 403
    assert client.request("GET", path).status == 403
    assert client.request("POST", path, b"", {"Content-Type": "application/x-www-form-urlencoded"}).status == 403
    other = "AI-20261123-ZZZZZZ"
    assert client.request("GET", f"/traite/{other}?sig={sig}").status == 403
    assert _confirm(client, f"/traite/{other}?sig={sig}").status == 403
    accented = urllib.parse.quote("é" * len(sig))   # compare_digest refuses non-ASCII text: still a 403
    assert client.request("GET", f"{path}?sig={accented}").status == 403
    assert _confirm(client, f"{path}?sig={accented}").status == 403
    assert local.rows()[0]["handled_at"] is None


def test_handled_link_of_a_deleted_request_says_so(client, local):
    from chalicelib.handled import sign
    ref = "AI-20250101-ABCDEF"
    url = f"/traite/{ref}?sig={sign(local.settings.secret, ref)}"
    for reply in (client.request("GET", url), _confirm(client, url)):
        assert reply.status == 404 and "n'existe plus" in reply.text.replace("&#x27;", "'")


def test_purge_removes_expired_rows_only(client, local):
    now = time.time()
    local.service.clock = lambda: now - 366 * 86400
    client.post("/rappel", rappel_fields(nom="Ancienne Demande"))
    local.service.clock = lambda: now - 300 * 86400
    client.post("/rappel", rappel_fields(nom="Assez Récente"))
    local.service.clock = time.time
    client.post("/rappel", rappel_fields(nom="Toute Neuve"))
    assert len(local.rows()) == 3
    assert functions_app.purge_expired(SCHEDULED_EVENT, None) == 1
    names = sorted(__import__("json").loads(r["data"])["nom"] for r in local.rows())
    assert names == ["Assez Récente", "Toute Neuve"]


def test_erase_removes_one_persons_rows(client, local):
    client.post("/rappel", rappel_fields())
    client.post("/rappel", rappel_fields(message="Deuxième demande"))
    client.post("/demande", demande_fields())
    client.post("/rappel", rappel_fields(nom="Autre Personne", email="autre@example.org", telephone="0536491299",
                                         mode_contact="telephone"))
    assert len(local.rows()) == 4
    assert local.service.erase("+33 6 12 34 56 78") == 2          # Paul, found by his phone in any format
    assert local.service.erase("Jeanne.Martin@example.org") == 1
    [left] = local.rows()
    assert left["email"] == "autre@example.org"


def test_reference_uses_the_paris_date(local):
    from chalicelib.service import new_reference
    midnight_utc = datetime.datetime(2026, 11, 23, 23, 30, tzinfo=datetime.timezone.utc).timestamp()
    assert new_reference(midnight_utc).startswith("AI-20261124-")


def test_refused_address_is_not_kept_in_the_error(client, local):
    class Refusing:
        def send(self, msg):
            raise MailError("smtp: {'jeanne.martin@example.org': (550, b'Mailbox unavailable')}")
    local.service.mailer = Refusing()
    client.post("/demande", demande_fields())
    [row] = local.rows()
    assert row["status"] == "pending" and "550" in row["last_error"]
    assert "jeanne.martin" not in row["last_error"] and "<adresse>" in row["last_error"]


def test_an_unexpected_failure_after_storing_still_says_recorded(client, local, monkeypatch):
    def broken(record):
        raise RuntimeError("database hiccup after the insert")
    monkeypatch.setattr(local.service, "deliver", broken)
    reply = client.post("/demande", demande_fields(), as_json=True)
    assert reply.status == 200 and reply.json()["statut"] == "enregistre"
    assert local.rows()[0]["status"] == "pending"   # the retry job will send it


def test_acknowledgement_carries_no_free_text(client, local):
    fields = demande_fields(description="Voir http://promo.example.com pour gagner", adresse="12 rue du Test")
    client.post("/demande", fields)
    to_ai, ack = local.messages()
    assert "promo.example.com" in bodies(to_ai)[0] and "12 rue du Test" in bodies(to_ai)[0]
    for body in bodies(ack):
        assert "promo.example.com" not in body and "12 rue du Test" not in body
    assert "Ménage" in bodies(ack)[0]   # what the visitor chose is still summarised
