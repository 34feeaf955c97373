"""The cell's liaison sheet: a phone call becomes a request like the site's — the serving associations pre-selected
by the same routing, the same e-mail, the same reminders (moved to the callback day agreed with the caller),
counted as a phone request in the monthly figures."""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path

import pytest

from support_backoffice import AI_A, OPERATOR, sign_in
from support_functions import Local, bodies, functions_app, plain

from chalicelib.jobs import schedule as jobs
from chalicelib.requests import lifecycle
from chalicelib.backoffice.liaison import find_communes
from chalicelib.reports.followup import follow_up

NOV_2 = 1793610000        # Monday 2 November 2026, 10:00 in Paris
NOV_9 = 1794211200        # Monday 9 November 2026, 9:00: the office opens
HOUR, DAY = 3600, 86400
CELL_BOX = "cellule@aai-aquitaine.example.org"
E2M = "contact@e2m.example.org"


@pytest.fixture
def local(tmp_path):
    backends = Local(tmp_path)
    backends.service.clock = lambda: NOV_2
    functions_app.set_service(backends.service)
    yield backends
    functions_app.set_service(None)


@pytest.fixture
def cell(client, local):
    return sign_in(client, local, OPERATOR)


def sheet(**changes) -> dict:
    fields = {"commune": "33394", "associations": ["ai-libournais"], "nom": "Odette Lamarque",
              "telephone": "06 12 34 56 78", "email": "odette@example.org", "mode_contact": "telephone",
              "services": ["menage", "repassage"], "besoin": "Deux heures de ménage par semaine.",
              "rappel_le": "2026-11-04", "rappel_creneau": "matin", "origine": "mairie", "consentement": "oui",
              "jeton": secrets.token_urlsafe(18)}
    fields.update(changes)
    return {k: v for k, v in fields.items() if v is not None}


def test_communes_are_found_by_name_postal_code_or_code(local):
    routing = local.service.routing
    assert find_communes(routing, "saint-émilion") == ["33394"]
    assert find_communes(routing, "SAINT EMILION") == ["33394"]
    assert find_communes(routing, "33394")[0] == "33394"
    assert "33394" in find_communes(routing, "33330") and len(find_communes(routing, "33330")) > 1
    assert find_communes(routing, "Libourn")[0] == "33243"
    assert find_communes(routing, "Zzzz") == [] and find_communes(routing, "") == []


def test_the_sheet_ranks_communes_by_the_sites_one_rule(local):
    """The shared cases of the site's commune search (tests/rules/commune_search_cases.json), here too."""
    cases = json.loads((Path(__file__).parents[1] / "rules" / "commune_search_cases.json").read_text("utf-8"))
    routing = local.service.routing
    assert {query: find_communes(routing, query)[0] for query in cases} == cases


def test_a_postal_code_pre_selects_its_town_not_the_commune_with_that_insee_code(cell):
    page = cell.get("/espace/fiche?commune=33330")
    assert 'id="f-commune-33394" name="insee" value="33394" checked' in page.text     # Saint-Émilion
    choices = re.findall(r'id="f-commune-(\w+)"', page.text)
    assert choices.index("33394") < choices.index("33480")                        # before Saint-Sulpice
    assert "checked" not in page.text.split('id="f-commune-33330"', 1)[-1].split(">", 1)[0]


def test_the_serving_associations_are_pre_selected_by_the_sites_routing(cell):
    page = cell.get("/espace/fiche?commune=Saint-%C3%89milion")
    assert page.status == 200 and "Saint-Émilion (33330)" in plain(page.text)
    # both serve Saint-Émilion; only the nearest is pre-selected, so that two associations never both call
    assert 'id="f-associations-ai-libournais" name="associations" value="ai-libournais" checked>' in page.text
    assert 'id="f-associations-ai-entre-deux-mers" name="associations" value="ai-entre-deux-mers">' in page.text
    assert re.search(r"AI du Libournais <span class=\"help\">\([^)]*à\xa0\d+\xa0km\)", page.text)
    assert 'name="rappel_le" value="2026-11-04"' in page.text   # the charter's delay, proposed


