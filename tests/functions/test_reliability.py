"""Nothing lost, nothing twice: failed sends, retries by the scheduled tick, double submits, honeypot, rate limit,
erasure, and the signed « traitée » link."""

from __future__ import annotations

import dataclasses
import datetime
import re
import time
import urllib.parse

from support_functions import (SCHEDULED_EVENT, Local, MailError, bodies, demande_fields, functions_app, plain,
                               rappel_fields)


def later(local: Local, seconds: float) -> None:
    """Moves the service's clock forward (the tick leaves fresh submissions to their own request)."""
    local.service.clock = lambda: time.time() + seconds


def tick():
    return functions_app.tick(SCHEDULED_EVENT, None)


def test_mail_failure_keeps_the_request_and_the_tick_sends_it_once(client, local):
    local.mailer.broken = True
    reply = client.post("/demande", demande_fields())
    assert reply.status == 303
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(reply.headers["location"]).query)
    assert query["statut"] == ["enregistre"]
    [row] = local.rows()
    assert row["state"] == "retrying" and row["attempts"] == 1 and "injected" in row["last_error"]
    assert local.messages() == []

    tick()   # too fresh: left to its own request
    assert local.messages() == [] and local.rows()[0]["attempts"] == 1

    later(local, 600)
    tick()   # still broken
    assert local.rows()[0]["attempts"] == 2

    local.mailer.broken = False
    later(local, 1200)
    assert tick().get("retry") == 1
    tick()
    to_ai, ack = local.messages()
    assert to_ai["To"].addresses[0].addr_spec == "demandes@libournais.example.org"
    assert query["ref"][0] in bodies(to_ai)[0]
    assert ack["To"].addresses[0].addr_spec == "jeanne.martin@example.org"
    assert local.rows()[0]["state"] == "delivered"
    kinds = [e.kind for e in local.service.trail(query["ref"][0])]
    assert kinds == ["received", "send_failed", "send_failed", "sent", "delivered", "acknowledged"]


def test_json_caller_is_told_the_request_is_recorded(client, local):
    local.mailer.broken = True
    data = client.post("/rappel", rappel_fields(), as_json=True).json()
    assert data["ok"] is True and data["statut"] == "enregistre" and data["redirect"].endswith("&statut=enregistre")


def test_failed_acknowledgement_is_retried_alone(client, local):
    real_send = local.mailer.inner.send

    def ack_fails(msg):
        if msg["To"].addresses[0].addr_spec == "paul.dubreuil@example.org":
            raise MailError("visitor's server down")
        return real_send(msg)

    local.mailer.inner.send = ack_fails
    assert "statut" not in client.post("/rappel", rappel_fields()).headers["location"]  # the AI has it
    assert len(local.messages()) == 1
    row = local.rows()[0]
    assert row["state"] == "delivered" and not row.get("ack_sent_at") and row["due"] == "retry"
    local.mailer.inner.send = real_send
    later(local, 600)
    tick()
    to_ai, ack = local.messages()
    assert to_ai["To"].addresses[0].addr_spec == "contact@grand-perigueux.example.org"
    assert ack["To"].addresses[0].addr_spec == "paul.dubreuil@example.org"


def test_retry_backs_off_but_never_gives_up(client, tmp_path):
    local = Local(tmp_path)
    local.service.policy = dataclasses.replace(local.service.policy, quick_attempts=2)
    functions_app.set_service(local.service)
    try:
        local.mailer.broken = True
        client.post("/rappel", rappel_fields())
        results = []
        for minutes in (15, 30, 45):
            later(local, minutes * 60)
            results.append(tick())
        assert local.rows()[0]["attempts"] == 2 and local.mailer.calls == 2   # quick tries used up
        assert "retry" not in results[-1]   # not due: the next try is an hour after the last
        later(local, 2 * 3600)   # a long outage goes on: hourly tries too
        assert tick().get("retry") == 1 and local.rows()[0]["attempts"] == 3
        local.mailer.broken = False
        later(local, 4 * 3600)
        assert tick().get("retry") == 1
        assert local.rows()[0]["state"] == "delivered" and len(local.messages()) == 2
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


def _link(local: Local, index: int = 0) -> str:
    return re.search(r"https://api\.example\.org(/traite/\S+)", bodies(local.messages()[index])[0]).group(1)


def _confirm(client, url: str, **fields):
    """Press the button of the « traitée » page: POST the hidden ``sig`` and the outcome to the form's action."""
    path, query = url.split("?", 1)
    body = urllib.parse.urlencode({**dict(urllib.parse.parse_qsl(query)), **fields}).encode()
    return client.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})


def test_handled_link_only_asks_for_the_outcome(client, local):
    """Mail scanners open every link: following it (GET, as often as they like) changes nothing."""
    client.post("/demande", demande_fields(email=None))
    url = _link(local)
    ref = url.removeprefix("/traite/").split("?")[0]
    sig = urllib.parse.parse_qs(url.split("?")[1])["sig"][0]
    for _ in range(3):
        reply = client.request("GET", url)
        assert reply.status == 200 and '<html lang="fr">' in reply.text
        assert '<form method="post"' in reply.text and f'action="{ref}"' in reply.text
        assert f'name="sig" value="{sig}"' in reply.text and ref in reply.text
        assert 'name="resultat" value="client"' in reply.text
    assert not local.rows()[0].get("handled_at")


