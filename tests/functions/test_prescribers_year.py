"""The prescribers' weight in the monthly report, month AND year (issue 25, item 6): per Annexe 3 origin
(declared) and per measured source, contacts, clients and conversion, for the month and for the calendar year to
date — the same code aggregated over January to the report's month; a request of last year never counts."""

from __future__ import annotations

from test_report import at, handle, submit
from chalicelib.reports.followup import follow_up
from chalicelib.reports.formats import followup_html, followup_text
from chalicelib.reports.request_figures import year_to_date


def test_the_year_view_adds_up_the_months_declared_and_measured_side_by_side(local):
    submit(local, at(2025, 12, 10, 10), nom="Année Passée", origine="mairie", source="presse")   # last year
    march = submit(local, at(2026, 3, 10, 10), nom="Marc Mars", origine="mairie", source="kit-plaquette")
    submit(local, at(2026, 6, 9, 10), nom="Julie Juin", origine="presse", source="parrainage")
    handle(local, march, at(2026, 3, 10, 15), outcome="client", first_visit="2026-03-16")
    june = submit(local, at(2026, 6, 10, 10), nom="Jean Juin", origine="mairie", source="parrainage")
    handle(local, june, at(2026, 6, 10, 15), outcome="client", first_visit="2026-06-15")

    followup = follow_up(local.service, "2026-06", as_of=at(2026, 7, 1, 9), measure=False)
    year = followup.report.year
    assert year is not None and followup.report.year_months[0] == "2026-01"
    assert (followup.report.region.received, year.region.received) == (2, 3)
    assert year.region.sources == {"kit-plaquette": 1, "parrainage": 2}
    assert year.region.client_sources == {"kit-plaquette": 1, "parrainage": 1}
    assert year.line("ai-libournais").origins["mairie"] == 2

    text = followup_text(followup, local.service.routing)
    month_part, year_part = text.split("Sur l'année, de janvier à juin 2026 (cumul des mois), déclaré (Annexe 3) :")
    # the month: June only
    assert "Parrainage : 2 contacts, 1 client (50 %)" in month_part and "Plaquette du kit" not in month_part
    # the year: March and June, declared then measured, never December 2025
    declared, measured = year_part.split("Et mesuré :")
    assert "2 contacts, 2 clients (100 %)" in declared and "1 contact, 0 client (0 %)" in declared
    assert "Plaquette du kit : 1 contact, 1 client (100 %)" in measured
    assert "Parrainage : 2 contacts, 1 client (50 %)" in measured and "Article de presse" not in measured

    own = followup_text(follow_up(local.service, "2026-06", as_of=at(2026, 7, 1, 9), measure=False,
                                  association="ai-libournais"), local.service.routing, "ai-libournais")
    assert "Sur l'année, de janvier à juin 2026" in own and "Plaquette du kit : 1 contact, 1 client (100 %)" in own
    html = followup_html(followup, local.service.routing)
    assert "Sur l'année, de janvier à juin 2026 (cumul des mois), déclaré (Annexe 3)</h2>" in html
    assert "<li>Plaquette du kit : 1 contact, 1 client (100 %)</li>" in html


def test_in_january_the_year_is_the_month(local):
    submit(local, at(2026, 1, 12, 10), origine="mairie", source="presse")
    year = year_to_date(local.service, "2026-01", at(2026, 2, 2, 9))
    assert year.region.received == 1 and year.region.sources == {"presse": 1}
    text = followup_text(follow_up(local.service, "2026-01", as_of=at(2026, 2, 2, 9), measure=False),
                         local.service.routing)
    assert "Sur l'année, janvier 2026 (cumul des mois)" in text