def test_the_sheet_points_to_the_privacy_notice_the_operator_informs_the_caller_of(cell, local):
    page = cell.get("/espace/fiche?commune=33394")
    main = page.text.split("<main", 1)[1].split("</main>", 1)[0]           # not only the footer's link
    notice = f"{local.service.routing.site_url}/donnees-personnelles/"
    assert re.search(rf'<p class="help" id="f-consentement-aide">[^<]*<a href="{re.escape(notice)}">', main)
    assert 'id="f-consentement" name="consentement" value="oui" required aria-describedby="f-consentement-aide"' in main


def test_an_uncovered_commune_stays_with_the_cell(cell):
    page = cell.get("/espace/fiche?commune=33063")
    assert "Aucune association intermédiaire ne dessert encore cette commune" in plain(page.text)
    assert 'value="aai" checked' in page.text
    # the neighbours to choose instead, nearest to Bordeaux's town hall first (not A–Z)
    other = page.text.split('id="f-autre"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'<option value="(ai-[^"]+)"', other) == ["ai-entre-deux-mers", "ai-libournais",
                                                                "ai-grand-perigueux"]


def test_several_communes_ask_which_one_and_none_says_so(cell):
    several = cell.get("/espace/fiche?commune=33330")       # a postal code of several communes (and a code)
    assert several.status == 200 and several.text.count('type="radio" id="f-commune-') > 1
    assert 'name="nom"' not in several.text
    chosen = cell.get("/espace/fiche?insee=33394")
    assert 'name="nom"' in chosen.text and "Saint-Émilion (33330)" in plain(chosen.text)
    none = cell.get("/espace/fiche?commune=Atlantide")
    assert none.status == 404 and '<a href="#f-commune">Aucune commune' in none.text


def test_a_call_for_a_covered_commune_reaches_the_ai_exactly_like_a_site_request(cell, local):
    reply = cell.post("/espace/fiche", sheet())
    assert reply.status == 200 and "La fiche est enregistrée et transmise par e-mail" in plain(reply.text)
    [row] = local.rows()
    assert (row["kind"], row["channel"], row["association"], row["state"]) == ("rappel", "telephone",
                                                                              "ai-libournais", "delivered")
    assert row["data"]["rappel_le"] == "2026-11-04" and row["data"]["operateur"] == "Claire Duboscq"
    assert row["phone"] == "+33612345678" and row["email"] == "odette@example.org"
    assert not row["followup_wanted"]
    assert row["ref"] in reply.text
    [received] = local.service.trail(row["ref"])[:1]
    assert (received.actor, received.details["channel"]) == (f"cell:{OPERATOR}", "telephone")
    to_ai, ack = local.messages()
    assert to_ai["To"].addresses[0].addr_spec == AI_A and to_ai["Reply-To"].addresses[0].addr_spec == \
        "odette@example.org"
    text = plain(bodies(to_ai)[0])
    for expected in ("par la cellule téléphonique", "Origine : Cellule téléphonique", "Odette Lamarque",
                     "06 12 34 56 78", "Deux heures de ménage par semaine.", "Services souhaités : Ménage, Repassage",
                     "Rappel convenu le : mercredi 4 novembre 2026", "Créneau convenu : Matin",
                     "Fiche remplie par : Claire Duboscq", "https://api.example.org/traite/"):
        assert expected in text, expected
    assert ack["To"].addresses[0].addr_spec == "odette@example.org"
    assert "Deux heures" not in plain(bodies(ack)[0])   # nothing typed goes to an unverified address
    [entry] = [e for e in local.store.journal(0, NOV_2 + 1) if e.action == "liaison"]
    assert entry.details == {"refs": [row["ref"]]}


def test_a_call_for_an_uncovered_commune_goes_to_the_cell_as_a_callback(cell, local):
    assert cell.post("/espace/fiche", sheet(commune="33063", associations=["aai"], email=None)).status == 200
    [row] = local.rows()
    assert (row["association"], row["channel"]) == ("aai", "telephone")
    [message] = local.messages()
    assert message["To"].addresses[0].addr_spec == CELL_BOX and "Bordeaux" in plain(bodies(message)[0])
    assert row["ref"] in cell.get("/espace/").text   # among the callbacks asked of the network