def test_handled_button_records_the_outcome_once_and_lets_it_be_corrected(client, local):
    client.post("/demande", demande_fields(email=None))
    url = _link(local)
    first = _confirm(client, url, resultat="en-cours")
    assert first.status == 200 and "Résultat enregistré" in plain(first.text) and '<html lang="fr">' in first.text
    row = local.rows()[0]
    handled_at = row["handled_at"]
    assert abs(handled_at - time.time()) < 60 and row["outcome"] == "en-cours" and row["state"] == "handled"
    assert row["handled_by"] == "ai:ai-libournais"
    later(local, 3600)
    visit = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    assert _confirm(client, url, resultat="client", premiere_intervention=visit).status == 200
    row = local.rows()[0]
    assert row["handled_at"] == handled_at and row["outcome"] == "client" and row["first_visit"] == visit
    again = plain(client.request("GET", url).text)
    assert "Enregistrée comme traitée le" in again and "La personne est devenue cliente" in again
    kinds = [e.kind for e in local.service.trail(row["ref"])]
    assert kinds[-2:] == ["handled", "outcome_changed"]


def test_tampered_handled_link_is_refused(client, local):
    client.post("/rappel", rappel_fields())
    url = _link(local)
    path, query = url.split("?sig=")
    expiry, holder, mac = query.split(".")     # the association the link was made for travels signed
    assert client.request("GET", f"{path}?sig={expiry}.{holder}.{mac[:-2]}xx").status == 403
    assert _confirm(client, f"{path}?sig={expiry}.{holder}.{mac[:-2]}xx", resultat="client").status == 403
    later_expiry = int(expiry) + 365 * 86400   # a longer life is not for the taking
    assert client.request("GET", f"{path}?sig={later_expiry}.{holder}.{mac}").status == 403
    assert client.request("GET", f"{path}?sig={expiry}.ai-libournais.{mac}").status == 403   # nor another holder
    assert client.request("GET", path).status == 403
    assert client.request("POST", path, b"", {"Content-Type": "application/x-www-form-urlencoded"}).status == 403
    other = "AI-20261123-ZZZZZZ"
    assert client.request("GET", f"/traite/{other}?sig={query}").status == 403
    assert _confirm(client, f"/traite/{other}?sig={query}", resultat="client").status == 403
    accented = urllib.parse.quote("é" * len(query))   # compare_digest refuses non-ASCII text: still a 403
    assert client.request("GET", f"{path}?sig={accented}").status == 403
    assert client.request("GET", f"{path}?par=cellule&sig={query}").status == 403   # the AI's link is not the cell's
    assert not local.rows()[0].get("handled_at")


def test_handled_link_of_a_deleted_request_says_so(client, local):
    from chalicelib.web.links import sign
    ref = "AI-20250101-ABCDEF"
    url = f"/traite/{ref}?sig={sign(local.settings.secret, 'handled:ai', ref, int(time.time()) + 3600)}"
    for reply in (client.request("GET", url), _confirm(client, url, resultat="client")):
        assert reply.status == 404 and "n'existe plus" in plain(reply.text)


def test_erase_removes_one_persons_requests(client, local):
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
    def refusing(msg):
        raise MailError("smtp: {'jeanne.martin@example.org': (451, b'Mailbox busy')}")
    local.mailer.inner.send = refusing
    client.post("/demande", demande_fields())
    [row] = local.rows()
    assert row["state"] == "retrying" and "451" in row["last_error"]
    assert "jeanne.martin" not in row["last_error"] and "<adresse>" in row["last_error"]


def test_an_unexpected_failure_after_storing_still_says_recorded(client, local, monkeypatch):
    def broken(record):
        raise RuntimeError("database hiccup after the insert")
    monkeypatch.setattr(local.service, "deliver", broken)
    reply = client.post("/demande", demande_fields(), as_json=True)
    assert reply.status == 200 and reply.json()["statut"] == "enregistre"
    assert local.rows()[0]["state"] == "received" and local.rows()[0]["due"] == "retry"   # the tick will send it


def test_acknowledgement_carries_no_free_text(client, local):
    fields = demande_fields(description="Voir http://promo.example.com pour gagner", adresse="12 rue du Test")
    client.post("/demande", fields)
    to_ai, ack = local.messages()
    assert "promo.example.com" in bodies(to_ai)[0] and "12 rue du Test" in bodies(to_ai)[0]
    for body in bodies(ack):
        assert "promo.example.com" not in body and "12 rue du Test" not in body
    assert "Ménage" in bodies(ack)[0]   # what the visitor chose is still summarised


