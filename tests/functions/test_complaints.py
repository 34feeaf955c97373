"""Complaints (issue 24) and the tracking of error reports (issue 27), over HTTP against the app: a complaint
with or without a reference reaches the association and AAI (SQLite + outbox, and DynamoDB + SES on moto), the
household is acknowledged by e-mail only at the address stored with its request, the cell gets the complaint
nobody answered in time (the clock moved, never slept), hostile input gets a French 4xx and sends nothing, the
outcome is recorded by the signed link and counted in the monthly report; an error report is tracked to
« corrigé »."""

from __future__ import annotations

import datetime
import re

import pytest
from support_functions import Local, aws_settings, bodies, demande_fields, functions_app, plain, ses_messages

from chalicelib.jobs import schedule as jobs

from chalicelib.web import links
from chalicelib.reports.followup import follow_up
from chalicelib.reports.formats import followup_text
from chalicelib.requests.enums import CaseStatus
from rules.dates import PARIS

AI, AI_E2M, CELL = "demandes@libournais.example.org", "contact@e2m.example.org", "cellule@aai-aquitaine.example.org"
HOUSEHOLD = "jeanne.martin@example.org"
TEXT = "Personne n'est venu mardi & l'intervenant « n'a pas rappelé »."


def at(*args) -> int:
    return int(datetime.datetime(*args, tzinfo=PARIS).timestamp())


MONDAY = at(2026, 11, 2, 10)


@pytest.fixture
def world(tmp_path):
    local = Local(tmp_path, rate_limit=3)
    local.service.clock = lambda: MONDAY
    functions_app.set_service(local.service)
    yield local
    functions_app.set_service(None)


def new_request(local) -> str:
    fields = {k: v if isinstance(v, list) else [v] for k, v in demande_fields(date_debut="2026-12-01").items()}
    return local.service.submit("demande", fields, "192.0.2.1").reference


def complaint(**changes) -> dict:
    fields = {"reference": "", "association": "", "commune": "", "nom": "Jeanne Martin", "telephone": "",
              "email": "", "reclamation": TEXT, "website": ""}
    fields.update(changes)
    return {k: v for k, v in fields.items() if v is not None}


def complaints_sent(local) -> list:
    return [m for m in local.messages() if str(m["X-AAI-Reference"]).startswith("REC-")]


def to(messages) -> list[str]:
    return sorted(a.addr_spec for m in messages for a in m["To"].addresses)


def link(message, path: str) -> str:
    return re.search(rf"https://api\.example\.org(/{path}\S+)", bodies(message)[0]).group(1)


def reference_in(page: str) -> str:
    return re.search(r"REC-\d{8}-[0-9A-Z]{6}", plain(page)).group(0)


def test_a_complaint_with_its_reference_reaches_the_ai_and_aai_and_the_stored_address_is_acknowledged(client, world):
    ref = new_request(world)
    reply = client.post("/reclamation", complaint(reference=ref.lower(), email="Jeanne.Martin@example.org"))
    assert reply.status == 200, reply.text
    page = plain(reply.text)
    assert "Votre réclamation a bien été reçue" in page and "e-mail de confirmation" in page
    case_ref = reference_in(reply.text)
    sent = complaints_sent(world)
    assert to(sent) == sorted([AI, CELL, HOUSEHOLD])
    for msg in sent:   # nothing the form carried in a header: the household's words stay in the body
        assert msg["Reply-To"] is None or str(msg["Reply-To"].addresses[0].addr_spec) == CELL
        assert "Jeanne" not in str(msg["Subject"]) or msg["To"].addresses[0].addr_spec != HOUSEHOLD
    to_ai = next(m for m in sent if m["To"].addresses[0].addr_spec == AI)
    text, html = bodies(to_ai)
    assert TEXT in text and ref in text and "adresse de la demande" in text
    assert "&amp; l&#x27;intervenant" in html and "/suite-donnee/" + case_ref in text
    ack = next(m for m in sent if m["To"].addresses[0].addr_spec == HOUSEHOLD)
    ack_text = bodies(ack)[0]
    assert case_ref in ack_text and ref in ack_text and "AI du Libournais" in ack_text
    assert "mardi" not in ack_text and "Jeanne" not in ack_text   # fixed text: nothing typed
    case = world.store.get_case(case_ref)
    assert case.association == "ai-libournais" and case.status is CaseStatus.OPEN
    assert case.recipients == ("ai-libournais", "aai") and case.due_at == at(2026, 11, 9, 10)   # 5 working days


