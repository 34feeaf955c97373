"""An association's requests and the cell's console over HTTP: every detail of a request with its trail and who
read it; handled with an outcome, a note, « pas pour nous » back to the cell, re-routing to another association;
the lists by month and state; the queue; the CSV export. Every read and every action is written down."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from support_backoffice import AI_A, AI_B, OPERATOR, sign_in
from support_functions import Local, bodies, demande_fields, functions_app, plain, rappel_fields

from chalicelib.jobs import schedule as jobs
from chalicelib.requests import lifecycle
from chalicelib.reports.request_figures import monthly_report

NOV_2 = 1793610000        # Monday 2 November 2026, 10:00 in Paris
START = "2026-12-01"      # the household's start date, in the future of that instant
HOUR, DAY = 3600, 86400
ENTRE_DEUX_MERS = "ai-entre-deux-mers"


@pytest.fixture
def local(tmp_path):
    backends = Local(tmp_path, rate_limit=1000)
    backends.service.clock = lambda: NOV_2
    functions_app.set_service(backends.service)
    yield backends
    functions_app.set_service(None)


def words(html: str) -> str:
    """A page's text as one line of words, tags removed."""
    return " ".join(plain(re.sub(r"<[^>]+>", " ", html)).split())


def at(local, instant: int) -> None:
    local.service.clock = lambda: instant


@pytest.fixture
def order(client, local) -> str:
    """Jeanne Martin's order for AI du Libournais, Saint-Émilion, sent through the site's form."""
    assert client.post("/demande", demande_fields(suivi="oui", date_debut=START)).status == 303
    return local.rows()[-1]["ref"]


def test_the_request_page_shows_every_detail_its_trail_and_who_read_it(client, local, order):
    ai = sign_in(client, local, AI_A)
    page = ai.get(f"/espace/demandes/{order}")
    text = plain(page.text)
    assert page.status == 200
    for expected in ("Jeanne Martin", "4 rue Guadet", "Saint-Émilion (33330)", "Ménage, Jardinage",
                     "Taille de la haie (« 20 m »)", "La mairie ou le CCAS", "Formulaire du site",
                     "Remise à l'association", "Demande reçue", "E-mail envoyé à l'association", "La personne"):
        assert expected in text, expected
    assert '<a href="tel:+33536491234">05 36 49 12 34</a>' in page.text
    assert '<a href="mailto:jeanne.martin@example.org">' in page.text
    assert "Ménage du salon &amp; de la cuisine." in page.text      # escaped, never raw
    reads = local.store.read_log(order)
    assert [(r.actor, r.what) for r in reads] == [("ai:ai-libournais", "list"),   # the home page after sign-in
                                                  ("ai:ai-libournais", "page")]
    assert "Fiche consultée" in plain(ai.get(f"/espace/demandes/{order}").text)


def test_the_association_marks_it_handled_with_its_outcome(client, local, order):
    ai = sign_in(client, local, AI_A)
    missing = ai.post(f"/espace/demandes/{order}/traitee", {"resultat": "sans-suite"})
    assert missing.status == 400
    assert '<a href="#f-motif">Choisissez le motif' in missing.text and 'value="sans-suite" checked' in missing.text
    assert not local.store.get(order).get("handled_at")
    at(local, NOV_2 + HOUR)
    done = ai.post(f"/espace/demandes/{order}/traitee", {"resultat": "sans-suite", "motif": "tarif"})
    assert done.status == 303 and done.headers["location"] == f"/espace/demandes/{order}?fait=traitee"
    record = local.store.get(order)
    assert (record["state"], record["outcome"], record["outcome_reason"]) == ("handled", "sans-suite", "tarif")
    assert record["handled_by"] == "ai:ai-libournais" and record["handled_at"] == NOV_2 + HOUR
    shown = ai.get(done.headers["location"])
    assert re.search(r'<div class="done" role="status" tabindex="-1" autofocus><p>Le résultat est enregistré',
                     shown.text)
    assert "Corriger le résultat" in shown.text
    trail = local.service.trail(order)
    assert (trail[-1].kind, trail[-1].actor, trail[-1].details["outcome"]) == ("handled", "ai:ai-libournais",
                                                                            "sans-suite")


