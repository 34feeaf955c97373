"""An association's own contacts (issue 25, item 1) and Annexe 3 in full (item 2): a call the association receives
becomes a request of channel « contact direct » — held by it from the start, reminded on the follow-up date it
set, never escalated, marked handled with its outcome, counted in the figures — and the Annexe 3 table adds up,
per association and for the region, month and year."""

from __future__ import annotations

import csv
import io
import secrets

import pytest

from support_backoffice import AI_A, AI_B, OPERATOR, sign_in
from support_functions import Local, demande_fields, functions_app, plain, rappel_fields

from chalicelib.jobs import schedule as jobs
from chalicelib.contacts import annexe3
from chalicelib.reports.request_figures import monthly_report
from chalicelib.requests.enums import Channel, State
from rules import origins

NOV_2 = 1793610000        # Monday 2 November 2026, 10:00 in Paris
HOUR, DAY = 3600, 86400
NOV_5_MORNING = NOV_2 + 3 * DAY - HOUR   # Thursday 5 November, 9:00: the office opens


@pytest.fixture
def local(tmp_path):
    backends = Local(tmp_path, rate_limit=10_000)
    backends.service.clock = lambda: NOV_2
    functions_app.set_service(backends.service)
    yield backends
    functions_app.set_service(None)


@pytest.fixture
def ai(client, local):
    return sign_in(client, local, AI_A)


def contact(**changes) -> dict:
    fields = {"canal": "appel", "nom": "Odette Lamarque", "telephone": "06 12 34 56 78", "commune": "Saint-Émilion",
              "besoin": "Deux heures de ménage par semaine.", "rappel_le": "2026-11-05",
              "origine": ["bouche-a-oreille-client", "mairie"], "jeton": secrets.token_urlsafe(18)}
    fields.update(changes)
    return {k: v for k, v in fields.items() if v is not None}


def test_annexe_3_is_the_seeds_table_in_full():
    """Fifteen numbered rows of the seed, the first in four details: eighteen answers; then this site and
    « Autre »; the ids unique; two answers ask « précisez »."""
    seed = [o for o in origins.ORIGINS if o.row <= 15]
    assert len(seed) == 18 and sorted({o.row for o in seed}) == list(range(1, 16))
    assert [o.id for o in seed if o.grouped] == ["bouche-a-oreille-intervenant", "bouche-a-oreille-professionnel",
                                                 "bouche-a-oreille-client", "bouche-a-oreille"]
    assert len(origins.BY_ID) == len(origins.ORIGINS) == 20 and len(origins.ROWS) == 17
    assert [o.id for o in origins.ORIGINS if o.detail] == ["bouche-a-oreille", "autre"]
    assert origins.ROWS[7] == "Article dans le journal municipal" and origins.ROWS[10].startswith("Démarche active")
    # a request stored before several answers were allowed still counts, in the list's order
    assert origins.declared({"origine": "mairie"}) == ["mairie"]
    assert origins.declared({"origine": ["mairie", "bouche-a-oreille-client"]}) == ["bouche-a-oreille-client",
                                                                                    "mairie"]
    assert origins.declared({}) == [] and origins.declared(None) == []


def test_the_sites_forms_take_several_answers_and_refuse_an_unknown_one(local):
    svc = local.service
    done = svc.submit("rappel", {k: v if isinstance(v, list) else [v] for k, v in rappel_fields(
        origine=["presse", "bouche-a-oreille"], origine_precision="Ma voisine").items()}, "192.0.2.1")
    stored = local.store.get(done.reference)
    assert stored["data"]["origine"] == ["presse", "bouche-a-oreille"]
    assert stored["data"]["origine_precision"] == "Ma voisine"
    text = plain(local.messages()[0].get_body(("plain",)).get_content())
    assert "Le bouche-à-oreille : autrement (précisez), Un article sur l'association dans la presse" in text
    assert "Ma voisine" in text
    from chalicelib.intake.forms import Invalid
    with pytest.raises(Invalid) as refused:
        svc.submit("rappel", {k: v if isinstance(v, list) else [v] for k, v in rappel_fields(
            origine=["presse", "tiktok"], idempotence="another-one-123").items()}, "192.0.2.1")
    assert refused.value.errors == {"origine": "Choisissez parmi les réponses proposées."}


