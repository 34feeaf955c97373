"""Professional clients (issue 25, item 7): a business, an association or a local authority sends a « demande
professionnelle » — its organisation, an optional SIRET checked by the one rule (rules/siret.py), its recurring
need. It reaches the association of its commune like a household's order (same lifecycle), nothing leaves when
the SIRET is wrong, and the monthly figures count it apart (« clients professionnels »)."""

from __future__ import annotations

import pytest

from support_functions import bodies, plain
from chalicelib.reports.formats import report_csv, report_text
from chalicelib.reports.request_figures import monthly_report
from chalicelib.requests import lifecycle
from chalicelib.requests.enums import EventKind
from rules.dates import month_of

AI = "demandes@libournais.example.org"


def pro_fields(**changes) -> dict[str, list[str] | str]:
    fields = {
        "association": "ai-libournais", "organisation": "Mairie de Saint-Émilion", "siret": "732 829 320 00074",
        "commune": "33394", "nom": "Claire Dumas", "telephone": "05 36 49 12 34",
        "email": "claire.dumas@example.org", "frequence": "hebdomadaire",
        "besoin": "Entretien des vestiaires du stade, deux heures le lundi.", "origine": "mairie",
        "consentement": "oui", "website": "",
    }
    fields.update(changes)
    return {k: v for k, v in fields.items() if v is not None}


def test_a_professional_request_reaches_the_communes_association_and_is_followed_like_an_order(client, local):
    reply = client.post("/demande-pro", pro_fields(), as_json=True)
    assert reply.status == 200, reply.text
    [row] = local.rows()
    assert row["kind"] == "demande-pro" and row["association"] == "ai-libournais" and row["state"] == "delivered"
    assert row["data"]["siret"] == "73282932000074" and row["data"]["organisation"] == "Mairie de Saint-Émilion"
    to_ai, ack = local.messages()
    assert to_ai["To"].addresses[0].addr_spec == AI
    assert "Demande professionnelle – Mairie de Saint-Émilion – Saint-Émilion" in str(to_ai["Subject"])
    text = plain(bodies(to_ai)[0])
    assert "Numéro SIRET : 732 829 320 00074" in text and "Fréquence : Toutes les semaines" in text
    assert "Entretien des vestiaires du stade" in text and "/traite/" + row["ref"] in text
    # the acknowledgement to an address nobody verified: nothing typed, neither the organisation nor the SIRET
    assert ack["To"].addresses[0].addr_spec == "claire.dumas@example.org"
    assert "demande professionnelle" in plain(str(ack["Subject"]))
    for typed in ("Mairie de Saint-Émilion", "73282932000074", "732 829 320", "vestiaires"):
        assert typed not in ack.as_string() and typed not in plain(bodies(ack)[0]), typed
    # the same lifecycle: the association marks it handled, then a client
    record = local.service.store.get(row["ref"])
    ai = lifecycle.actor("ai", "ai-libournais")
    record = local.service.change(record, EventKind.HANDLED, ai, outcome="client")
    assert record.outcome == "client" and record.state == "handled"


def test_without_an_association_the_commune_decides_who_receives_it(client, local):
    reply = client.post("/demande-pro", pro_fields(association=None, siret=None), as_json=True)
    assert reply.status == 200, reply.text
    [row] = local.rows()
    assert row["association"] == "ai-libournais" and "siret" not in row["data"]   # Saint-Émilion's first AI
    assert local.messages()[0]["To"].addresses[0].addr_spec == AI


@pytest.mark.parametrize("typed, words", [
    ("732 829 320 00075", "clé de contrôle est fausse"),   # one digit off: Luhn says no
    ("7328293200007", "compte 14 chiffres"),
    ("7328293200007A", "compte 14 chiffres"),
    ("<script>", "compte 14 chiffres"),
])
def test_a_wrong_siret_is_refused_in_french_and_nothing_is_sent(client, local, typed, words):
    reply = client.post("/demande-pro", pro_fields(siret=typed), as_json=True)
    assert reply.status == 400
    assert words in reply.json()["errors"]["siret"]
    assert local.rows() == [] and local.messages() == []


def test_the_organisation_and_the_need_are_required(client, local):
    reply = client.post("/demande-pro", pro_fields(organisation=None, besoin=None, frequence=None), as_json=True)
    assert reply.status == 400
    errors = reply.json()["errors"]
    assert set(errors) >= {"organisation", "besoin", "frequence"}
    assert "entreprise, association ou collectivité" in errors["organisation"]
    assert local.rows() == [] and local.messages() == []


def test_the_monthly_report_counts_professional_clients_apart(client, local):
    assert client.post("/demande-pro", pro_fields(), as_json=True).status == 200
    assert client.post("/demande-pro", pro_fields(organisation="Club de rugby", nom="Marc Lafon"),
                       as_json=True).status == 200
    [first, _] = local.rows()
    record = local.service.store.get(first["ref"])
    local.service.change(record, EventKind.HANDLED, lifecycle.actor("ai", "ai-libournais"), outcome="client")
    report = monthly_report(local.service, month_of(int(first["created_at"])))
    line = report.line("ai-libournais")
    assert (line.professional, line.professional_clients, line.orders, line.callbacks) == (2, 1, 0, 0)
    assert report.region.professional == 2 and report.region.received == 2
    text = report_text(report, local.service.routing)
    assert "Clients professionnels (entreprises, associations, collectivités) : 2 demandes, 1 devenue cliente" in text
    csv = report_csv(report, local.service.routing)
    header, *rows = csv.lstrip("\ufeff").splitlines()
    columns = header.split(";")
    region = rows[-1].split(";")
    assert region[columns.index("clients professionnels : demandes")] == "2"
    assert region[columns.index("clients professionnels : devenus clients")] == "1"
