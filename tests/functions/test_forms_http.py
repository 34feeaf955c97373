"""Both forms through real HTTP with the local backends (SQLite + outbox): what the AI and the visitor get."""

from __future__ import annotations

import datetime
import json
import re
import urllib.parse

import pytest
from rules.dates import PARIS
from support_functions import IN_A_MONTH, ORIGIN, Local, bodies, demande_fields, functions_app, plain, rappel_fields


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
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["au_plus_tard"]) and data["par"] == "telephone"   # the promise
    redirect, _, token = data["redirect"].partition("&avis=")
    assert redirect == f"{ORIGIN}/merci/?ref={data['reference']}&type=demande&au={data['au_plus_tard']}" \
                       "&par=telephone"
    assert re.fullmatch(r"[A-Za-z0-9_.-]{20,200}", token)   # « Avez-vous trouvé facilement ? » (test_site_feedback.py)
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


# --- Without JavaScript, answered with the site's own pages (site_pages.json, issue 22: items 3, 25, 26) ---------

@pytest.fixture(scope="module")
def site_pages_file(built_site, site_data, tmp_path_factory) -> str:
    """The pages the build hands to the functions (plugins/forms), from the session's real build."""
    from forms.generator import functions_pages
    path = tmp_path_factory.mktemp("site-pages") / "site_pages.json"
    path.write_text(json.dumps(functions_pages(built_site, site_data), ensure_ascii=False), "utf-8")
    return str(path)


@pytest.fixture
def site(tmp_path, site_pages_file):
    backends = Local(tmp_path, site_pages=site_pages_file)
    functions_app.set_service(backends.service)
    yield backends
    functions_app.set_service(None)


def assert_site_look(reply) -> None:
    """The site's page, its style sheets, fonts and logo from the site (the CSP allows the site and nothing else),
    no script."""
    assert f'<link rel="stylesheet" href="{ORIGIN}/theme/css/site.css">' in reply.text
    assert 'class="site-header"' in reply.text and 'class="brand"' in reply.text and "<footer" in reply.text
    assert "<script" not in reply.text
    csp = reply.headers["content-security-policy"]
    assert f"style-src {ORIGIN};" in csp and f"font-src {ORIGIN};" in csp and "script-src" not in csp
    assert "default-src 'none'" in csp