def test_a_page_shown_again_with_its_errors_is_a_read_too(client, local, order):
    ai = sign_in(client, local, AI_A)
    before = local.store.read_log(order)
    at(local, NOV_2 + 60)
    wrong = ai.post(f"/espace/demandes/{order}/traitee", {"resultat": "peut-etre"})
    assert wrong.status == 400 and "Jeanne Martin" in wrong.text          # the person's data, shown again
    after = local.store.read_log(order)
    assert len(after) == len(before) + 1
    assert (after[-1].at, after[-1].actor, after[-1].what) == (NOV_2 + 60, "ai:ai-libournais", "page")
    ai.post(f"/espace/demandes/{order}/pas-pour-nous", {})
    at(local, NOV_2 + 120)
    closed = ai.post(f"/espace/demandes/{order}/pas-pour-nous", {})        # no longer possible: 409, shown
    assert closed.status == 409 and "Jeanne Martin" in closed.text
    assert (NOV_2 + 120, "ai:ai-libournais", "page") in [(r.at, r.actor, r.what)
                                                          for r in local.store.read_log(order)]


def test_the_cell_records_an_outcome_in_its_own_name(client, local, order):
    cell = sign_in(client, local, OPERATOR)
    assert cell.post(f"/espace/demandes/{order}/traitee", {"resultat": "client"}).status == 303
    assert local.store.get(order)["handled_by"] == f"cell:{OPERATOR}"
    assert "Claire Duboscq (cellule régionale)" in plain(cell.get(f"/espace/demandes/{order}").text)


def test_back_office_dates_are_asked_and_read_as_a_french_browser_shows_them(client, local, order):
    ai = sign_in(client, local, AI_A)
    page = ai.get(f"/espace/demandes/{order}").text
    assert "AAAA-MM-JJ" not in page and page.count("jj/mm/aaaa") >= 2          # the note's and the outcome's
    assert ai.post(f"/espace/demandes/{order}/note", {"note": "Rappel prévu.", "rappel_prevu": "10/11/2026"}
                   ).status == 303
    assert local.store.get(order)["callback_on"] == "2026-11-10"
    assert ai.post(f"/espace/demandes/{order}/traitee", {"resultat": "client",
                                                          "premiere_intervention": "16/11/2026"}).status == 303
    assert local.store.get(order)["first_visit"] == "2026-11-16"


def test_a_note_goes_to_the_trail_and_postpones_nothing(client, local, order):
    ai = sign_in(client, local, AI_A)
    before = local.store.get(order)
    empty = ai.post(f"/espace/demandes/{order}/note", {"note": "  "})
    assert empty.status == 400 and '<a href="#f-note">' in empty.text
    past = ai.post(f"/espace/demandes/{order}/note", {"note": "Message laissé.", "rappel_prevu": "2026-10-01"})
    assert past.status == 400 and 'id="f-rappel_prevu-erreur"' in past.text
    assert ai.post(f"/espace/demandes/{order}/note", {"note": "Message laissé.\nRappel jeudi.",
                                                      "rappel_prevu": "2026-11-05"}).status == 303
    after = local.store.get(order)
    assert after["callback_on"] == "2026-11-05" and (after["due_at"], after["due"]) == (before["due_at"], before["due"])
    event = local.service.trail(order)[-1]
    assert (event.kind, event.details) == ("noted", {"text": "Message laissé.\nRappel jeudi.",
                                                     "callback_on": "2026-11-05"})
    assert "Note ajoutée : « Message laissé." in plain(ai.get(f"/espace/demandes/{order}").text)


