"""The monthly figures in the back office: accessible SVG charts with their data table beside them, twelve months
side by side, the audience the monthly job kept (never re-read from the logs per page); an association sees its
own figures only, the cell the region's and every association's."""

from __future__ import annotations

import re
from collections import Counter
from xml.etree import ElementTree

import pytest

from support_backoffice import AI_A, AI_B, OPERATOR, sign_in
from support_functions import Local, demande_fields, functions_app, plain

from chalicelib.audience.figures import Funnel, MonthFigures
from chalicelib.reports.followup import KEPT_MONTHS, months_before

NOV_20 = 1795165200       # Friday 20 November 2026, 10:00 in Paris
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def local(tmp_path):
    backends = Local(tmp_path)
    backends.service.clock = lambda: NOV_20
    functions_app.set_service(backends.service)
    yield backends
    functions_app.set_service(None)


def audience(month: str, visits: int) -> MonthFigures:
    return MonthFigures(month, visits=visits, page_views=3 * visits, visit_seconds=90.0 * visits,
                        pages=Counter({"/": visits, "/association/ai-libournais/": visits // 2}),
                        arrivals=Counter({"search": visits // 2, "direct": visits - visits // 2}),
                        devices=Counter({"mobile": visits}),
                        funnel=Funnel(directory_views=2 * visits, form_views=visits // 4, form_posts=visits // 10),
                        association_funnels={"ai-libournais": Funnel(visits // 2, visits // 5, 7),
                                             "ai-grand-perigueux": Funnel(11, 5, 3)})


@pytest.fixture
def kept(local):
    """Twelve months of audience, as the monthly job keeps them (anonymous aggregates)."""
    for number, month in enumerate([*months_before("2026-11", 11), "2026-11"], start=1):
        local.store.save_figures(month, audience(month, 100 * number).to_dict(), NOV_20 + KEPT_MONTHS * 31 * 86400)


def figures_of(page_text: str) -> dict[str, ElementTree.Element]:
    """Each <figure> of the page, by id, parsed as XML (the charts are well-formed)."""
    found = {}
    for match in re.finditer(r'<figure class="chart" id="([a-z-]+)">.*?</figure>', page_text, re.S):
        found[match.group(1)] = ElementTree.fromstring(match.group(0).replace("&nbsp;", "\u00a0"))
    return found


def test_an_association_sees_its_figures_as_charts_with_their_tables(client, local, kept):
    client.post("/demande", demande_fields(date_debut="2026-12-01"))
    client.post("/demande", demande_fields(nom="Lucie Rey", date_debut="2026-12-01"))
    local.service.act(local.rows()[0]["ref"], "ai:ai-libournais", "handled", outcome="client")
    ai = sign_in(client, local, AI_A)
    page = ai.get("/espace/chiffres")
    assert page.status == 200
    charts = figures_of(page.text)
    assert set(charts) == {"parcours", "resultats", "tendance-demandes", "tendance-clients", "tendance-conversion",
                           "site-association", "tendance-formulaires"}
    for chart_id, figure in charts.items():
        svg = figure.find(f".//{SVG}svg")
        assert svg.get("role") == "img" and svg.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
        assert svg.get("style") is None                       # the strict CSP forbids style attributes
        assert figure.find(".//table/caption").text
    path = charts["parcours"].find(".//table/tbody")
    assert [(row.find("th").text, row.find("td").text) for row in path][2:] == [
        ("Demandes reçues par le site", "2"), ("Demandes traitées", "1"), ("Nouveaux clients", "1")]
    months = charts["tendance-demandes"].findall(f".//{SVG}rect")
    assert len(months) == 12                                  # twelve months side by side
    rates = [(row.find("th").text, row.find("td").text) for row in charts["tendance-conversion"].find(".//tbody")]
    assert rates[-1] == ("nov. 2026", "50\u00a0%") and rates[0] == ("déc. 2025", "0\u00a0%") and len(rates) == 12
    site = [(row.find("th").text, row.find("td").text) for row in charts["site-association"].find(".//tbody")]
    assert site == [("Pages de l’annuaire vues", "600"), ("Pages de formulaire vues", "240"),
                    ("Formulaires envoyés", "7")]
    text = plain(page.text)
    assert "Demandes reçues" in text and "Taux de transformation en clients" in text
    assert "Grand Périgueux" not in text and "Comment les visiteurs sont arrivés" not in text
    assert 'style="' not in re.sub(r"<style>.*?</style>", "", page.text, flags=re.S)


def test_the_cell_sees_the_region_with_the_sites_audience_and_each_association(client, local, kept):
    cell = sign_in(client, local, OPERATOR)
    region = cell.get("/espace/chiffres?mois=2026-11")
    charts = figures_of(region.text)
    assert {"tendance-visites", "provenance", "appareils", "pages"} <= set(charts)
    visits = [(row.find("th").text, row.find("td").text) for row in charts["tendance-visites"].find(".//tbody")]
    assert len(visits) == 12 and visits[0] == ("déc. 2025", "100") and visits[-1][1] == "1\u202f200"
    assert "Visites" in plain(region.text) and '<option value="ai-grand-perigueux">' in region.text
    one = cell.get("/espace/chiffres?mois=2026-11&association=ai-grand-perigueux")
    site = [(row.find("th").text, row.find("td").text)
            for row in figures_of(one.text)["site-association"].find(".//tbody")]
    assert site[2] == ("Formulaires envoyés", "3")


def test_the_cell_sees_the_landings_per_measured_source_with_their_names(client, local):
    """Issue 25, item 3: the links the network handed out, counted from the CDN's log, named in French."""
    month = audience("2026-11", 100)
    month.sources.update({"kit-plaquette": 4, "mairie-33394": 7, "presse": 1})
    local.store.save_figures("2026-11", month.to_dict(), NOV_20 + KEPT_MONTHS * 31 * 86400)
    cell = sign_in(client, local, OPERATOR)
    chart = figures_of(cell.get("/espace/chiffres?mois=2026-11").text)["sources-mesurees"]
    rows = [(row.find("th").text, row.find("td").text) for row in chart.find(".//tbody")]
    assert rows == [("Mairie de Saint-Émilion (33394)", "7"), ("Plaquette du kit", "4"), ("Article de presse", "1")]


def test_without_a_measured_month_the_page_says_when_it_will_be(client, local):
    ai = sign_in(client, local, AI_A)
    page = plain(ai.get("/espace/chiffres?mois=2026-10").text)
    assert "n'a pas encore été mesurée" in page and "Chiffres d'octobre 2026" in page


def test_the_figures_never_read_the_access_logs_again(client, local, kept, monkeypatch):
    import chalicelib.reports.followup as monthly
    monkeypatch.setattr(monthly, "month_lines", lambda *a, **k: pytest.fail("the logs were read"))
    cell = sign_in(client, local, OPERATOR)
    assert cell.get("/espace/chiffres").status == 200


def test_an_association_cannot_ask_for_anothers_figures(client, local, kept):
    b = sign_in(client, local, AI_B)
    assert b.get("/espace/chiffres?association=ai-libournais").status == 404
    assert b.get("/espace/chiffres?mois=2027-01").status == 400
