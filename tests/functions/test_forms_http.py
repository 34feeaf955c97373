"""Both forms through real HTTP with the local backends (SQLite + outbox): what the AI and the visitor get."""

from __future__ import annotations

import re
import urllib.parse

from support_functions import IN_A_MONTH, ORIGIN, bodies, demande_fields, plain, rappel_fields


def test_demande_without_javascript_redirects_and_mails_the_ai(client, local):
    reply = client.post("/demande", demande_fields(description="Tom & Jerry's \"jardin\" <3\nDeuxième ligne"))
    assert reply.status == 303
    location = urllib.parse.urlsplit(reply.headers["location"])
    query = urllib.parse.parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{ORIGIN}/merci/"
    assert query["type"] == ["demande"] and "statut" not in query
    ref = query["ref"][0]
    assert re.fullmatch(r"AI-\d{8}-[0-9A-Z]{6}", ref)

    to_ai, ack = local.messages()
    assert to_ai["To"].addresses[0].addr_spec == "demandes@libournais.example.org"
    assert to_ai["Reply-To"].addresses[0].addr_spec == "jeanne.martin@example.org"
    assert to_ai["From"].addresses[0].addr_spec == "ne-pas-repondre@ai-aquitaine.example.org"
    assert str(to_ai["Subject"]) == "Demande d'intervention – Jeanne Martin – Saint-Émilion"
    text, page = bodies(to_ai)
    for expected in (ref, "Jeanne Martin", "05 36 49 12 34", "jeanne.martin@example.org", "4 rue Guadet",
                     "Saint-Émilion (33330)", "Ménage, Jardinage", "La mairie ou le CCAS", "Toutes les semaines",
                     "3,5 h", "Lundi, Jeudi", "Matin, Après-midi", "Charte qualité : merci de répondre sous 48 heures.",
                     "Deuxième ligne"):
        assert expected in text, expected
    assert "Tom & Jerry's \"jardin\" <3" in text
    assert "Tom &amp; Jerry&#x27;s &quot;jardin&quot; &lt;3<br>Deuxième ligne" in page
    link = re.search(r"https://api\.example\.org/traite/(\S+)", text)
    assert link and link.group(1).startswith(ref + "?sig=")

    assert ack["To"].addresses[0].addr_spec == "jeanne.martin@example.org"
    assert ack["Reply-To"].addresses[0].addr_spec == "demandes@libournais.example.org"
    ack_text, _ = bodies(ack)
    assert ref in str(ack["Subject"]) and ref in ack_text
    for contact in ("AI du Libournais", "05 36 49 10 01", "3 place Abel Surchamp, 33500 Libourne"):
        assert contact in ack_text
    assert "traite" not in ack_text   # the visitor never gets the handled link

    [row] = local.rows()
    assert row["ref"] == ref and row["state"] == "delivered" and row["association"] == "ai-libournais"
    assert row["data"]["services"] == ["menage", "jardinage"]
    assert row["expires_at"] - row["created_at"] == 365 * 86400


def test_demande_with_fetch_gets_json(client, local):
    reply = client.post("/demande", demande_fields(), as_json=True)
    assert reply.status == 200
    data = reply.json()
    assert data["ok"] is True and data["statut"] == "envoye" and data["type"] == "demande"
    assert data["redirect"] == f"{ORIGIN}/merci/?ref={data['reference']}&type=demande"
    assert reply.headers["access-control-allow-origin"] == ORIGIN
    assert reply.headers["content-type"].startswith("application/json")


def test_rappel_phone_only_sends_one_mail_without_reply_to(client, local):
    reply = client.post("/rappel", rappel_fields(email=None, mode_contact="telephone", commune=None))
    assert reply.status == 303 and "type=rappel" in reply.headers["location"]
    [to_ai] = local.messages()
    assert to_ai["Reply-To"] is None
    assert str(to_ai["Subject"]) == "Demande de rappel – Paul Dubreuil"
    text, _ = bodies(to_ai)
    for expected in ("06 12 34 56 78", "Par téléphone", "Lundi matin, Mercredi soir", "Rappelez-moi plutôt le matin.",
                     "Le bouche-à-oreille"):
        assert expected in text