def test_two_associations_get_a_request_each_and_a_second_click_records_nothing(cell, local):
    fields = sheet(associations=["ai-libournais", "ai-entre-deux-mers"], email=None)
    first = cell.post("/espace/fiche", fields)
    again = cell.post("/espace/fiche", fields)
    assert first.status == again.status == 200
    rows = local.rows()
    assert sorted(r["association"] for r in rows) == ["ai-entre-deux-mers", "ai-libournais"]
    assert len({r["ref"] for r in rows}) == 2 and all(r["ref"] in again.text for r in rows)
    assert sorted(m["To"].addresses[0].addr_spec for m in local.messages()) == sorted([AI_A, E2M])


GROUPS = {"associations": "f-associations-ai-libournais", "services": "f-services-demenagement",
          "mode_contact": "f-mode_contact-telephone"}


@pytest.mark.parametrize("changes, field, words", [
    ({"nom": ""}, "nom", "Indiquez le nom"),
    ({"telephone": "12"}, "telephone", "numéro de téléphone français valide"),
    ({"consentement": None}, "consentement", "Cochez la case"),
    ({"rappel_le": "2026-11-01"}, "rappel_le", "entre aujourd'hui et 60 jours"),
    ({"rappel_le": "2027-02-01"}, "rappel_le", "entre aujourd'hui et 60 jours"),
    ({"rappel_le": "4 novembre"}, "rappel_le", "au format jj/mm/aaaa"),
    ({"rappel_le": "31/11/2026"}, "rappel_le", "n'existe pas dans le calendrier"),
    ({"associations": []}, "associations", "au moins une association"),
    ({"associations": ["ai-inconnue"]}, "associations", "parmi les associations"),
    ({"mode_contact": "sms", "telephone": "05 36 49 12 34"}, "telephone", "portable"),
    ({"mode_contact": "email", "email": None}, "email", "indiquez son adresse"),
    ({"besoin": "<script>"}, "besoin", "balises HTML"),
    ({"services": ["piscine"]}, "services", "parmi les services"),
])
def test_a_sheet_with_a_problem_says_which_and_keeps_what_was_typed(cell, local, changes, field, words):
    reply = cell.post("/espace/fiche", sheet(**changes))
    assert reply.status == 400
    target = GROUPS.get(field, f"f-{field}")      # a group's first box, never its fieldset (focus stays there)
    assert re.search(rf'<a href="#{target}">[^<]*{re.escape(words)}', plain(reply.text)), plain(reply.text)[:3000]
    assert f'id="{target}"' in reply.text
    assert 'value="Odette Lamarque"' in reply.text or changes.get("nom") == ""
    assert local.rows() == [] and local.messages() == []


SINGLE_LINE = "Ce champ doit tenir sur une seule ligne."
VALID_ADDRESS = "Indiquez une adresse e-mail valide, par exemple jeanne.martin@example.org."


@pytest.mark.parametrize("field, value, words", [
    ("nom", "Odette Lamarque\r\nBcc: x@example.org", SINGLE_LINE),
    ("email", "odette@example.org\r\nBcc: x@example.org", VALID_ADDRESS),
    ("email", "odette@example.org\nBcc: x@example.org", VALID_ADDRESS),
])
def test_a_header_smuggled_into_the_name_or_the_address_is_refused_in_french(cell, local, field, value, words):
    outbox = len(local.messages(everything=True))            # the sign-in link is there already
    reply = cell.post("/espace/fiche", sheet(**{field: value}))
    assert reply.status == 400
    assert f'<p class="error" id="f-{field}-erreur">{words}</p>' in plain(reply.text)
    assert f'<a href="#f-{field}">{words}</a>' in plain(reply.text)
    assert local.rows() == [] and len(local.messages(everything=True)) == outbox
    assert [e for e in local.store.journal(0, NOV_2 + DAY) if e.action == "liaison"] == []