def test_an_association_records_a_call_and_it_becomes_its_request(ai, local):
    page = ai.get("/espace/contact")
    assert page.status == 200 and 'name="canal" value="appel" checked' in page.text
    assert page.text.count('name="origine"') == len(origins.ORIGINS)     # the one list, in full
    reply = ai.post("/espace/contact", contact(email="odette@example.org"))
    assert reply.status == 200 and "Le contact est enregistré" in plain(reply.text)
    [row] = local.rows()
    assert row["channel"] == Channel.DIRECT and row["association"] == "ai-libournais"
    assert row["state"] == State.DELIVERED and row["kind"] == "rappel"
    assert row["data"]["commune"] == "33394" and row["data"]["canal"] == "appel"
    assert row["data"]["origine"] == ["bouche-a-oreille-client", "mairie"]
    assert local.messages() == []                      # nothing e-mailed: the association spoke with the person
    assert [e.kind for e in local.store.trail(row["ref"])] == ["received"]
    assert [e.actor for e in local.store.trail(row["ref"])] == ["ai:ai-libournais"]
    assert [e for e in local.store.journal(0, NOV_2 + DAY) if e.action == "contact"]
    # the same sheet posted twice is one contact
    again = contact()
    ai.post("/espace/contact", again)
    ai.post("/espace/contact", again)
    assert len(local.rows()) == 2


def test_the_contact_gets_its_reminder_on_the_follow_up_date_and_is_never_escalated(ai, local):
    ai.post("/espace/contact", contact())
    [row] = local.rows()
    assert (row["due"], row["due_at"]) == ("reminder", NOV_5_MORNING)
    assert "reminder" not in jobs.tick(local.service, NOV_5_MORNING - 60)
    assert jobs.tick(local.service, NOV_5_MORNING).get("reminder") == 1
    [reminder] = local.messages()
    assert reminder["To"].addresses[0].addr_spec == AI_A
    assert reminder["Subject"].startswith("À relancer aujourd'hui : contact du")
    text = plain(reminder.get_body(("plain",)).get_content())
    assert "est à relancer aujourd'hui" in text and "cellule" not in text
    for day in range(4, 20):
        assert "escalation" not in jobs.tick(local.service, NOV_2 + day * DAY)
    assert local.store.get(row["ref"])["state"] == State.DELIVERED


def test_the_contact_counts_in_the_figures_and_leaves_the_prospects_once_a_client(ai, local, client):
    ai.post("/espace/contact", contact())
    ai.post("/espace/contact", contact(canal="visite", nom="Luc Bernard", telephone="05 36 49 11 22",
                                       rappel_le="2026-11-04", origine=["journal-municipal"]))
    prospects = plain(ai.get("/espace/contacts").text)
    assert prospects.index("Luc Bernard") < prospects.index("Odette Lamarque")   # the nearest follow-up first
    assert "mercredi 4 novembre 2026" in prospects
    odette = next(r for r in local.rows() if r["data"]["nom"] == "Odette Lamarque")
    assert ai.post(f"/espace/demandes/{odette['ref']}/traitee", {"resultat": "client"}).status == 303
    assert "Odette Lamarque" not in plain(ai.get("/espace/contacts").text)
    report = monthly_report(local.service, "2026-11", as_of=NOV_2 + DAY)
    line = report.line("ai-libournais")
    assert line.received == 2 and line.callbacks == 2 and line.from_site == 0 and line.by_phone == 0
    assert dict(line.direct) == {"appel": 1, "visite": 1} and line.clients == 1
    assert line.client_origins == {"bouche-a-oreille-client": 1, "mairie": 1}
    assert line.origins == {"bouche-a-oreille-client": 1, "mairie": 1, "journal-municipal": 1}
    assert "dont contacts directs de l'association" in plain(ai.get("/espace/chiffres").text)
    # the export: every contact of the month, with its origins in words; another association sees none
    exported = ai.get("/espace/contacts/export?mois=2026-11")
    rows = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][0] == "référence" and len(rows) == 3
    assert any("Le bouche-à-oreille : recommandé par un client ou un ancien client" in r[8] for r in rows[1:])
    other = sign_in(client, local, AI_B)
    assert "Odette" not in other.get("/espace/contacts/export?mois=2026-11").text