def test_pas_pour_nous_hands_the_request_back_to_the_cell(client, local, order):
    ai = sign_in(client, local, AI_A)
    sent = len(local.messages())
    reply = ai.post(f"/espace/demandes/{order}/pas-pour-nous", {"pourquoi": "Pas de jardinage en décembre."})
    assert reply.status == 303
    record = local.store.get(order)
    assert (record["state"], record["escalation"]) == ("escalated", "not_ours")
    [sheet] = local.messages()[sent:]                      # the liaison sheet, and no copy to the AI
    assert sheet["To"].addresses[0].addr_spec == "cellule@aai-aquitaine.example.org"
    text = plain(bodies(sheet)[0])
    assert "n'est pas pour elle" in text and "Pas de jardinage en décembre." in text
    assert f"https://api.example.org/espace/demandes/{order}" in text
    assert [r["ref"] for r in local.service.queue()] == [order]
    again = ai.post(f"/espace/demandes/{order}/pas-pour-nous", {})
    assert again.status == 409 and "Cette action n'est plus possible" in plain(again.text)
    assert "Rendre la demande à la cellule" not in ai.get(f"/espace/demandes/{order}").text


def test_the_cell_reroutes_and_the_other_association_receives_it_like_a_site_request(client, local, order):
    ai = sign_in(client, local, AI_A)
    ai.post(f"/espace/demandes/{order}/pas-pour-nous", {})
    cell = sign_in(client, local, OPERATOR)
    page = cell.get(f"/espace/demandes/{order}")
    # the other association serving Saint-Émilion first, pre-selected, with its distance; then the others
    assert re.search(r'<optgroup label="Desservent la commune"><option value="ai-entre-deux-mers" selected>'
                     r'Entre-deux-Mers Services \(à\xa0\d+\xa0km\)</option></optgroup>', page.text)
    assert page.text.count(" selected>") == 1
    assert cell.post(f"/espace/demandes/{order}/reorienter", {"association": "ai-libournais"}).status == 400
    at(local, NOV_2 + 2 * HOUR)
    sent = len(local.messages())
    assert cell.post(f"/espace/demandes/{order}/reorienter", {"association": ENTRE_DEUX_MERS}).status == 303
    record = local.store.get(order)
    assert (record["association"], record["state"], record["routed_at"]) == (ENTRE_DEUX_MERS, "delivered",
                                                                             NOV_2 + 2 * HOUR)
    assert record["previous_associations"] == ["ai-libournais"] and record["past_escalations"] == ["not_ours"]
    message, household = local.messages()[sent:]
    assert message["To"].addresses[0].addr_spec == "contact@e2m.example.org"
    text = plain(bodies(message)[0])
    assert "qu'elle a réorientée vers Entre-deux-Mers Services" in text and "Jeanne Martin" in text
    assert "/traite/" in text
    # the household is told who will call now, at the address its acknowledgement went to, nothing it typed
    assert household["To"].addresses[0].addr_spec == "jeanne.martin@example.org"
    assert household["Reply-To"].addresses[0].addr_spec == "contact@e2m.example.org"
    told = plain(bodies(household)[0])
    assert "une autre association va vous rappeler" in plain(str(household["Subject"]))
    assert "Entre-deux-Mers Services" in told and "05 36 49 10 02" in told and order in told
    assert "Jeanne" not in told and "Guadet" not in told and "AI du Libournais" not in told
    # its clock starts at the re-routing: the reminder one working day later, not at once
    assert record["due"] == "reminder" and record["due_at"] == lifecycle.working_deadline(NOV_2 + 2 * HOUR, 1)
    assert ai.get(f"/espace/demandes/{order}").status == 404           # no longer Libournais's
    e2m = sign_in(client, local, "contact@e2m.example.org")
    assert e2m.get(f"/espace/demandes/{order}").status == 200
    assert "Réorientée vers une autre association par la cellule : d'AI du Libournais à Entre-deux-Mers " \
           "Services" in plain(e2m.get(f"/espace/demandes/{order}").text)
    report = monthly_report(local.service, "2026-11")
    line = report.line(ENTRE_DEUX_MERS)   # « pas pour nous » was Libournais's: each event for who held it then
    assert (line.received, line.rerouted, line.escalations["not_ours"]) == (1, 1, 0)
    assert report.line("ai-libournais").escalations["not_ours"] == 1