def test_without_a_reference_the_commune_names_its_associations_and_the_page_acknowledges(client, world):
    reply = client.post("/reclamation", complaint(commune="saint-emilion", email="quelquun@example.net",
                                                  telephone="05 36 49 22 33"))
    assert reply.status == 200, reply.text
    assert "Notez cette référence" in plain(reply.text)
    sent = complaints_sent(world)
    assert to(sent) == sorted([AI, AI_E2M, CELL])   # the two AIs of Saint-Émilion and AAI, never the typed address
    assert "quelquun@example.net (non vérifiée)" in bodies(sent[0])[0]


def test_without_a_reference_the_association_chosen_or_aai_alone(client, world):
    assert client.post("/reclamation", complaint(association="ai-entre-deux-mers", telephone="0536492233")).status \
        == 200
    assert to(complaints_sent(world)) == sorted([AI_E2M, CELL])
    assert "aucune référence donnée" in bodies(complaints_sent(world)[0])[0]
    unknown = client.post("/reclamation", complaint(reference="AI-20261102-ZZZZZZ", association="ai-entre-deux-mers",
                                                    telephone="0536492233"))
    assert unknown.status == 200   # a wrong reference with the association named: never a dead end
    assert "AI-20261102-ZZZZZZ (référence introuvable)" in bodies(complaints_sent(world)[-1])[0]
    reply = client.post("/reclamation", complaint(commune="Commune inconnue", telephone="0536492233"))
    assert reply.status == 200 and to(complaints_sent(world)) == sorted([AI_E2M, AI_E2M, CELL, CELL, CELL])


def test_a_reference_with_another_address_is_not_acknowledged_by_email(client, world):
    ref = new_request(world)
    reply = client.post("/reclamation", complaint(reference=ref, email="voisin@example.net"))
    assert reply.status == 200 and "Notez cette référence" in plain(reply.text)
    assert to(complaints_sent(world)) == sorted([AI, CELL])


def test_the_signed_link_of_every_household_message_names_the_request(client, world):
    ref = new_request(world)
    ack = next(m for m in world.messages() if m["To"].addresses[0].addr_spec == HOUSEHOLD)
    path = link(ack, "reclamation")
    assert "sig=" in path and ref in path
    form = client.request("GET", path)
    assert form.status == 200 and 'name="sig"' in form.text and ref in form.text
    assert 'name="commune"' not in form.text   # the request is named: nothing else asked about it
    sig = re.search(r'name="sig" value="([^"]+)"', form.text).group(1)
    reply = client.post("/reclamation", complaint(reference=ref, sig=sig, telephone="05 36 49 12 34"))
    assert reply.status == 200, reply.text
    assert to(complaints_sent(world)) == sorted([AI, CELL, HOUSEHOLD])   # the link is the household's inbox
    status_page = client.request("GET", link(ack, "ma-demande"))
    assert "/reclamation?reference=" + ref in plain(status_page.text)


def test_a_forged_or_foreign_signature_is_only_a_typed_reference(client, world):
    ref = new_request(world)
    other = links.sign("test-secret", "status", ref, MONDAY + 86400)   # the status page's: another purpose
    reply = client.post("/reclamation", complaint(reference=ref, sig=other, telephone="05 36 49 12 34"))
    assert reply.status == 200
    assert to(complaints_sent(world)) == sorted([AI, CELL])   # no acknowledgement: nothing proves the inbox


