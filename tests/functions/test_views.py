"""The signed-link pages over HTTP: the « traitée » page with its outcome, the household's answer; what they show
(the least personal data), how they refuse (invalid, expired, closed), how they report errors."""

from __future__ import annotations

import base64
import hashlib
import re
import urllib.parse

import pytest

from support_functions import bodies, demande_fields, plain, rappel_fields
from chalicelib.jobs import schedule as jobs
from chalicelib.requests import lifecycle

DAY = 86400


def handled_link(local, index: int = 0) -> str:
    return re.search(r"https://api\.example\.org(/traite/\S+)", bodies(local.messages()[index])[0]).group(1)


def post(client, url: str, **fields):
    path, query = url.split("?", 1)
    body = urllib.parse.urlencode({**dict(urllib.parse.parse_qsl(query)), **fields}).encode()
    return client.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})


@pytest.fixture
def order(client, local) -> str:
    """An order from Jeanne Martin in Saint-Émilion, and the AI's signed link."""
    assert client.post("/demande", demande_fields(suivi="oui")).status == 303
    return handled_link(local)


def test_the_handled_page_shows_the_least_personal_data(client, local, order):
    page = client.request("GET", order)
    text = plain(page.text)
    ref = local.rows()[0]["ref"]
    assert page.status == 200 and ref in text and "Demande d'intervention" in text and "AI du Libournais" in text
    for private in ("Jeanne", "Martin", "Saint-Émilion", "36 49 12 34", "jeanne.martin", "Guadet"):
        assert private not in text, private
    assert "Reçue le" in text and "délai de la charte" in text


def test_pages_have_a_strict_policy_and_no_script(client, local, order):
    page = client.request("GET", order)
    csp = page.headers["content-security-policy"]
    [style] = re.findall(r"<style>(.*?)</style>", page.text, re.S)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in csp and "unsafe-inline" not in csp
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "form-action 'self'" in csp
    assert "<script" not in page.text and not re.search(r'(src|href)="//', page.text)
    assert "--primary:#0b5563" in style   # the site's charter, from data/brand.yaml through routing.json
    assert page.headers["cache-control"] == "no-store" and page.headers["referrer-policy"] == "no-referrer"


def test_a_missing_outcome_is_reported_at_the_top_and_next_to_the_field(client, local, order):
    reply = post(client, order)
    assert reply.status == 400
    assert re.search(r'<div class="summary" id="erreurs" tabindex="-1" autofocus role="alert"', reply.text)
    # the group's first radio, not its fieldset: following the link puts the focus in the group
    assert '<a href="#f-resultat-client">Choisissez le résultat de la demande.</a>' in reply.text
    assert '<input type="radio" id="f-resultat-client"' in reply.text
    assert '<fieldset id="f-resultat" aria-describedby="f-resultat-erreur">' in reply.text
    assert not local.rows()[0].get("handled_at")


def test_no_follow_up_needs_its_reason_and_keeps_what_was_chosen(client, local, order):
    reply = post(client, order, resultat="sans-suite", orientation="social")
    assert reply.status == 400
    assert 'value="sans-suite" checked' in reply.text
    assert 'aria-describedby="f-motif-aide f-motif-erreur" aria-invalid="true"' in reply.text
    assert "Choisissez le motif" in plain(reply.text)
    assert post(client, order, resultat="sans-suite", motif="tarif").status == 200
    row = local.rows()[0]
    assert (row["outcome"], row["outcome_reason"], row.get("orientation")) == ("sans-suite", "tarif", None)


@pytest.mark.parametrize("value, message", [("2026-02-30", "date réelle"), ("demain", "date réelle"),
                                            ("2020-01-01", "après la demande")])
def test_the_first_intervention_date_is_checked(client, local, order, value, message):
    reply = post(client, order, resultat="client", premiere_intervention=value)
    assert reply.status == 400 and message in plain(reply.text)


def test_hostile_outcome_values_are_refused(client, local, order):
    for fields in ({"resultat": "<script>"}, {"resultat": "client", "orientation": "x"},
                   {"resultat": "sans-suite", "motif": "autre\r\nBcc: x"}):
        reply = post(client, order, **fields)
        assert reply.status == 400 and "<script>" not in reply.text
    assert not local.rows()[0].get("handled_at")


def test_links_expire_when_the_request_closes(client, local, order):
    created = local.rows()[0]["created_at"]
    local.service.clock = lambda: created + 30 * DAY + 60
    for reply in (client.request("GET", order), post(client, order, resultat="client")):
        assert reply.status == 410 and "Lien expiré" in plain(reply.text) and "05 36 49 00 00" in plain(reply.text)


