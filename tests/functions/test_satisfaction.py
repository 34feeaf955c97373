"""Satisfaction after the first mission (issue 24, item 2): the questions sent once a few working days after the
first mission, one reminder at most, one click in the message answers the first question, the page takes the rest;
an unhappy answer reaches the association (« remplacer l'intervenant ») and the cell's queue; nothing goes to an
address nobody has seen work; the message cap holds; SMS where the household chose it, never at night; the figures.
Local backends (SQLite, outbox) served over HTTP, the clock moved, never slept."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import urllib.parse

from support_backoffice import OPERATOR, sign_in
from support_functions import bodies, plain
from test_mission import AI, HOUSEHOLD, THURSDAY, FRIDAY, World, at
from chalicelib.web import links
from chalicelib.reports.followup import follow_up
from chalicelib.reports.formats import followup_text, report_csv
from chalicelib.requests.enums import EventKind
from chalicelib.satisfaction import figures
from chalicelib.sms import short_links
from rules.sms import segments

CELL = "cellule@aai-aquitaine.example.org"
QUESTIONS = at(2027, 5, 21, 9, 5)       # the first mission on Tuesday 18 May, then three working days
REMINDER = at(2027, 5, 28, 9, 5)        # five working days without an answer


def client_with_first_mission(world: World, day: str = "18/05/2027", **changes) -> str:
    ref = world.submit(THURSDAY, **{"mode_contact": "telephone", **changes})
    handled = next(world.link(m, "traite") for m in world.messages() if "/traite/" + ref in bodies(m)[0])
    world.now(FRIDAY)
    reply = world.open_and_post(handled, resultat="client", premiere_intervention=day)
    assert reply.status == 200, reply.text
    return ref


def welcome_links(message) -> dict[str, str]:
    """The five one-click answers to the first question, by rating."""
    urls = re.findall(r"https://api\.example\.org(/avis/\S+)", bodies(message)[0])
    return {dict(urllib.parse.parse_qsl(u.split("?", 1)[1])).get("accueil", ""): u for u in urls}


def post(world: World, url: str, **fields):
    path, query = url.split("?", 1)
    sig = dict(urllib.parse.parse_qsl(query))["sig"]
    body = urllib.parse.urlencode({"sig": sig, **fields}).encode()
    return world.client.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})


def test_sent_once_reminded_once_answered_by_one_click_then_in_full(client, tmp_path):
    world = World(client, tmp_path)
    ref = client_with_first_mission(world)
    before = len(world.messages())
    for moment in (at(2027, 5, 18, 18), at(2027, 5, 20, 12), at(2027, 5, 21, 8, 50)):
        assert "satisfaction" not in world.tick(moment)
    assert world.tick(QUESTIONS) == {"satisfaction": 1}
    assert "satisfaction" not in world.tick(at(2027, 5, 24, 9, 20))
    assert len(world.messages()) == before + 1, "sent once"
    question = world.messages()[-1]
    assert world.recipients()[-1] == HOUSEHOLD
    text = plain(bodies(question)[0])
    assert "Votre avis sur Association intermédiaire du Grand Périgueux" in str(question["Subject"])
    assert "La qualité de l'accueil" in text and "Le suivi de la relation" in text and "18 mai 2027" in text
    assert "Paul Dubreuil" not in question.as_string() and "Rappelez-moi" not in question.as_string()
    choices = welcome_links(question)
    assert set(choices) == {"1", "2", "3", "4", "5", ""}

    for moment in (at(2027, 5, 27, 17), at(2027, 5, 28, 8, 55)):
        assert "satisfaction" not in world.tick(moment)
    assert world.tick(REMINDER) == {"satisfaction": 1}
    assert str(world.messages()[-1]["Subject"]).startswith("Rappel : Votre avis")
    for moment in (REMINDER + 900, at(2027, 6, 4, 10), at(2027, 6, 15, 10)):
        assert "satisfaction" not in world.tick(moment)
    assert len(world.messages()) == before + 2, "one reminder at most"

    # One click in the message: the page opens with « 4 » chosen — following the link records nothing (mail
    # scanners open every link) — and its one button records it.
    world.now(at(2027, 5, 28, 12))
    page = client.request("GET", choices["4"])
    assert page.status == 200 and 'id="f-accueil-4" name="accueil" value="4" checked' in page.text
    assert world.service.store.get(ref).satisfaction_welcome is None
    reply = post(world, choices["4"], accueil="4")
    assert reply.status == 200 and "Votre réponse est enregistrée" in plain(reply.text)
    assert 'name="suivi"' in reply.text and 'name="accueil"' not in reply.text, "only what is left is asked"
    record = world.service.store.get(ref)
    assert (record.satisfaction_welcome, record.satisfaction_relationship) == (4, None)

    # Then in full: the second question and a comment; a second click on the first question changes nothing.
    reply = post(world, choices[""], suivi="5", commentaire="Très bon contact, merci.")
    assert reply.status == 200 and "Votre avis est enregistré" in plain(reply.text)
    post(world, choices["1"], accueil="1")
    record = world.service.store.get(ref)
    assert (record.satisfaction_welcome, record.satisfaction_relationship) == (4, 5)
    assert record.satisfaction_comment == "Très bon contact, merci."
    assert record.state == "handled" and world.service.queue() == [], "a happy answer is not the cell's business"
    assert [e.kind for e in world.service.trail(ref)].count("satisfaction_answered") == 2


def test_an_unhappy_answer_reaches_the_association_and_the_cells_queue(client, tmp_path):
    world = World(client, tmp_path)
    ref = client_with_first_mission(world)
    world.tick(QUESTIONS)
    choices = welcome_links(world.messages()[-1])
    world.now(at(2027, 5, 24, 11))
    reply = post(world, choices["2"], accueil="2", commentaire="L'intervenant est arrivé très en retard.")
    assert reply.status == 200
    assert "Votre réponse est enregistrée" in plain(reply.text)
    follow_up, sheet = world.messages()[-2:]
    assert world.recipients()[-2:] == [AI, CELL]
    assert "remplacer l'intervenant" in plain(str(follow_up["Subject"]))
    text = plain(bodies(follow_up)[0])
    assert "2/5 – Peu satisfait" in text and "L'intervenant est arrivé très en retard." in text
    assert "Paul Dubreuil" in text and "/espace/demandes/" + ref in text
    assert "La personne n'est pas satisfaite de la première mission" in plain(str(sheet["Subject"]))
    record = world.service.store.get(ref)
    assert record.state == "escalated" and "unhappy" in record.escalations
    assert [r.ref for r in world.service.queue()] == [ref]
    browser = sign_in(client, world.local, OPERATOR)
    queue = browser.get("/espace/file")
    assert queue.status == 200 and ref in queue.text
    assert "La personne n'est pas satisfaite de la première mission" in plain(queue.text)
    # The rest of the answers later does not open a second follow-up.
    count = len(world.messages())
    post(world, choices[""], suivi="1")
    assert len(world.messages()) == count
    # The association's follow-up is also on its page of the request, with the 72 hours.
    page = plain(sign_in(client, world.local, AI).get(f"/espace/demandes/{ref}").text)
    assert "Satisfaction après la première mission" in page and "accueil 2/5 (Peu satisfait)" in page
    assert "suivi de la relation 1/5" in page and "L'intervenant est arrivé très en retard." in page
    assert "Intervenant sous 72 heures" in page and "première mission le 18 mai 2027 (dans le délai)" in page


def test_nothing_the_visitor_typed_reaches_the_household_and_bad_answers_are_refused_in_french(client, tmp_path):
    """The attack rules: the questions go to an address nobody verified — no name, no message, nothing typed;
    a forged rating, a comment too long or a broken signature is a French 4xx, never a 5xx."""
    lure = "Payez les frais sur www.evil.example"
    world = World(client, tmp_path)
    ref = client_with_first_mission(world, nom="Paul Evil", message=lure)
    world.tick(QUESTIONS)
    question = world.messages()[-1]
    assert "Votre avis" in str(question["Subject"])
    for typed in ("evil", "Payez", "Paul"):
        assert typed not in question.as_string() and typed not in plain(bodies(question)[1]), typed
    url = welcome_links(question)[""]
    world.now(at(2027, 5, 24, 11))
    for fields in ({"accueil": "9"}, {"accueil": "<script>"}, {"commentaire": "x" * 1001, "accueil": "4"}, {}):
        reply = post(world, url, **fields)
        assert reply.status == 400 and "Votre avis n'a pas pu être enregistré" in plain(reply.text), fields
    assert world.service.store.get(ref).satisfaction_answered_at is None
    assert client.request("GET", f"/avis/{ref}?sig=%C3%A9t%C3%A9").status == 403
    assert client.request("GET", "/avis/pas-une-reference?sig=1.x").status == 403
    assert client.request("POST", f"/avis/{ref}", b"\xff\xfe", {"Content-Type": "text/plain"}).status == 403


def test_never_to_an_address_nobody_has_seen_work_and_within_the_message_cap(client, tmp_path):
    world = World(client, tmp_path)
    no_written_channel = client_with_first_mission(world, email=None, telephone="05 36 49 12 34", nom="Anne Lafon")
    bounced = client_with_first_mission(world, nom="Marc Lafon")
    stored = world.service.store.get(bounced)
    world.service.change(stored, EventKind.MAIL_FAILED, "mail", failure="bounce", to="household")   # a bounce
    capped = client_with_first_mission(world, nom="Jean Lafon")
    world.service.policy = dataclasses.replace(world.service.policy, message_cap=2)   # AI's e-mail and the ack
    before = len(world.messages())
    world.tick(QUESTIONS)
    for ref in (no_written_channel, bounced):
        assert world.service.store.get(ref).satisfaction_sent_at is None
    assert world.service.store.get(capped).satisfaction_sent_at is not None
    assert HOUSEHOLD not in world.recipients()[before:], "past the cap, nothing leaves"
    assert "capped" in [e.kind for e in world.service.trail(capped)]


def test_by_sms_where_the_household_chose_it_never_at_night(client, tmp_path):
    world = World(client, tmp_path)
    ref = client_with_first_mission(world, mode_contact="sms")
    assert len(world.sms()) == 1
    mails = len(world.messages())
    # Due on Friday 21 May at 9:00, but the first tick comes on Friday evening, then Saturday: no SMS then.
    for moment in (at(2027, 5, 21, 19), at(2027, 5, 21, 23, 30), at(2027, 5, 22, 11)):
        assert "satisfaction" not in world.tick(moment)
    assert len(world.sms()) == 1
    assert world.tick(at(2027, 5, 24, 9, 5)) == {"satisfaction": 1}
    text = world.sms()[-1]
    assert ref in text and len(world.sms()) == 2 and segments(text.split("\n\n", 1)[1].strip()) == 1
    code = re.search(r"https://api\.example\.org/r/([a-z2-9]{8})", text).group(1)   # a short link (sms/short_links)
    assert f"/avis/{ref}?sig=" in short_links.resolve(world.service, code)
    assert len(world.messages()) == mails, "by SMS only"
    assert "satisfaction" not in world.tick(at(2027, 5, 24, 9, 20))


def test_the_links_are_signed_for_this_request_and_purpose_and_expire(client, tmp_path):
    world = World(client, tmp_path)
    ref = client_with_first_mission(world)
    other = client_with_first_mission(world, nom="Anne Lafon")
    world.tick(QUESTIONS)
    choices = welcome_links(next(m for m in world.messages() if f"(demande {ref})" in str(m["Subject"])))
    world.now(at(2027, 5, 24, 11))
    assert client.request("GET", choices["5"].replace(ref, other)).status == 403
    sig = dict(urllib.parse.parse_qsl(choices["5"].split("?", 1)[1]))["sig"]
    status_sig = links.sign(world.service.settings.secret, "status", ref, int(sig.split(".")[0]))
    assert client.request("GET", f"/avis/{ref}?sig={status_sig}").status == 403, "another purpose's signature"
    world.now(at(2027, 6, 21, 10))   # 30 days after the questions
    assert client.request("GET", choices["5"]).status == 410


def test_the_figures_give_the_response_rate_and_the_satisfaction_per_theme_per_ai_and_for_the_region(client,
                                                                                                 tmp_path):
    world = World(client, tmp_path)
    refs = [client_with_first_mission(world, nom=name) for name in ("Anne Lafon", "Marc Lafon", "Jean Lafon")]
    world.tick(QUESTIONS)
    world.now(at(2027, 5, 24, 11))
    for ref, (welcome, follow) in zip(refs[:2], (("5", "4"), ("3", ""))):
        message = next(m for m in world.messages() if f"(demande {ref})" in str(m["Subject"]))
        post(world, welcome_links(message)[""], accueil=welcome, **({"suivi": follow} if follow else {}))
    found = figures.satisfaction_figures([world.service.store.get(r) for r in refs], world.service.routing)
    region, ai = found["region"], found["ai-grand-perigueux"]
    assert (region.sent, region.answered, ai.sent, ai.answered) == (3, 2, 3, 2)
    assert region.response_rate == 2 / 3
    assert region.mean("accueil") == 4.0 and region.mean("suivi") == 4.0
    assert region.satisfied_share("accueil") == 0.5 and region.unhappy == 0
    monthly = figures.last_twelve_months(world.service, int(at(2027, 6, 1, 10)))
    assert monthly["region"].sent == 3 and monthly["ai-grand-perigueux"].answered == 2
    # In the monthly follow-up (twelve months) and the back office's figures.
    followup = follow_up(world.service, "2027-05", as_of=int(at(2027, 6, 1, 10)), measure=False)
    text = plain(followup_text(followup, world.service.routing))
    assert "Satisfaction après la première mission (12 derniers mois) :" in text
    assert "Association intermédiaire du Grand Périgueux : 3 questionnaire(s), taux de réponse 67 % ; accueil 4,0/5 " \
           "(50 % satisfaits) ; suivi de la relation 4,0/5 (100 % satisfaits) ; insatisfactions : 0" in text
    # The CSV export: the satisfaction columns beside the 72-hour ones, empty for an AI that sent no questionnaire.
    rows = list(csv.reader(io.StringIO(report_csv(followup.report, world.service.routing).lstrip("\ufeff")),
                           delimiter=";"))
    header, lines = rows[0], {row[2]: dict(zip(rows[0], row)) for row in rows[1:]}
    assert header.index("satisfaction sur 12 mois : questionnaires envoyés") == header.index(
        "délai médian jusqu'à la première mission (jours ouvrés)") + 1
    columns = ["satisfaction sur 12 mois : questionnaires envoyés", "satisfaction : réponses",
               "satisfaction : taux de réponse (%)", "satisfaction : accueil, note moyenne (sur 5)",
               "satisfaction : suivi de la relation, note moyenne (sur 5)", "satisfaction : accueil, satisfaits (%)",
               "satisfaction : suivi de la relation, satisfaits (%)", "satisfaction : insatisfactions"]
    for line in ("ai-grand-perigueux", "region"):
        assert [lines[line][c] for c in columns] == ["3", "2", "67", "4,0", "4,0", "50", "100", "0"], line
    assert [lines["ai-libournais"][c] for c in columns] == [""] * len(columns)
    browser = sign_in(client, world.local, OPERATOR)
    page = plain(browser.get("/espace/chiffres?mois=2027-05").text)
    assert "Satisfaction sur 12 mois : taux de réponse" in page and "67 % (2 sur 3)" in page
    assert "Intervenant sous 72 heures" in page