def test_the_reminder_and_the_deadline_move_to_the_agreed_callback_day(cell, local):
    cell.post("/espace/fiche", sheet(rappel_le="2026-11-09", email=None))   # the next Monday
    [row] = local.rows()
    assert (row["due"], row["due_at"]) == ("reminder", NOV_9)              # the agreed day's morning
    assert lifecycle.escalation_at(row, local.service.policy) == NOV_9 + DAY   # the working morning after
    assert not {"reminder", "escalation"} & set(jobs.tick(local.service, NOV_2 + 3 * DAY))   # the usual deadline
    assert jobs.tick(local.service, NOV_9).get("reminder") == 1
    assert not {"reminder", "escalation"} & set(jobs.tick(local.service, NOV_9 + DAY - 60))
    assert jobs.tick(local.service, NOV_9 + DAY).get("escalation") == 1
    assert local.store.get(row["ref"])["escalation"] == "deadline"


def test_a_phone_request_counts_as_one_in_the_figures_not_in_the_path_from_the_site(cell, local):
    cell.post("/espace/fiche", sheet(email=None))
    followup = follow_up(local.service, "2026-11", as_of=NOV_2 + DAY, measure=False)
    line = followup.report.line("ai-libournais")
    assert (line.received, line.callbacks, line.by_phone, line.from_site) == (1, 1, 1, 0)
    assert followup.funnel("ai-libournais")[2] == ("Demandes reçues par le site", 0)


def test_the_cell_does_not_chase_itself_for_its_own_callbacks(cell, local):
    """A callback for a commune no association serves is the cell's own: no reminder e-mailed to the cell, no
    « Pas de réponse » liaison sheet about it, no escalation in the figures; late after the cell's own delay."""
    cell.post("/espace/fiche", sheet(commune="33063", associations=["aai"], email=None, rappel_le="2026-11-02"))
    [row] = local.rows()
    policy = local.service.policy
    assert policy.cell_callback_after == 2                                    # data/settings.yaml
    assert set(lifecycle.schedule(row, policy)) == {"purge", "close"}
    sent = len(local.messages())
    for day in (1, 3, 5, 10):
        done = jobs.tick(local.service, NOV_2 + day * DAY)
        assert not {"reminder", "escalation"} & set(done), (day, done)
    record = local.store.get(row["ref"])
    assert record["state"] == "delivered" and not record.get("escalations") and not record.get("reminded_at")
    assert len(local.messages()) == sent                                      # nothing more to the cell
    with pytest.raises(lifecycle.Refused):
        lifecycle.step(record, "escalated", NOV_2, "household", policy, reason="household")
    assert lifecycle.charter_deadline(record, policy) == NOV_2 + 2 * DAY      # Wednesday: its own delay
    local.service.clock = lambda: NOV_2 + 3 * DAY
    home = sign_in(cell.client, local, OPERATOR).get("/espace/")             # a new day, a new session
    callbacks = home.text.split('id="reseau"', 1)[1]
    assert row["ref"] in callbacks and "En retard" in callbacks.split("</table>", 1)[0]
    line = follow_up(local.service, "2026-11", as_of=NOV_2 + 10 * DAY, measure=False).report.line("aai")
    assert sum(line.escalations.values()) == 0


def test_required_fields_are_marked_and_dates_read_as_the_browser_shows_them(cell, local):
    page = cell.get("/espace/fiche?commune=33394").text
    for label in ('for="f-nom">Nom et prénom', 'for="f-telephone">Téléphone où la rappeler',
                  'for="f-besoin">Besoin exprimé', 'for="f-rappel_le">Date du rappel'):
        assert f'{label} <span class="help">(obligatoire)</span></label>' in page, label
    assert "Qui rappellera la personne <span class=\"help\">(obligatoire" in page
    assert "AAAA-MM-JJ" not in page and "Au format jj/mm/aaaa." in page      # what a French browser shows
    # a browser without a calendar shows a text box: the date typed the French way is understood
    assert cell.post("/espace/fiche", sheet(rappel_le="04/11/2026")).status == 200
    assert local.rows()[0]["data"]["rappel_le"] == "2026-11-04"