def test_a_household_without_an_acknowledged_address_is_not_written_to_on_rerouting(client, local):
    assert client.post("/demande", demande_fields(email=None, date_debut=START)).status == 303
    ref = local.rows()[-1]["ref"]
    sign_in(client, local, AI_A).post(f"/espace/demandes/{ref}/pas-pour-nous", {})
    sent = len(local.messages())
    assert sign_in(client, local, OPERATOR).post(f"/espace/demandes/{ref}/reorienter",
                                                 {"association": ENTRE_DEUX_MERS}).status == 303
    [only] = local.messages()[sent:]
    assert only["To"].addresses[0].addr_spec == "contact@e2m.example.org"


def test_rerouting_from_an_uncovered_commune_offers_the_nearest_associations_first(client, local):
    assert client.post("/rappel", rappel_fields(association="aai", commune="33063")).status == 303   # Bordeaux
    ref = local.rows()[-1]["ref"]
    page = sign_in(client, local, OPERATOR).get(f"/espace/demandes/{ref}").text
    select = page.split('id="f-association"', 1)[1].split("</select>", 1)[0]
    assert "Desservent la commune" not in select
    assert re.findall(r'<option value="(ai-[^"]+)"', select) == [ENTRE_DEUX_MERS, "ai-libournais",
                                                                 "ai-grand-perigueux"]      # not A–Z
    assert f'<option value="{ENTRE_DEUX_MERS}" selected>' in select and select.count(" selected>") == 1


def test_rerouting_to_an_association_that_does_not_exist_changes_nothing(client, local, order):
    sign_in(client, local, AI_A).post(f"/espace/demandes/{order}/pas-pour-nous", {})
    cell = sign_in(client, local, OPERATOR)
    before, sent = local.store.get(order), len(local.messages())
    for unknown in ("ai-inconnue", "aai", "", "ai-libournais<script>"):
        reply = cell.post(f"/espace/demandes/{order}/reorienter", {"association": unknown})
        assert reply.status == 400, unknown
        assert ('<a href="#f-association">Choisissez l\'association vers laquelle réorienter la demande.</a>'
                in plain(reply.text))
    assert local.store.get(order) == before and len(local.messages()) == sent
    assert [e.kind for e in local.service.trail(order)].count("rerouted") == 0


NASTY = "Tarif < 20 € & \"vite\" d'après elle > rien"


def test_what_people_typed_is_escaped_in_the_trail_and_in_the_lists(client, local, order):
    ai = sign_in(client, local, AI_A)
    assert ai.post(f"/espace/demandes/{order}/note", {"note": NASTY}).status == 303
    page = ai.get(f"/espace/demandes/{order}").text
    assert "Tarif &lt; 20 € &amp; &#34;vite&#34; d’après elle &gt; rien" in page and NASTY not in page
    # a name with every character HTML cares about (the site's forms refuse < > ", a request stored otherwise may not)
    record, event = lifecycle.new_request(
        ref="AI-20261102-ZZZZZZ", idem_key="nasty", kind="rappel", association="ai-libournais", created_at=NOV_2,
        retention_days=365, data={"nom": "Zoé \"<&>\" d'Arc", "commune": "33394"}, email=None,
        phone="+33536491234", policy=local.service.policy)
    local.store.put_new(record, event)
    escaped = "Zoé &#34;&lt;&amp;&gt;&#34; d&#39;Arc"
    for path in ("/espace/", "/espace/demandes", "/espace/demandes?etat=a-traiter"):
        text = ai.get(path).text
        assert escaped in text and "<&>" not in text, path
    local.service.act(record["ref"], lifecycle.actor("cell", OPERATOR), "escalated", reason="deadline")
    cell = sign_in(client, local, OPERATOR)
    for path in ("/espace/", "/espace/file", "/espace/demandes"):
        text = cell.get(path).text
        assert escaped in text and "<&>" not in text, path