def test_a_formula_typed_as_a_name_is_neutralised_in_the_export(ai, local):
    ai.post("/espace/contact", contact(besoin="=HYPERLINK(\"http://evil.example\")"))
    text = ai.get("/espace/contacts/export").text
    assert "'=HYPERLINK" in text


@pytest.mark.parametrize("changes, field, words", [
    ({"origine": ["mairie", "tiktok"]}, "origine", "Choisissez parmi les réponses de la liste."),
    ({"telephone": None}, "telephone", "Indiquez un numéro de téléphone ou une adresse e-mail"),
    ({"commune": "Zzzz"}, "commune", "Aucune commune de la région ne correspond à « Zzzz »"),
    ({"rappel_le": "2027-03-01"}, "rappel_le", "La date de suivi se situe entre aujourd'hui et le"),
    ({"canal": "pigeon"}, "canal", "Choisissez parmi « Appel », « Visite » et « E-mail »."),
])
def test_a_bad_sheet_comes_back_with_what_was_typed_and_stores_nothing(ai, local, changes, field, words):
    reply = ai.post("/espace/contact", contact(**changes))
    assert reply.status == 400 and words in plain(reply.text)
    assert f'id="f-{field}-erreur"' in reply.text
    assert 'value="Odette Lamarque"' in reply.text
    assert local.rows() == []


def test_a_postal_code_shared_by_several_communes_asks_which_one(ai, local):
    reply = ai.post("/espace/contact", contact(commune="33330"))
    assert reply.status == 400 and 'name="insee" value="33394" checked' in reply.text
    assert ai.post("/espace/contact", contact(commune="33330", insee="33394")).status == 200
    assert local.rows()[0]["data"]["commune"] == "33394"


def test_the_annexe_3_table_adds_up_per_association_for_the_region_month_and_year(ai, local, client):
    svc = local.service
    as_lists = lambda fields: {k: v if isinstance(v, list) else [v] for k, v in fields.items()}   # noqa: E731
    svc.submit("demande", as_lists(demande_fields(origine=["mairie", "site-mairie"], idempotence="a" * 12)), "1")
    svc.submit("rappel", as_lists(rappel_fields(origine=[], idempotence="b" * 12)), "1")        # none declared
    svc.submit("rappel", as_lists(rappel_fields(origine=["bouche-a-oreille-intervenant", "bouche-a-oreille-client"],
                                                idempotence="c" * 12)), "1")
    ai.post("/espace/contact", contact())
    ai.post("/espace/contact", contact(nom="Luc Bernard", origine=["32-11"]))
    records = svc.store.month("2026-11")
    answers = sum(len(origins.declared(r["data"])) or 1 for r in records)
    region = annexe3.build(svc, month="2026-11", year=None, association=None)
    per_ai = {ai_id: annexe3.build(svc, month="2026-11", year=None, association=ai_id)
              for ai_id in {r["association"] for r in records}}
    year = annexe3.build(svc, month=None, year="2026", association=None)
    for table in (region, year, *per_ai.values()):
        for row, cells, total, clients in table.rows():
            assert total == sum(cells)
    assert sum(region.contacts) == len(records) == 5 and region.answers == answers == 8
    assert sum(year.contacts) == 5 and year.columns[-1] == "nov. 2026" and year.answers == 8
    for key in (row.key for row in annexe3.ROWS):    # the region's month is the sum of the associations'
        assert region.total(key) == sum(t.total(key) for t in per_ai.values()) == year.total(key)
    assert region.total(annexe3.WORD_OF_MOUTH_ROW) == 2     # one contact per person, though two details
    assert region.total("bouche-a-oreille-client") == 2 and region.total(origins.UNKNOWN) == 1
    # the association's month, like the seed's « tableau de saisie »: one column per contact
    mine = per_ai["ai-libournais"]
    assert mine.columns[:2] == ["CP 1", "CP 2"] and set(mine.notes) == {"prospect"} and set(mine.contacts) == {1}
    # the page and its CSV say the same
    page = plain(ai.get("/espace/annexe-3?mois=2026-11").text)
    assert "Article dans le journal municipal" in page and "a vu travailler un intervenant" in page
    exported = list(csv.reader(io.StringIO(ai.get("/espace/annexe-3/export?mois=2026-11").text.lstrip("\ufeff")),
                               delimiter=";"))
    assert exported[0][:3] == ["n°", "origine", "CP 1"] and exported[0][-2:] == ["total", "dont clients"]
    by_label = {r[1]: r for r in exported}
    assert by_label["Contacts"][-2] == str(sum(mine.contacts))
    assert by_label["Accueil et informations mairies (agents des mairies)"][-2] == str(mine.total("mairie"))
    cell = sign_in(client, local, OPERATOR)
    regional = list(csv.reader(io.StringIO(cell.get("/espace/annexe-3/export?annee=2026").text.lstrip("\ufeff")),
                               delimiter=";"))
    assert {r[1]: r for r in regional}["Contacts"][-2] == "5"