def test_rappel_to_the_regional_network_for_an_unserved_commune(client, local):
    reply = client.post("/rappel", rappel_fields(association="aai", commune="40192"), as_json=True)
    assert reply.status == 200, reply.text
    to_ai = local.messages()[0]
    assert to_ai["To"].addresses[0].addr_spec == "cellule@aai-aquitaine.example.org"
    assert str(to_ai["Subject"]) == "Demande de rappel – Paul Dubreuil – Mont-de-Marsan"


def test_commune_outside_the_zone_names_the_ais_that_serve_it(client, local):
    reply = client.post("/demande", demande_fields(association="ai-grand-perigueux", services=["menage"]),
                        as_json=True)
    assert reply.status == 400
    data = reply.json()
    assert "AI du Libournais" in data["errors"]["commune"] and "Entre-deux-Mers Services" in data["errors"]["commune"]
    assert [a["id"] for a in data["alternatives"]] == ["ai-libournais", "ai-entre-deux-mers"]
    assert data["alternatives"][0]["url"] == "/association/ai-libournais/"
    assert local.rows() == [] and local.messages() == []


def test_unserved_commune_points_to_the_network(client, local):
    reply = client.post("/demande", demande_fields(commune="33063"), as_json=True)
    assert reply.status == 400
    data = reply.json()
    assert "Aucune association intermédiaire ne dessert encore Bordeaux" in data["errors"]["commune"]
    assert "05 36 49 00 00" in data["errors"]["commune"]
    assert data["alternatives"][0]["id"] == "aai"


def test_errors_without_javascript_are_a_french_page_listing_each_problem(client, local):
    reply = client.post("/demande", demande_fields(telephone="12", consentement=None, services=["repassage", "x"]),
                        headers={"Referer": f"{ORIGIN}/association/ai-libournais/demande/"})
    assert reply.status == 400 and reply.headers["content-type"].startswith("text/html")
    page = plain(reply.text)
    assert '<html lang="fr">' in page
    assert "Téléphone : Indiquez un numéro de téléphone français valide" in page
    assert "Consentement : Cochez la case" in page
    assert "Services souhaités : " in page
    assert f'href="{ORIGIN}/association/ai-libournais/demande/"' in page


def test_preflight_allows_only_the_site_origin(client, local):
    ok = client.request("OPTIONS", "/demande", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"})
    assert ok.status == 204
    assert ok.headers["access-control-allow-origin"] == ORIGIN
    assert "POST" in ok.headers["access-control-allow-methods"]
    bad = client.request("OPTIONS", "/rappel", headers={"Origin": "https://evil.example.com"})
    assert bad.status == 403 and "access-control-allow-origin" not in bad.headers


def test_post_from_another_site_is_refused(client, local):
    reply = client.post("/rappel", rappel_fields(), as_json=True, headers={"Origin": "https://evil.example.com"})
    assert reply.status == 403 and "access-control-allow-origin" not in reply.headers
    assert "site des associations" in reply.json()["message"]
    assert local.rows() == []


def test_minimal_demande_is_accepted(client, local):
    fields = {"association": "ai-entre-deux-mers", "nom": "Lucie Bernard", "email": "lucie@example.org",
              "commune": "33140", "consentement": "oui", "adresse": "1 place de la Prévôté", "services": "menage",
              "website": ""}   # the hidden honeypot the page always sends
    reply = client.post("/demande", fields, as_json=True)
    assert reply.status == 200, reply.text
    assert len(local.messages()) == 2


def test_date_in_the_past_is_refused(client, local):
    reply = client.post("/demande", demande_fields(date_debut="2020-01-01"), as_json=True)
    assert reply.status == 400 and "passée" in reply.json()["errors"]["date_debut"]
    assert client.post("/demande", demande_fields(date_debut=IN_A_MONTH), as_json=True).status == 200


def test_sms_goes_to_any_french_mobile_overseas_included_and_the_number_is_stored_once(client, local):
    """SMS eligibility comes from phonenumbers' line type, not from the first digits of the display text."""
    reply = client.post("/rappel", rappel_fields(telephone="0692 12 34 56", mode_contact="sms"), as_json=True)
    assert reply.status == 200, reply.text
    row = local.rows()[0]
    assert row["phone"] == "+262692123456" and row["data"]["telephone"] == "+262692123456"
    assert "0692 12 34 56" in bodies(local.messages()[0])[0]     # shown the way people dial it
    refused = client.post("/rappel", rappel_fields(telephone="05 36 49 12 34", mode_contact="sms"), as_json=True)
    assert refused.status == 400 and "portable" in refused.json()["errors"]["telephone"]