def test_a_double_click_arriving_while_the_first_is_sending_is_told_the_truth(local):
    """The second click finds the request stored but its e-mail still leaving: it is told « sent » once the first
    click's send has gone through, not « the e-mail will follow »."""
    import threading
    sending, release = threading.Event(), threading.Event()
    real = local.service.mailer

    class SlowFirstSend:
        def __getattr__(self, name):
            return getattr(real, name)

        def send(self, msg):
            if not sending.is_set():   # the first click's e-mail to the AI: caught in the middle of its send
                sending.set()
                release.wait(10)
            return real.send(msg)

    local.service.mailer = SlowFirstSend()
    fields = {k: v if isinstance(v, list) else [v] for k, v in rappel_fields().items()}
    answers = {}
    first = threading.Thread(target=lambda: answers.update(first=local.service.submit("rappel", fields, "192.0.2.7")))
    first.start()
    try:
        assert sending.wait(10)

        def let_the_first_finish(seconds):   # the second click's pause: the first one's send completes meanwhile
            release.set()
            first.join(10)

        local.service.sleep = let_the_first_finish
        second = local.service.submit("rappel", fields, "192.0.2.7")
    finally:
        release.set()
        first.join(10)
    assert second.reference == answers["first"].reference and answers["first"].delivered
    assert second.delivered, "the e-mail had left: the double click must not be told it will follow"
    assert len(local.rows()) == 1 and len(local.messages()) == 2


def raw_bytes(*paths) -> bytes:
    """Every byte of these files, as they lie on disk (freed pages included)."""
    return b"".join(path.read_bytes() for path in paths if path.exists())


def test_a_failed_outbox_write_leaves_no_copy_of_the_address(client, local, monkeypatch):
    """The outbox writes a hidden .eml.tmp then renames it: a failure in between left the temporary file, with
    the household's address, never purged nor erased."""
    from pathlib import Path
    from chalicelib.mail import mailers

    def full_disk(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(mailers.os, "replace", full_disk)
    reply = client.post("/rappel", rappel_fields(), as_json=True)
    assert reply.status == 200 and reply.json()["statut"] == "enregistre"   # stored, the tick will send it
    outbox = Path(local.settings.outbox_dir)
    assert [path.name for path in outbox.iterdir()] == []
    monkeypatch.undo()


def test_erasure_and_the_purge_cover_a_temporary_file_left_by_a_crash(client, local):
    """A crash (kill -9) between writing and renaming leaves a .eml.tmp: erasure and the purge find it too."""
    import os
    from pathlib import Path
    client.post("/rappel", rappel_fields())
    client.post("/rappel", rappel_fields(nom="Autre Personne", email="autre@example.org", telephone="0536491299",
                                         mode_contact="telephone"))
    paul, other = (r["ref"] for r in local.rows())
    outbox = Path(local.settings.outbox_dir)
    for ref in (paul, other):   # what the mailer leaves when it dies between the write and the rename
        sent = next(outbox.glob(f"*-{ref}-*.eml"))
        (outbox / f".{sent.stem}x.eml.tmp").write_bytes(sent.read_bytes())
    assert local.service.erase("paul.dubreuil@example.org") == 1
    assert b"paul.dubreuil" not in raw_bytes(*outbox.iterdir())
    left = outbox / next(name for name in os.listdir(outbox) if name.endswith(".tmp"))
    assert other in left.name
    os.utime(left, (0, 0))
    assert local.mailer.purge(time.time() - 86400) == 1 and not left.exists()


def test_an_erased_person_is_gone_from_the_database_file_and_its_journal(client, local):
    """SQLite keeps deleted rows in freed pages and in its write-ahead log until they are reused: erasure
    overwrites them (secure_delete) and empties the log (a checkpoint), so the raw bytes no longer hold them."""
    from pathlib import Path
    client.post("/rappel", rappel_fields())
    client.post("/rappel", rappel_fields(nom="Autre Personne", email="autre@example.org", telephone="0536491299",
                                         mode_contact="telephone"))
    database = Path(local.settings.sqlite_path)
    files = [database, database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")]
    assert b"Dubreuil" in raw_bytes(*files)
    assert local.service.erase("paul.dubreuil@example.org") == 1
    kept = raw_bytes(*files)
    assert b"Dubreuil" not in kept and b"paul.dubreuil" not in kept and b"+33612345678" not in kept
    assert b"Autre Personne" in kept


def test_the_privacy_notice_and_the_restore_procedure_say_what_backups_keep():
    """Point-in-time recovery keeps a deleted request for 35 days: the notice says so, and the restore procedure
    says to erase again what was erased since the instant restored."""
    from pathlib import Path
    root = Path(__file__).parents[2]
    notice = plain((root / "content" / "pages" / "donnees-personnelles.md").read_text())
    assert "copies de secours" in notice and "jusqu'à 35 jours après sa suppression" in notice
    restore = (root / "docs" / "exploitation.md").read_text().split("### Les demandes enregistrées", 1)[1]
    assert "chalicelib.admin erase" in restore.split("## Coûts", 1)[0]