def test_the_monthly_report_weighs_each_prescriber_declared_and_measured_side_by_side(ai, local):
    """Issue 25, item 6: per Annexe 3 origin and per measured source, contacts, clients and conversion."""
    from chalicelib.reports.formats import report_csv, report_text
    svc = local.service
    as_lists = lambda fields: {k: v if isinstance(v, list) else [v] for k, v in fields.items()}   # noqa: E731
    first = svc.submit("demande", as_lists(demande_fields(origine=["mairie"], source="kit-plaquette",
                                                          idempotence="d" * 12)), "1").reference
    svc.submit("demande", as_lists(demande_fields(origine=["mairie", "presse"], source="kit-plaquette",
                                                  nom="Luc Bernard", idempotence="e" * 12)), "1")
    assert ai.post(f"/espace/demandes/{first}/traitee", {"resultat": "client"}).status == 303
    report = monthly_report(svc, "2026-11", as_of=NOV_2 + DAY)
    text = plain(report_text(report, svc.routing))
    declared = text.split("Le poids des prescripteurs, déclaré (Annexe 3)", 1)[1]
    assert "La mairie ou le CCAS (accueil, agents de la mairie) : 2 contacts, 1 client (50 %)" in declared
    assert "Un article sur l'association dans la presse : 1 contact, 0 client (0 %)" in declared
    measured = declared.split("Et mesuré", 1)[1]
    assert "Plaquette du kit : 2 contacts, 1 client (50 %)" in measured
    rows = list(csv.reader(io.StringIO(report_csv(report, svc.routing).lstrip("\ufeff")), delimiter=";"))
    region = dict(zip(rows[0], rows[-1]))
    assert region["provenance mesurée : Plaquette du kit"] == "2"
    assert region["clients, provenance mesurée : Plaquette du kit"] == "1"
    assert region["origine : La mairie ou le CCAS (accueil, agents de la mairie)"] == "2"


def test_the_annexe_3_page_puts_declared_and_measured_side_by_side_for_the_year(ai, local):
    svc = local.service
    as_lists = lambda fields: {k: v if isinstance(v, list) else [v] for k, v in fields.items()}   # noqa: E731
    ref = svc.submit("demande", as_lists(demande_fields(origine=["plaquettes"], source="kit-plaquette",
                                                        idempotence="f" * 12)), "1").reference
    ai.post(f"/espace/demandes/{ref}/traitee", {"resultat": "client"})
    ai.post("/espace/contact", contact(origine=["plaquettes"]))
    declared, measured = annexe3.weights(svc, annexe3.period(svc, month=None, year="2026",
                                                             association="ai-libournais"))
    [plaquettes] = [w for w in declared if w.label.startswith("Une plaquette")]
    assert (plaquettes.contacts, plaquettes.clients, plaquettes.conversion) == (2, 1, 0.5)
    assert [(w.label, w.contacts, w.clients) for w in measured] == [("Plaquette du kit", 1, 1)]
    page = plain(ai.get("/espace/annexe-3?annee=2026").text)
    assert "Le poids des prescripteurs : déclaré et mesuré" in page and "50 %" in page
    assert "Origine des nouveaux contacts en 2026" in page