HOSTILE = {
    "unknown reference alone": (complaint(reference="AI-20261102-ZZZZZZ", telephone="0536492233"), 400,
                                "Nous ne retrouvons pas cette référence"),
    "malformed reference": (complaint(reference="'; DROP TABLE", telephone="0536492233"), 400,
                            "n'a pas la bonne forme"),
    "nobody named": (complaint(telephone="0536492233"), 400, "nous ne saurions pas à qui transmettre"),
    "no way to answer": (complaint(association="ai-libournais"), 400, "Indiquez un numéro de téléphone"),
    "the network as an association": (complaint(association="aai", telephone="0536492233"), 400,
                                      "Choisissez l'association dans la liste"),
    "an html tag": (complaint(association="ai-libournais", telephone="0536492233",
                              reclamation="<script>alert(1)</script>"), 400, "balises HTML"),
    "too long": (complaint(association="ai-libournais", telephone="0536492233", reclamation="x" * 2001), 400,
                 "trop long"),
    "an unexpected field": (complaint(association="ai-libournais", telephone="0536492233", to="x@evil.example"), 400,
                            "champ inattendu"),
    "a header in the name": (complaint(association="ai-libournais", telephone="0536492233",
                                       nom="Jeanne\r\nBcc: x@evil.example"), 400, "tenir sur une seule ligne"),
    "twice the same field": (complaint(association=["ai-libournais", "ai-entre-deux-mers"], telephone="0536492233"),
                             400, "plusieurs fois"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_input_gets_a_french_4xx_and_sends_nothing(client, world, case):
    fields, status, words = HOSTILE[case]
    reply = client.post("/reclamation", fields)
    assert reply.status == status and words in plain(reply.text), plain(reply.text)[:2000]
    assert complaints_sent(world) == [] and world.store.cases_month("reclamation", "2026-11") == []


def test_the_transport_rules_of_the_forms_apply(client, world):
    fields = complaint(association="ai-libournais", telephone="0536492233")
    assert client.post("/reclamation", fields, headers={"Origin": "https://evil.example"}).status == 403
    refused = client.post("/reclamation", fields, as_json=True)
    assert refused.status == 415 and "application/x-www-form-urlencoded" in plain(refused.text)
    big = client.request("POST", "/reclamation", b"reclamation=" + b"x" * 70_000,
                         {"Content-Type": "application/x-www-form-urlencoded"})
    assert big.status == 413 and "trop volumineux" in plain(big.text)
    robot = client.post("/reclamation", {**fields, "website": "http://spam.example"})
    assert robot.status == 200 and "REC-" in robot.text   # a robot sees success…
    assert complaints_sent(world) == []                     # …and nothing is sent
    assert [client.post("/reclamation", fields).status for _ in range(4)] == [200, 200, 200, 429]
    assert "Réessayez dans une heure" in plain(client.post("/reclamation", fields).text)
    assert len(complaints_sent(world)) == 6


def test_the_form_works_without_javascript_and_gives_back_what_was_typed(client, world):
    page = client.request("GET", "/reclamation")
    assert page.status == 200
    text = plain(page.text)
    assert 'action="https://api.example.org/reclamation"' in text and 'name="website"' in text
    assert "AI du Libournais" in text and "Données personnelles" in text and "<script" not in page.text
    again = client.post("/reclamation", complaint(association="ai-libournais", reclamation="Mon texte à moi"))
    assert again.status == 400
    assert "Mon texte à moi" in plain(again.text) and 'value="ai-libournais" selected' in again.text
    assert 'aria-describedby="e-telephone"' in again.text


def test_an_ignored_complaint_escalates_to_the_cell_once(client, world):
    world.service.clock = lambda: at(2026, 11, 6, 16)   # a Friday: five working days end on Friday 13 (11th off)
    client.post("/reclamation", complaint(association="ai-libournais", telephone="0536492233"))
    case = world.store.cases_month("reclamation", "2026-11")[0]
    assert case.due_at == at(2026, 11, 16, 16)   # Mon 9, Tue 10, Thu 12, Fri 13, Mon 16: Armistice day skipped
    before = len(complaints_sent(world))
    assert jobs.tick(world.service, at(2026, 11, 16, 15)).get("complaints_escalated") is None
    assert jobs.tick(world.service, at(2026, 11, 16, 16, 15))["complaints_escalated"] == 1
    escalation = complaints_sent(world)[before:]
    assert to(escalation) == [CELL] and "Réclamation sans suite" in str(escalation[0]["Subject"])
    assert "AI du Libournais n'a rien indiqué" in plain(bodies(escalation[0])[0])
    assert world.store.get_case(case.ref).status is CaseStatus.ESCALATED
    assert jobs.tick(world.service, at(2026, 11, 17, 10)).get("complaints_escalated") is None
    assert len(complaints_sent(world)) == before + 1
    cell_path = link(escalation[0], "suite-donnee/")   # the cell's own link answers it
    sig = re.search(r"sig=([^&\s]+)", cell_path).group(1)
    from urllib.parse import unquote
    done = client.post(f"/suite-donnee/{case.ref}", {"sig": unquote(sig), "issue": "resolue", "note": "Rappelée."})
    assert done.status == 200 and world.store.get_case(case.ref).history[-1].actor == "cell:lien"


def test_an_answered_complaint_never_escalates(client, world):
    client.post("/reclamation", complaint(association="ai-libournais", telephone="0536492233"))
    to_ai = next(m for m in complaints_sent(world) if m["To"].addresses[0].addr_spec == AI)
    path = link(to_ai, "suite-donnee/")
    assert client.request("GET", path).status == 200
    ref, query = path.split("?", 1)
    from urllib.parse import parse_qs
    sig = parse_qs(query)["sig"][0]
    world.service.clock = lambda: at(2026, 11, 3, 9)
    assert client.post(ref, {"sig": sig, "issue": "resolue", "note": "Excuses faites."}).status == 200
    assert jobs.tick(world.service, at(2026, 11, 20, 10)).get("complaints_escalated") is None
    assert len(complaints_sent(world)) == 2


def test_the_outcome_page_shows_no_one_and_takes_one_outcome(client, world):
    client.post("/reclamation", complaint(association="ai-libournais", telephone="05 36 49 22 33"))
    case_ref = world.store.cases_month("reclamation", "2026-11")[0].ref
    to_ai = next(m for m in complaints_sent(world) if m["To"].addresses[0].addr_spec == AI)
    path = link(to_ai, "suite-donnee/")
    from urllib.parse import parse_qs
    sig = parse_qs(path.split("?", 1)[1])["sig"][0]
    page = client.request("GET", path)
    assert page.status == 200 and case_ref in page.text
    assert "Jeanne" not in page.text and "36 49 22 33" not in page.text and "mardi" not in page.text
    assert world.store.get_case(case_ref).status is CaseStatus.OPEN   # opening the link changes nothing
    wrong = client.post(f"/suite-donnee/{case_ref}", {"sig": sig, "issue": "gagne"})
    assert wrong.status == 400 and "Choisissez la suite donnée" in plain(wrong.text)
    assert client.post(f"/suite-donnee/{case_ref}", {"sig": sig, "issue": "non-fondee"}).status == 200
    again = client.post(f"/suite-donnee/{case_ref}", {"sig": sig, "issue": "resolue"})
    assert again.status == 409 and world.store.get_case(case_ref).outcome == "non-fondee"
    forged = client.post(f"/suite-donnee/{case_ref}", {"sig": sig[:-2] + "xx", "issue": "resolue"})
    assert forged.status == 403
    not_a_recipient = links.sign("test-secret", "case:outcome", case_ref, MONDAY + 86400, "ai-grand-perigueux")
    assert client.request("GET", f"/suite-donnee/{case_ref}?sig={not_a_recipient}").status == 403
    expired = links.sign("test-secret", "case:outcome", case_ref, MONDAY - 1, "ai-libournais")
    assert client.request("GET", f"/suite-donnee/{case_ref}?sig={expired}").status == 410


def test_complaints_and_error_reports_are_counted_in_the_monthly_report(client, world):
    client.post("/reclamation", complaint(association="ai-libournais", telephone="0536492233"))
    client.post("/reclamation", complaint(association="ai-entre-deux-mers", telephone="0536492233"))
    client.post("/erreur", {"page": "association/ai-libournais", "erreur": "Le numéro a changé.", "website": ""})
    cases = {c.association: c for c in world.store.cases_month("reclamation", "2026-11")}
    from chalicelib.complaints.cases import outcome_of, record_outcome
    libournais = cases["ai-libournais"]
    record_outcome(world.service, libournais, outcome_of(libournais, "resolue"), "", "ai:ai-libournais")
    jobs.tick(world.service, at(2026, 11, 20, 10))   # the other one escalates
    report = world.store.cases_month("erreur", "2026-11")[0]
    record_outcome(world.service, report, outcome_of(report, "corrige"), "", "cell:x")
    followup = follow_up(world.service, "2026-11", as_of=at(2026, 12, 1, 10), measure=False)
    region = plain(followup_text(followup, world.service.routing))
    assert ("Réclamations reçues : 2 (suite donnée : 1 — résolue avec la personne : 1, non fondée, expliquée à la "
            "personne : 0, sans solution possible : 0 ; en attente : 1 ; transmises à la cellule faute de réponse "
            "dans le délai : 1)") in region
    assert "Erreurs signalées sur le site : 1 (corrigé : 1, pas une erreur : 0, en attente : 0)" in region
    own = plain(followup_text(followup, world.service.routing, "ai-libournais"))
    assert "Réclamations reçues : 1 (suite donnée : 1" in own and "transmises à la cellule faute de réponse dans " \
        "le délai : 0)" in own


def test_an_error_report_is_tracked_to_corrected_by_the_ai_link(client, world):
    reply = client.post("/erreur", {"page": "association/ai-libournais", "erreur": "Les horaires ont changé.",
                                    "email": "", "website": ""})
    assert reply.status == 200
    sent = [m for m in world.messages() if str(m["X-AAI-Reference"]).startswith("ERR-")]
    ref = sent[0]["X-AAI-Reference"]
    assert world.store.get_case(ref).status is CaseStatus.OPEN
    to_ai = next(m for m in sent if m["To"].addresses[0].addr_spec == AI)
    text = bodies(to_ai)[0]
    assert "« corrigé » ou « pas une erreur »" in text
    path = link(to_ai, "suite-donnee/")
    page = client.request("GET", path)
    assert page.status == 200 and "Les horaires ont changé." in plain(page.text) and "Corrigé" in page.text
    from urllib.parse import parse_qs
    sig = parse_qs(path.split("?", 1)[1])["sig"][0]
    assert client.post(f"/suite-donnee/{ref}", {"sig": sig, "issue": "corrige", "note": "Fiche à jour."}).status == 200
    case = world.store.get_case(ref)
    assert case.status is CaseStatus.CLOSED and case.outcome == "corrige"
    assert case.history[-1].actor == "ai:ai-libournais" and case.history[-1].note == "Fiche à jour."


def test_on_aws_a_complaint_with_its_reference_reaches_the_ai_and_aai(client, aws, aws_env):
    aws.clock = lambda: MONDAY
    ref = aws.submit("demande", {k: v if isinstance(v, list) else [v]
                                 for k, v in demande_fields(date_debut="2026-12-01").items()}, "192.0.2.1").reference
    reply = client.post("/reclamation", complaint(reference=ref, email=HOUSEHOLD))
    assert reply.status == 200, reply.text
    case_ref = reference_in(reply.text)
    sent = [m for m in ses_messages(aws_env) if m["X-AAI-Reference"] == case_ref]
    assert to(sent) == sorted([AI, CELL, HOUSEHOLD])
    assert aws.store.get_case(case_ref).recipients == ("ai-libournais", "aai")
    assert [c.ref for c in aws.store.cases_due(MONDAY + 30 * 86400)] == [case_ref]
    assert aws_settings().store == "dynamodb"


def test_the_acknowledgement_carries_nothing_typed_even_through_the_signed_link(client, world):
    """The verified address still gets fixed text only: a lure typed in the form never reaches an inbox from us."""
    lure = "Payez les frais sur www.evil.example"
    ref = new_request(world)
    ack = next(m for m in world.messages() if m["To"].addresses[0].addr_spec == HOUSEHOLD)
    sig = re.search(r'name="sig" value="([^"]+)"', client.request("GET", link(ack, "reclamation")).text).group(1)
    reply = client.post("/reclamation", complaint(reference=ref, sig=sig, nom="Payez les frais", email="a@example.net",
                                                  reclamation=lure))
    assert reply.status == 200
    to_household = [m for m in complaints_sent(world) if m["To"].addresses[0].addr_spec == HOUSEHOLD]
    assert len(to_household) == 1 and "a@example.net" not in to(complaints_sent(world))
    raw = to_household[0].as_string()
    assert "evil" not in raw and "Payez" not in raw and "Payez" not in plain(bodies(to_household[0])[1])


def test_the_follow_up_question_and_the_rerouting_message_carry_the_complaint_link(world):
    from chalicelib.requests import actions
    from chalicelib.mail import notices
    from chalicelib.complaints.household import complaint_url
    ref = new_request(world)
    record = world.store.get(ref)
    url = complaint_url(world.service, record)
    question = notices.followup_question(record, world.service.routing, "https://api.example.org/suivi/x",
                                         "https://api.example.org/suivi/y", "", url)
    assert url in bodies(question)[0] and "Faire une réclamation" in bodies(question)[1]
    actions.tell_household(world.service, record)
    told = world.messages()[-1]
    assert "une autre association" in str(told["Subject"]) and url in bodies(told)[0]
    assert url.startswith("https://api.example.org/reclamation?reference=" + ref + "&sig=")


def test_the_form_is_posted_with_its_own_origin(client, world):
    """Under « no-referrer » a browser posts « Origin: null », which the origin check refuses: the form's pages
    say « same-origin », and the functions' own origin is accepted."""
    page = client.request("GET", "/reclamation")
    assert page.headers["referrer-policy"] == "same-origin"
    fields = complaint(association="ai-libournais", telephone="0536492233")
    reply = client.post("/reclamation", fields, headers={"Origin": "https://api.example.org"})
    assert reply.status == 200 and reply.headers["referrer-policy"] == "same-origin"
    assert client.post("/reclamation", fields, headers={"Origin": "null"}).status == 403


def test_every_new_page_is_valid_html(client, world, tmp_path):
    """The public form (empty, with errors, from a signed link), its thank-you page, the « suite donnée » page
    (with an error, then done), and the back office's list and case pages, through the W3C Nu HTML checker."""
    from support_backoffice import AI_A, OPERATOR, sign_in
    from support_html import pages_errors
    ref = new_request(world)
    ack = next(m for m in world.messages() if m["To"].addresses[0].addr_spec == HOUSEHOLD)
    saved = {"form": client.request("GET", "/reclamation").text,
             "form-errors": client.post("/reclamation", complaint(nom="")).text,
             "form-signed": client.request("GET", link(ack, "reclamation")).text,
             "thanks": client.post("/reclamation", complaint(association="ai-libournais", telephone="0536492233")).text}
    to_ai = next(m for m in complaints_sent(world) if m["To"].addresses[0].addr_spec == AI)
    path = link(to_ai, "suite-donnee/")
    from urllib.parse import parse_qs
    sig = parse_qs(path.split("?", 1)[1])["sig"][0]
    case_ref = path.split("?")[0].rsplit("/", 1)[1]
    saved["outcome"] = client.request("GET", path).text
    saved["outcome-errors"] = client.post(f"/suite-donnee/{case_ref}", {"sig": sig, "note": "<b>"}).text
    saved["outcome-done"] = client.post(f"/suite-donnee/{case_ref}", {"sig": sig, "issue": "resolue"}).text
    client.post("/erreur", {"page": "association/ai-libournais", "erreur": "Horaires faux.", "website": ""})
    report = world.store.cases_month("erreur", "2026-11")[0].ref
    for who, address in (("ai", AI_A), ("cell", OPERATOR)):
        browser = sign_in(client, world, address)
        saved[f"{who}-list"] = browser.get("/espace/suites").text
        saved[f"{who}-case"] = browser.get(f"/espace/suites/{report}").text
        saved[f"{who}-complaint"] = browser.get(f"/espace/suites/{case_ref}").text
    assert ref in saved["form-signed"] and case_ref in saved["cell-list"] and "Horaires faux." in saved["ai-case"]
    folder = tmp_path / "pages"
    folder.mkdir()
    assert pages_errors(saved, folder) == ""


def test_the_right_to_erasure_takes_the_complaints_too(client, world):
    client.post("/reclamation", complaint(association="ai-libournais", telephone="05 36 49 22 33",
                                          email="Odette@Example.org"))
    client.post("/erreur", {"page": "association/ai-libournais", "erreur": "Horaires faux.",
                            "email": "odette@example.org", "website": ""})
    client.post("/reclamation", complaint(association="ai-libournais", telephone="05 36 49 99 99"))
    assert world.service.erase("05 36 49 22 33") == 0   # no request, and its complaint is gone all the same
    left = world.store.cases_month("reclamation", "2026-11")
    assert [c.details["telephone"] for c in left] == ["05 36 49 99 99"]
    world.service.erase("odette@example.org")
    assert world.store.cases_month("erreur", "2026-11") == []


def test_the_site_s_link_chooses_the_association_and_an_unknown_one_chooses_nothing(client, world):
    """« Faire une réclamation » on an association's page of the site: /reclamation?association=<id>."""
    chosen = client.request("GET", "/reclamation?association=ai-libournais")
    assert chosen.status == 200 and 'value="ai-libournais" selected' in chosen.text
    assert chosen.text.count(" selected") == 1
    for query in ("?association=ai-inconnue", "?association=%22%3E%3Cscript%3E", ""):
        page = client.request("GET", f"/reclamation{query}")
        assert page.status == 200 and " selected" not in page.text and "<script>" not in page.text, query