def test_nojs_thanks_page_shows_the_reference(client, site):
    reply = client.post("/demande", demande_fields())
    assert reply.status == 303
    location = urllib.parse.urlsplit(reply.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == "https://api.example.org/merci"
    ref = urllib.parse.parse_qs(location.query)["ref"][0]
    page = client.request("GET", f"{location.path}?{location.query}")
    assert page.status == 200
    assert re.search(r'<p class="lead merci-ref" id="merci-ref">Votre numéro de référence&nbsp;: '
                     rf'<strong id="merci-ref-valeur">{ref}</strong>', page.text)   # written by the server, shown
    assert 'id="merci-generique" hidden' in page.text and 'id="merci-suite-demande">' in page.text
    assert_site_look(page)
    forged = client.request("GET", "/merci?ref=%3Cimg%20src%3Dx%3E&type=demande&association=ai-libournais")
    assert forged.status == 404 and "<img" not in forged.text


def test_nojs_thanks_page_asks_about_the_site_with_the_submission_s_token(client, site):
    """Issue 26, item 5: the question is shown, its token written in by the server, only with the token the
    submission returned; the form posts to the functions (no third party)."""
    reply = client.post("/demande", demande_fields())
    location = urllib.parse.urlsplit(reply.headers["location"])
    token = urllib.parse.parse_qs(location.query)["avis"][0]
    page = client.request("GET", f"{location.path}?{location.query}")
    assert '<section class="site-feedback" id="avis-site" aria-labelledby="avis-site-titre">' in page.text
    assert f'<input type="hidden" name="jeton" id="avis-jeton" value="{token}">' in page.text
    assert '<form method="post" id="avis-site-formulaire" action="https://api.example.org/avis-site">' in page.text
    assert "Avez-vous trouvé facilement l'association qu'il vous fallait ?" in plain(page.text)
    without = client.request("GET", location.path + "?" + location.query.replace(f"&avis={token}", ""))
    assert without.status == 200 and 'id="avis-site" aria-labelledby="avis-site-titre" hidden>' in without.text


def test_nojs_thanks_page_states_the_promise_written_by_the_server(client, site):
    """Issue 26, item 4: who calls, by which channel, at the latest on which working day. Friday 22 May 2026 in
    the evening, Whit Monday off: « mercredi 27 mai », the acknowledgement's day. From the URL only a strict date
    and a known channel are shown."""
    site.service.clock = lambda: datetime.datetime(2026, 5, 22, 20, 30, tzinfo=PARIS).timestamp()
    reply = client.post("/rappel", rappel_fields(mode_contact="email"))
    location = urllib.parse.urlsplit(reply.headers["location"])
    query = urllib.parse.parse_qs(location.query)
    assert query["au"] == ["2026-05-27"] and query["par"] == ["email"]
    page = client.request("GET", f"{location.path}?{location.query}")
    assert page.status == 200
    assert re.search(r'<li id="merci-promesse"><strong>.*vous recontacte <span id="merci-promesse-par">par e-mail'
                     r'</span> au plus tard le <span id="merci-promesse-jour">mercredi 27 mai</span>', page.text)
    assert "<span id=\"merci-sans-nouvelles\">d'ici là</span>" in page.text.replace("&#x27;", "'")
    forged = client.request("GET", f"{location.path}?" + urllib.parse.urlencode(
        {**{k: v[0] for k, v in query.items()}, "au": "2026-05-27<img src=x>", "par": "<b>pigeon</b>"}))
    assert forged.status == 200 and "<img" not in forged.text and "pigeon" not in forged.text
    assert '<li id="merci-promesse" hidden>' in forged.text


def test_nojs_invalid_post_answers_the_form_with_what_was_typed_and_each_error_beside_its_field(client, site):
    reply = client.post("/demande", demande_fields(telephone="12 34", nom="", description="Haie & <b>gazon</b>"))
    assert reply.status == 400 and not site.messages() and not site.rows()
    html = reply.text
    assert_site_look(reply)
    assert 'action="https://api.example.org/demande"' in html
    # values kept: text, choices, the commune, the free text (escaped)
    assert re.search(r'<input type="tel" id="f-telephone"[^>]* value="12 34"', html)
    assert re.search(r'id="f-adresse"[^>]* value="4 rue Guadet"', html)
    assert '<option value="33394" selected>' in html
    assert re.search(r'value="menage" checked', html) and re.search(r'value="hebdomadaire" checked', html)
    assert re.search(r'value="mairie" checked', html)   # Annexe 3: boxes, several answers
    assert "Haie &amp; &lt;b&gt;gazon&lt;/b&gt;</textarea>" in html
    # each error beside its field, the field marked, the summary focused with a link to each field
    assert re.search(r'id="f-telephone"[^>]*aria-describedby="f-telephone-erreur f-telephone-aide" aria-invalid="true"',
                     html)
    assert re.search(r'<input type="tel" id="f-telephone"[^>]*>\s*'
                     r'<p class="field-error" id="f-telephone-erreur">', html)
    assert '<div class="form-summary" id="form-summary" tabindex="-1" autofocus>' in html
    for field in ("f-nom", "f-telephone", "f-description"):
        assert f'<a href="#{field}">' in html
    assert "3 points sont à corriger" in plain(html)
    assert "Revenir au formulaire" not in html


def test_nojs_form_from_the_functions_own_page_is_accepted(client, site):
    reply = client.post("/rappel", rappel_fields(), headers={"Origin": "https://api.example.org"})
    assert reply.status == 303 and reply.headers["location"].startswith("https://api.example.org/merci?ref=AI-")
    refused = client.post("/rappel", rappel_fields(), headers={"Origin": "https://evil.example.net"})
    assert refused.status == 403


def test_a_commune_link_opens_the_form_with_the_commune_chosen(client, site):
    reply = client.request("GET", "/demande?association=ai-libournais&commune=33394")
    assert reply.status == 200 and '<option value="33394" selected>' in reply.text
    assert reply.text.count(" selected>") == 1 + 0   # only the commune (the « origine » menu is left alone)
    assert_site_look(reply)
    assert reply.headers["referrer-policy"] == "same-origin"   # its post carries the functions' origin
    network = client.request("GET", "/rappel?commune=40192")
    assert network.status == 200
    assert '<input type="hidden" id="f-commune" name="commune" value="40192">' in network.text
    assert '<p class="commune-choice" id="f-commune-nom">Votre commune : Mont-de-Marsan</p>' in plain(network.text)
    assert client.request("GET", "/demande?association=ai-inconnue&commune=33394").status == 404
    odd = client.request("GET", "/demande?association=ai-libournais&commune=%22%3E%3Cscript%3E")
    assert odd.status == 200 and "<script" not in odd.text and " selected>" not in odd.text


def test_nojs_error_page_looks_like_the_site(client, site):
    reply = client.request("POST", "/demande", b"nom=x", {"Content-Type": "text/plain", "Origin": ORIGIN})
    assert reply.status == 415
    assert_site_look(reply)
    assert "Votre demande n'a pas pu être envoyée" in plain(reply.text)


# --- Measured origins (issue 25, item 3): ?source= travels to a hidden field, checked against one list ----------

def test_a_known_source_is_stored_beside_the_declared_origin_and_shown_to_the_ai(client, local):
    reply = client.post("/demande", demande_fields(source="kit-plaquette"), as_json=True)
    assert reply.status == 200, reply.text
    data = local.rows()[0]["data"]
    assert data["source"] == "kit-plaquette" and data["origine"] == ["mairie"]
    assert "Provenance mesurée (lien suivi) : Plaquette du kit" in bodies(local.messages()[0])[0]


@pytest.mark.parametrize("source", ["mairie-33394", "presse", "parrainage", "kit-charte"])
def test_the_families_are_checked_against_the_data(client, local, source):
    assert client.post("/rappel", rappel_fields(source=source), as_json=True).status == 200
    assert local.rows()[0]["data"]["source"] == source


@pytest.mark.parametrize("source", ["kit-inconnu", "mairie-99999", "partenaire-evil", "KIT-PLAQUETTE",
                                    "<script>", "x" * 500, "presse presse"])
def test_an_unknown_source_is_ignored_never_stored_never_an_error(client, local, source):
    reply = client.post("/demande", demande_fields(source=source), as_json=True)
    assert reply.status == 200, reply.text
    assert "source" not in local.rows()[0]["data"]


def test_a_commune_link_carries_its_source_into_the_hidden_field_without_javascript(client, site):
    reply = client.request("GET", "/demande?association=ai-libournais&commune=33394&source=mairie-33394")
    assert reply.status == 200
    assert '<input type="hidden" name="source" value="mairie-33394">' in reply.text
    unknown = client.request("GET", "/demande?association=ai-libournais&commune=33394&source=%22%3E%3Cb%3E")
    assert unknown.status == 200 and '<input type="hidden" name="source" value="">' in unknown.text
    sent = client.post("/demande", demande_fields(source="mairie-33394"),
                       headers={"Origin": "https://api.example.org"})
    assert sent.status == 303 and site.rows()[0]["data"]["source"] == "mairie-33394"
