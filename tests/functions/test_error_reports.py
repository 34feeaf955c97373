"""« Signaler une erreur » (POST /erreur): to the AI and to AAI, never to the visitor's address; robots, unknown
pages and floods refused in French."""

from __future__ import annotations

import pytest
from support_functions import Local, bodies, functions_app, plain


@pytest.fixture
def reports(tmp_path):
    local = Local(tmp_path, rate_limit=2)
    functions_app.set_service(local.service)
    yield local
    functions_app.set_service(None)


def report(**changes) -> dict:
    return {"page": "association/ai-libournais", "erreur": "Le numéro a changé <3 & l'adresse \"aussi\".",
            "email": "curieux@example.net", "website": "", **changes}


def test_a_report_reaches_the_ai_and_aai_never_the_visitor(client, reports):
    reply = client.post("/erreur", report())
    assert reply.status == 200
    assert "Merci pour votre signalement" in plain(reply.text)
    sent = reports.messages()
    recipients = sorted(a.addr_spec for m in sent for a in m["To"].addresses)
    network = reports.service.routing.network.email
    assert recipients == sorted(["demandes@libournais.example.org", network])
    for msg in sent:
        header_addresses = [a.addr_spec for h in ("To", "Cc", "Bcc", "Reply-To") if msg[h] for a in msg[h].addresses]
        assert "curieux@example.net" not in header_addresses
        text, page = bodies(msg)
        assert "curieux@example.net" in text and "Le numéro a changé <3 & l'adresse \"aussi\"." in text
        assert "Le numéro a changé &lt;3 &amp; l&#x27;adresse &quot;aussi&quot;." in page and "<3" not in page
        assert msg["X-AAI-Reference"].startswith("ERR-")
    ref = sent[0]["X-AAI-Reference"]
    stored = reports.store.peek_token("erreur#" + ref, reports.service.now())
    assert stored["status"] == "signalée" and stored["page"] == "association/ai-libournais"


def test_a_commune_report_reaches_its_ais_and_aai(client, reports):
    reply = client.post("/erreur", report(page="commune/33394", email=""))
    assert reply.status == 200
    routing = reports.service.routing
    expected = {a.email for a in routing.serving("33394")} | {routing.network.email}
    assert len(expected) >= 2
    assert {a.addr_spec for m in reports.messages() for a in m["To"].addresses} == expected
    assert "non indiqué" in bodies(reports.messages()[0])[0]


@pytest.mark.parametrize("page", ["association/inconnue", "association/aai", "commune/99999", "commune/33394/x",
                                  "https://evil.example/", ""])
def test_an_unknown_page_is_refused_in_french(client, reports, page):
    reply = client.post("/erreur", report(page=page))
    assert reply.status == 400
    assert "ne figure pas dans notre annuaire" in plain(reply.text)
    assert reports.messages() == []


def test_the_honeypot_sends_nothing(client, reports):
    reply = client.post("/erreur", report(website="http://spam.example"))
    assert reply.status == 200 and reports.messages() == []
    missing = report()
    del missing["website"]
    assert client.post("/erreur", missing).status == 200 and reports.messages() == []


def test_the_rate_limit_applies(client, reports):
    assert [client.post("/erreur", report()).status for _ in range(3)] == [200, 200, 429]
    assert "Réessayez dans une heure" in plain(client.post("/erreur", report()).text)
    assert len(reports.messages()) == 4


def test_a_foreign_origin_is_refused(client, reports):
    reply = client.post("/erreur", report(), headers={"Origin": "https://evil.example"})
    assert reply.status == 403 and reports.messages() == []


def test_a_missing_or_too_long_text_gives_the_form_back_with_what_was_typed(client, reports):
    reply = client.post("/erreur", report(erreur="x" * 1001, email="moi@example.org"))
    assert reply.status == 400
    page = plain(reply.text)
    assert 'value="moi@example.org"' in page and "x" * 1001 in page
    assert 'name="page" value="association/ai-libournais"' in page
    assert reports.messages() == []
    assert client.post("/erreur", report(erreur="  ")).status == 400


def test_the_form_alone_for_commune_pages(client, reports):
    reply = client.request("GET", "/erreur?page=commune/33394")
    assert reply.status == 200
    page = plain(reply.text)
    assert 'action="https://api.example.org/erreur"' in page and 'name="website"' in page
    assert "Saint-Émilion" in page
    assert client.request("GET", "/erreur?page=commune/00000").status == 400


def test_a_mail_outage_keeps_the_report_and_thanks_the_visitor(client, reports):
    reports.mailer.broken = True
    reply = client.post("/erreur", report())
    assert reply.status == 200 and "Merci pour votre signalement" in plain(reply.text)
    ref = plain(reply.text).split("référence ", 1)[1].split(")", 1)[0]
    assert reports.store.peek_token("erreur#" + ref, reports.service.now())["status"] == "signalée"