def test_lists_by_month_and_state(client, local, order):
    ai = sign_in(client, local, AI_A)
    first = ai.get("/espace/demandes?etat=a-traiter")
    assert order in first.text and "À traiter (1)" in plain(first.text)
    assert order not in ai.get("/espace/demandes?etat=en-retard").text
    at(local, NOV_2 + 3 * DAY)                       # past the charter's 48 working hours (and the session)
    ai = sign_in(client, local, AI_A)
    late = ai.get("/espace/demandes?etat=en-retard")
    assert order in late.text and "En retard" in late.text
    ai.post(f"/espace/demandes/{order}/traitee", {"resultat": "client"})
    assert order in ai.get("/espace/demandes?etat=traitees").text
    assert order not in ai.get("/espace/demandes?etat=a-traiter").text
    assert order not in ai.get("/espace/demandes?mois=2026-10").text
    assert "Mois suivant" in ai.get("/espace/demandes?mois=2026-10").text
    for wrong in ("?mois=2026-12", "?mois=2026-13", "?mois=nov", "?etat=toutes-les-demandes"):
        assert ai.get(f"/espace/demandes{wrong}").status == 400, wrong
    assert all(r.what in ("list", "page") for r in local.store.read_log(order))


def test_the_cell_sees_the_region_and_filters_by_association(client, local, order):
    client.post("/rappel", rappel_fields())
    other = local.rows()[-1]["ref"]
    cell = sign_in(client, local, OPERATOR)
    region = cell.get("/espace/demandes")
    assert order in region.text and other in region.text and "<th scope=\"col\">Association</th>" in region.text
    only = cell.get("/espace/demandes?association=ai-grand-perigueux")
    assert other in only.text and order not in only.text
    assert cell.get("/espace/demandes?association=ai-inconnue").status == 404


def test_the_queue_shows_what_needs_a_call_with_the_phone_to_call(client, local, order):
    jobs.tick(local.service, NOV_2 + 3 * DAY)       # the charter's deadline passes: escalated
    cell = sign_in(client, local, OPERATOR)
    queue = cell.get("/espace/file")
    assert order in queue.text and '<a href="tel:+33536491234">05 36 49 12 34</a>' in queue.text
    assert "Pas de réponse dans le délai de la charte" in plain(queue.text)
    home = cell.get("/espace/")
    assert order in home.text and "1 demande dans la file" in words(home.text)
    assert ("cell:" + OPERATOR, "queue") in [(r.actor, r.what) for r in local.store.read_log(order)]


def test_the_cells_lists_show_when_the_person_can_be_called_without_opening_the_request(client, local):
    assert client.post("/rappel", rappel_fields()).status == 303                  # Lundi matin, Mercredi soir
    late = local.rows()[-1]["ref"]
    assert client.post("/rappel", rappel_fields(association="aai", commune="33063", nom="Lucie Brun",
                                                disponibilites=["vendredi-apres-midi"])).status == 303
    own = local.rows()[-1]["ref"]
    jobs.tick(local.service, NOV_2 + 3 * DAY)                                     # the first is escalated
    cell = sign_in(client, local, OPERATOR)
    queue = cell.get("/espace/file").text
    assert '<th scope="col">Disponibilités</th>' in queue
    [line] = re.findall(rf'<tr><th scope="row"><a href="[^"]+">{late}</a>(.*?)</tr>', queue, re.S)
    assert "<td>Lundi matin, Mercredi soir</td>" in line
    home = cell.get("/espace/").text
    [mine] = re.findall(rf'<tr><th scope="row"><a href="[^"]+">{own}</a>(.*?)</tr>', home, re.S)
    assert "<td>Vendredi après-midi</td>" in mine