def test_a_request_the_cell_closed_says_so(client, local, order):
    ref = local.rows()[0]["ref"]
    local.service.act(ref, lifecycle.actor("cell", "claire@aai-aquitaine.example.org"), "closed", reason="cell")
    reply = client.request("GET", order)
    assert reply.status == 410 and "Demande close" in plain(reply.text)


def test_the_liaison_sheet_lets_the_cell_record_the_outcome_in_its_own_name(client, local):
    client.post("/rappel", rappel_fields())
    ref = local.rows()[0]["ref"]
    jobs.tick(local.service, local.rows()[0]["created_at"] + 7 * DAY)   # well past the deadline: escalated
    sheet = next(m for m in local.messages() if str(m["Subject"]).startswith("Fiche de liaison"))
    cell_link = re.search(r"https://api\.example\.org(/traite/\S+par=cellule\S*)", bodies(sheet)[0]).group(1)
    page = client.request("GET", cell_link)
    assert page.status == 200 and "au nom de la cellule régionale" in plain(page.text)
    assert post(client, cell_link, resultat="orientee", orientation="autre-ai").status == 200
    row = local.service.store.get(ref)
    assert row["handled_by"] == "cell" and row["state"] == "handled" and row["orientation"] == "autre-ai"
    assert local.service.queue() == []


def followup_links(local) -> dict[str, str]:
    question = next(m for m in local.messages() if "Avez-vous été recontacté" in str(m["Subject"]))
    urls = re.findall(r"https://api\.example\.org(/suivi/\S+)", bodies(question)[0])
    return {urllib.parse.parse_qs(u.split("?")[1])["reponse"][0]: u for u in urls}


def test_the_households_answer_is_confirmed_by_a_button(client, local):
    client.post("/rappel", rappel_fields(suivi="oui"))
    created = local.rows()[0]["created_at"]
    jobs.tick(local.service, created + 7 * DAY)
    links = followup_links(local)
    for _ in range(2):   # a mail scanner opening the link changes nothing
        page = client.request("GET", links["oui"])
        assert page.status == 200 and "Confirmer ma réponse" in plain(page.text)
    text = plain(page.text)
    assert "Paul" not in text and "Dubreuil" not in text and "06 12 34 56 78" not in text
    other = re.search(r'<a href="([^"]+)">Ce n\'est pas ma réponse', page.text.replace("&#39;", "'"))
    assert other and "reponse=non" in other.group(1)
    assert not local.rows()[0].get("followup_answer")
    done = post(client, links["oui"])
    assert done.status == 200 and "Réponse enregistrée" in plain(done.text)
    assert local.rows()[0]["followup_answer"] == "oui"
    late = post(client, links["non"])   # the first answer counts
    assert "« Oui, l'association m'a recontacté » est enregistrée" in plain(late.text)
    assert local.rows()[0]["followup_answer"] == "oui" and "household" not in local.rows()[0]["escalations"]


def test_a_made_up_answer_is_refused(client, local):
    client.post("/rappel", rappel_fields(suivi="oui"))
    jobs.tick(local.service, local.rows()[0]["created_at"] + 7 * DAY)
    url = followup_links(local)["oui"]
    assert client.request("GET", url.replace("reponse=oui", "reponse=peut-etre")).status == 403
    assert client.request("GET", url.replace("/suivi/", "/traite/")).status == 403   # purpose is signed


def test_a_former_associations_link_no_longer_acts_once_the_cell_re_routes(client, local, order):
    """The link names the association it was made for: after a re-route, the former one's « traitée » link is
    refused in French and changes nothing; the new association's link records it in its own name."""
    from chalicelib.requests import actions
    from chalicelib.web import links
    svc = local.service
    record = local.rows()[0]
    ref, expires = record["ref"], svc.link_expiry(record)
    legacy = f"/traite/{ref}?sig={links.sign(local.settings.secret, 'handled:ai', ref, expires)}"   # no holder
    assert client.request("GET", legacy).status == 200      # a link mailed before links named their holder
    actions.reroute(svc, record, "ai-entre-deux-mers", lifecycle.actor("cell", "claire@aai-aquitaine.example.org"))
    before, sent = local.store.get(ref), len(local.messages())
    for old in (order, legacy):
        for reply in (client.request("GET", old), post(client, old, resultat="client")):
            assert reply.status == 403 and "a confié cette demande à une autre association" in plain(reply.text)
            assert "rien n'a été enregistré" in plain(reply.text)
    assert local.store.get(ref) == before and len(local.messages()) == sent
    new = next(m for m in local.messages() if m["To"].addresses[0].addr_spec == "contact@e2m.example.org")
    link = re.search(r"https://api\.example\.org(/traite/\S+)", bodies(new)[0]).group(1)
    assert post(client, link, resultat="client").status == 200
    [done] = [e for e in svc.trail(ref) if e.kind == "handled"]
    assert done.actor == "ai:ai-entre-deux-mers"
