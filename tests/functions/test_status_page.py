"""The household's status page (``/ma-demande/{ref}``) over HTTP: linked from the acknowledgement and from
« Avez-vous été recontacté ? », it tells where the request stands in each state, lets the household close it
(« je n'ai plus besoin », counted in the monthly figures) or send it to the cell (« on ne m'a pas rappelé »), shows
nothing the household typed, and refuses in French a forged, expired or foreign link and an erased request."""

from __future__ import annotations

import re
import urllib.parse

import pytest

from support_functions import bodies, demande_fields, plain, rappel_fields
from chalicelib.jobs import schedule as jobs
from chalicelib.web import links
from chalicelib.reports.request_figures import monthly_report
from chalicelib.requests import lifecycle
from rules.dates import french_date, local_time

DAY = 86400
STATUS = re.compile(r"https://api\.example\.org(/ma-demande/\S+)")
CELL = lifecycle.actor("cell", "claire@aai-aquitaine.example.org")
PERSONAL = ("Jeanne", "Martin", "Guadet", "jeanne.martin", "05 36 49 12 34", "Ménage du salon")


def post(client, url: str, **fields):
    path, query = url.split("?", 1)
    body = urllib.parse.urlencode({**dict(urllib.parse.parse_qsl(query)), **fields}).encode()
    return client.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})


def status_link(local, subject: str = "a bien été reçue") -> str:
    message = next(m for m in local.messages() if subject in str(m["Subject"]))
    return STATUS.search(bodies(message)[0]).group(1)


def page_text(client, url: str) -> str:
    reply = client.request("GET", url)
    assert reply.status == 200, reply.text
    return plain(reply.text)


@pytest.fixture
def order(client, local) -> str:
    """Jeanne Martin's order in Saint-Émilion, delivered and acknowledged: the status link of the acknowledgement."""
    assert client.post("/demande", demande_fields()).status == 303
    return status_link(local)


def test_the_acknowledgement_links_the_status_page_and_opening_it_changes_nothing(client, local, order):
    ack = next(m for m in local.messages() if "a bien été reçue" in str(m["Subject"]))
    assert re.search(r"^Suivre votre demande : https://api\.example\.org/ma-demande/AI-\S+\?sig=\S+$",
                     bodies(ack)[0], re.M)
    before = local.rows()[0]
    for _ in range(2):   # a mail scanner opens the link: nothing moves
        text = page_text(client, order)
    assert local.rows()[0] == before
    record = local.rows()[0]
    deadline = french_date(local_time(lifecycle.charter_deadline(record, local.service.policy)).date(), weekday=True)
    assert "Votre demande d'intervention a été reçue le" in text
    assert re.search(r"Elle a été transmise à .+ le \w+ \d", text)
    assert f"au plus tard le {deadline}" in text and "05 36 49 00 00" in text
    assert "Saint-Émilion" in text and record["ref"] in text
    assert not [word for word in PERSONAL if word in text]
    assert "On ne m'a pas rappelé" in text and "Je n'ai plus besoin d'aide" in text


def test_a_request_not_yet_sent_says_only_received(client, local):
    local.mailer.broken = True
    client.post("/demande", demande_fields())
    record = local.rows()[0]
    assert record["state"] == "retrying"
    text = page_text(client, links.status_url("", "test-secret", record["ref"], local.service.link_expiry(record)))
    assert "a été reçue le" in text and "transmise à" not in text and "au plus tard le" in text


def test_a_handled_request_says_the_association_called(client, local, order):
    handled = re.search(r"https://api\.example\.org(/traite/\S+)", bodies(local.messages()[0])[0]).group(1)
    assert "a indiqué vous avoir appelé" not in page_text(client, order)
    assert post(client, handled, resultat="client").status == 200
    text = page_text(client, order)
    assert re.search(r"L'association a indiqué vous avoir appelé le \w+ \d", text)
    assert "au plus tard le" not in text   # the promise is kept: no deadline to quote any more


def test_an_association_note_with_a_callback_date_counts_as_a_call(client, local, order):
    ref = local.rows()[0]["ref"]
    local.service.act(ref, lifecycle.actor("ai", "ai-libournais"), "noted", text="Appelée, rappel convenu",
                      callback_on="2030-01-07")
    text = page_text(client, order)
    assert "L'association a indiqué vous avoir appelé le" in text and "rappel convenu" not in text


def test_an_escalated_request_says_the_cell_will_call(client, local, order):
    jobs.tick(local.service, local.rows()[0]["created_at"] + 7 * DAY)   # past the charter's deadline
    assert local.rows()[0]["state"] == "escalated"
    assert "confiée à la cellule régionale le" in page_text(client, order)


def test_a_closed_request_still_shows_its_story_without_buttons(client, local, order):
    local.service.act(local.rows()[0]["ref"], CELL, "closed", reason="cell")
    text = page_text(client, order)
    assert "Votre demande est close depuis le" in text and "On ne m'a pas rappelé" not in text
    assert post(client, order, action="plus-besoin").status == 410