def _bounce(ref_message_id: str) -> dict:
    """An SNS notification to the mail-events handler, in the Lambda format, carrying an SES permanent bounce
    (as tests/functions/test_mail_events.py publishes it through moto)."""
    bounce = {"eventType": "Bounce", "mail": {"messageId": ref_message_id, "destination": [AI_B]},
              "bounce": {"bounceType": "Permanent", "bounceSubType": "General", "timestamp": "2026-11-02T09:00:02Z",
                         "bouncedRecipients": [{"emailAddress": AI_B, "status": "5.1.1",
                                                "diagnosticCode": "smtp; 550 5.1.1 user unknown"}]}}
    return {"Records": [{"EventSource": "aws:sns", "EventVersion": "1.0", "EventSubscriptionArn": "arn:x",
                         "Sns": {"Type": "Notification", "Message": json.dumps(bounce), "Subject": None,
                                 "MessageAttributes": {}, "TopicArn": "arn:aws:sns:eu-west-3:1:aai-mail-events"}}]}


def test_the_queue_lists_a_bounce_and_a_households_no_with_their_reason_and_the_phone(client, local, order):
    assert client.post("/rappel", rappel_fields()).status == 303     # Paul Dubreuil, for the Grand Périgueux
    bounced = local.rows()[-1]["ref"]
    sent = next(e.details["message_id"] for e in local.service.trail(bounced) if e.kind == "sent")
    assert functions_app.mail_event(_bounce(sent), None) == "escalated"

    ai = sign_in(client, local, AI_A)                    # Jeanne Martin's order is handled, then she says « non »
    assert ai.post(f"/espace/demandes/{order}/traitee", {"resultat": "client"}).status == 303
    jobs.tick(local.service, NOV_2 + 3 * DAY)
    question = next(m for m in local.messages() if "Avez-vous été recontacté" in str(m["Subject"]))
    [no] = [u for u in re.findall(r"https://api\.example\.org(/suivi/\S+)", bodies(question)[0]) if "reponse=non" in u]
    assert client.request("GET", no).status == 200
    path, query = no.split("?", 1)
    assert client.request("POST", path, query.encode(), {"Content-Type": "application/x-www-form-urlencoded"}
                          ).status == 200
    assert local.store.get(order)["escalation"] == "household"

    cell = sign_in(client, local, OPERATOR)
    queue = cell.get("/espace/file")
    assert queue.status == 200
    rows = dict(re.findall(r'<tr><th scope="row"><a href="[^"]+">(AI-[^<]+)</a>(.*?)</tr>', queue.text, re.S))
    assert set(rows) == {bounced, order}
    assert "L'adresse de l'association refuse les messages" in words(rows[bounced])      # the reason, in French
    assert '<a href="tel:+33612345678">06 12 34 56 78</a>' in rows[bounced]             # the phone to call
    assert "La personne dit ne pas avoir été recontactée" in words(rows[order])
    assert '<a href="tel:+33536491234">05 36 49 12 34</a>' in rows[order]


def test_a_closed_request_offers_no_action(client, local, order):
    jobs.tick(local.service, NOV_2 + 31 * DAY)
    at(local, NOV_2 + 31 * DAY)
    ai = sign_in(client, local, AI_A)
    page = ai.get(f"/espace/demandes/{order}")
    assert page.status == 200 and "Close" in page.text and 'action="/espace/demandes/' not in page.text
    assert ai.post(f"/espace/demandes/{order}/traitee", {"resultat": "client"}).status == 409
    assert ai.post(f"/espace/demandes/{order}/note", {"note": "x"}).status == 409


def test_the_csv_export_holds_the_associations_own_requests_and_runs_no_formula(client, local, order):
    client.post("/demande", demande_fields(date_debut=START, description="=HYPERLINK(\"https://evil.example\";\"x\")",
                                           nom="Lucie Rey"))
    client.post("/rappel", rappel_fields())          # another association's
    ai = sign_in(client, local, AI_A)
    reply = ai.get("/espace/export?mois=2026-11")
    assert reply.status == 200 and reply.headers["content-type"] == "text/csv; charset=utf-8"
    assert reply.headers["content-disposition"] == 'attachment; filename="demandes-ai-libournais-2026-11.csv"'
    assert reply.text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(reply.text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["référence", "reçue le", "type"] and len(rows) == 3
    assert {row[5] for row in rows[1:]} == {"Jeanne Martin", "Lucie Rey"} and "Paul Dubreuil" not in reply.text
    formula = next(row for row in rows[1:] if row[5] == "Lucie Rey")
    assert formula[11].startswith("'=HYPERLINK")
    # Dates a spreadsheet sorts: ISO 8601, Paris time (the order was received at 10:00 on 2 November).
    assert {row[1] for row in rows[1:]} == {"2026-11-02 10:00"}
    assert "export" in [r.what for r in local.store.read_log(order)]
    [entry] = [e for e in local.store.journal(0, NOV_2 + DAY) if e.action == "export"]
    assert (entry.actor, entry.details) == ("ai:ai-libournais", {"month": "2026-11", "count": 2})


def test_the_csv_export_dates_are_iso_8601_and_sort_as_dates(client, local, order):
    at(local, NOV_2 + 3 * DAY + 5 * HOUR + 7 * 60)          # Thursday 5 November, 15:07
    local.service.act(order, lifecycle.actor("ai", "ai-libournais"), "handled", outcome="client")
    ai = sign_in(client, local, AI_A)
    rows = list(csv.reader(io.StringIO(ai.get("/espace/export?mois=2026-11").text.lstrip("\ufeff")), delimiter=";"))
    header, [row] = rows[0], rows[1:]
    received, handled = row[header.index("reçue le")], row[header.index("traitée le")]
    assert (received, handled) == ("2026-11-02 10:00", "2026-11-05 15:07")
    assert sorted([handled, received]) == [received, handled]


def test_the_dashboard_of_an_association_shows_what_is_open_and_late(client, local, order):
    b = sign_in(client, local, AI_B)
    assert order not in b.get("/espace/").text
    at(local, NOV_2 + 3 * DAY)
    ai = sign_in(client, local, AI_A)
    home = words(ai.get("/espace/").text)
    assert order in home and "1 à traiter" in home and "1 en retard" in home


def test_the_admin_command_shows_who_read_a_request_and_the_days_journal(client, local, order):
    import os
    import subprocess
    import sys

    from support_functions import FUNCTIONS
    sign_in(client, local, AI_A).get(f"/espace/demandes/{order}")
    env = {"AAI_SQLITE_PATH": local.settings.sqlite_path, "AAI_OUTBOX_DIR": local.settings.outbox_dir,
           "AAI_ROUTING": local.settings.routing, "AAI_SECRET": "test-secret", "PATH": os.environ["PATH"]}

    def admin(*args):
        return subprocess.run([sys.executable, "-m", "chalicelib.admin", *args], cwd=FUNCTIONS, env=env,
                              capture_output=True, text=True)

    trail = admin("trail", order)
    assert trail.returncode == 0 and "ai:ai-libournais · Fiche consultée" in trail.stdout
    journal = admin("journal", "2026-11-02")
    assert journal.returncode == 0
    assert [line.split(" · ", 2)[2] for line in journal.stdout.splitlines()] == [
        "Lien de connexion envoyé", "Connexion"]
    assert admin("journal", "le 2 novembre").returncode == 2