def test_no_longer_needed_closes_the_request_and_is_counted(client, local, order):
    ref = local.rows()[0]["ref"]
    done = post(client, order, action="plus-besoin")
    assert done.status == 200 and "votre demande est close" in plain(done.text)
    record = local.store.get(ref)
    assert (record["state"], record["close_reason"]) == ("closed", "no_longer_needed")
    assert local.store.trail(ref)[-1].actor == "household"
    assert "Vous avez indiqué ne plus avoir besoin d'aide le" in page_text(client, order)
    month = local_time(record["created_at"]).strftime("%Y-%m")
    figures = monthly_report(local.service, month)
    assert figures.region.no_longer_needed == 1 and figures.line("ai-libournais").no_longer_needed == 1
    sent = len(local.messages())
    jobs.tick(local.service, record["created_at"] + 7 * DAY)   # closed: no reminder, no escalation
    assert len(local.messages()) == sent and local.store.get(ref)["state"] == "closed"
    assert post(client, order, action="plus-besoin").status == 410


def test_not_called_sends_the_request_to_the_cell(client, local, order):
    ref = local.rows()[0]["ref"]
    done = post(client, order, action="pas-rappele")
    assert done.status == 200 and "la cellule régionale va vous rappeler" in plain(done.text)
    record = local.store.get(ref)
    assert record["state"] == "escalated" and record["escalations"] == ["household"]
    assert any(str(m["Subject"]).startswith("Fiche de liaison") for m in local.messages())
    again = post(client, order, action="pas-rappele")   # a second press: no second sheet
    assert again.status == 200 and local.store.get(ref)["escalations"] == ["household"]


def test_not_called_after_the_question_is_the_non_answer(client, local):
    client.post("/rappel", rappel_fields(suivi="oui"))
    jobs.tick(local.service, local.rows()[0]["created_at"] + 7 * DAY)
    question = status_link(local, "Avez-vous été recontacté")
    assert post(client, question, action="pas-rappele").status == 200
    record = local.rows()[0]
    assert record["followup_answer"] == "non" and "household" in record["escalations"]
    assert "Paul" not in page_text(client, question)


def test_the_link_expires_with_the_request(client, local, order):
    created = local.rows()[0]["created_at"]
    local.service.clock = lambda: created + 30 * DAY + 60
    before = local.rows()[0]
    for reply in (client.request("GET", order), post(client, order, action="plus-besoin")):
        assert reply.status == 410 and "Lien expiré" in plain(reply.text)
    assert local.rows()[0] == before


def test_forged_and_foreign_links_are_refused(client, local, order):
    """The signature covers the purpose and the reference: the link of one request opens no other, and no other
    signed link (« traitée », « oui ») opens a status page."""
    path, query = order.split("?")
    sig = urllib.parse.parse_qs(query)["sig"][0]
    assert client.request("GET", f"{path}?sig={sig[:-2]}xx").status == 403
    assert client.request("GET", path).status == 403
    client.post("/demande", demande_fields(email="autre@example.org", nom="Luc Durand"))
    other = next(r["ref"] for r in local.rows() if r["ref"] not in path)
    for reply in (client.request("GET", f"/ma-demande/{other}?{query}"),
                  post(client, f"/ma-demande/{other}?{query}", action="plus-besoin")):
        assert reply.status == 403 and "Lien non valide" in plain(reply.text)
    assert local.store.get(other)["state"] != "closed"
    handled = re.search(r"/traite/[^?]+\?(\S+)", bodies(local.messages()[0])[0]).group(1)
    assert client.request("GET", f"{path}?{handled}").status == 403
    assert client.request("GET", order.replace("/ma-demande/", "/traite/")).status == 403
    assert client.request("GET", order.replace("/ma-demande/", "/suivi/") + "&reponse=oui").status == 403
    assert post(client, order, action="tout-effacer").status == 403


def test_an_erased_request_is_not_found(client, local, order):
    assert local.service.erase("jeanne.martin@example.org") == 1
    reply = client.request("GET", order)
    assert reply.status == 404 and "Demande introuvable" in plain(reply.text)


def test_not_called_on_the_cells_own_callback_leaves_it_a_note(client, local):
    """A commune no association serves: the cell owes the call itself and is not escalated to itself; the
    household's word goes into the trail it reads."""
    assert client.post("/rappel", rappel_fields(association="aai", commune="33063")).status == 303
    link = status_link(local)
    text = page_text(client, link)
    assert "Elle a été transmise à" in text and "Bordeaux" in text
    assert post(client, link, action="pas-rappele").status == 200
    record, trail = local.rows()[0], local.store.trail(local.rows()[0]["ref"])
    assert record["state"] != "escalated" and not record.get("escalations")
    assert (trail[-1].kind, trail[-1].actor) == ("noted", "household")
