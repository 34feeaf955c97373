"""The audience in French for people: text, e-mail HTML, CSV rows, twelve months side by side."""

from __future__ import annotations

import dataclasses

import pytest
from support_audience import HOST, PARTNERS, SECRET
from support_functions import ROUTING

from chalicelib.audience import presentation
from chalicelib.audience.figures import month_figures
from chalicelib.routing import load_routing


@pytest.fixture(scope="module")
def figures(november):
    return month_figures(november.lines(), "2026-11", secret=SECRET, partners=PARTNERS, site_hosts=[HOST])


def test_key_figures_are_the_specifications_three_and_their_neighbours(figures):
    assert presentation.key_figures(figures) == [
        ("Visites", "8"), ("Pages vues", "19"), ("Pages vues par visite", "2,4"),
        ("Durée moyenne d’une visite", "10\u00a0min\u00a008\u00a0s"), ("Formulaires envoyés depuis le site", "3"),
        ("Pages servies à des robots (non comptées)", "12"),
    ]


def test_the_text_section_names_associations_and_communes(figures):
    text = presentation.audience_text(figures, load_routing(ROUTING))
    assert text.startswith("Fréquentation du site — novembre 2026\n")
    assert "Moteurs de recherche\u00a0: 2" in text and "Sites partenaires\u00a0: 1" in text
    assert "Tablette\u00a0: 1" in text and "Ordinateur\u00a0: 4" in text
    assert "AI du Libournais\u00a0: 2" in text
    assert "Saint-Émilion (33394)\u00a0: 1" in text
    assert "Formulaires envoyés\u00a0: 3" in text


def test_each_association_gets_its_own_lines(figures):
    text = presentation.association_text(figures, "ai-libournais", "AI du Libournais")
    assert "Vues de votre page\u00a0: 2" in text and "Vues de vos formulaires\u00a0: 1" in text
    assert "Formulaires envoyés depuis le site\u00a0: 1" in text
    assert "Vues de votre page\u00a0: 0" in presentation.association_text(figures, "ai-sans-visite")


def test_charts_carry_every_class_even_at_zero(figures):
    arrivals = presentation.arrivals_chart(figures)
    assert [(bar.label, bar.value) for bar in arrivals.bars] == [
        ("Moteurs de recherche", 2), ("Accès direct", 3), ("Sites partenaires", 1), ("Réseaux sociaux", 1),
        ("Autres sites", 1)]
    devices = presentation.devices_chart(figures)
    assert [bar.value for bar in devices.bars] == [3, 1, 4, 0]
    funnel = presentation.funnel_chart(figures, "aai", "AAI")
    assert [bar.value for bar in funnel.bars] == [0, 1, 1] and "AAI" in funnel.title


def test_twelve_months_side_by_side_oldest_first(figures):
    history = [dataclasses.replace(figures, month=f"2025-{m:02d}", visits=m) for m in range(1, 13)]
    chart = presentation.trend_chart([*history, figures], "visits")
    assert len(chart.bars) == 12
    assert chart.bars[0].label == "févr. 2025" and chart.bars[-1].label == "nov. 2026"
    assert chart.bars[-1].value == 8
    minutes = presentation.trend_chart([figures], "average_visit_seconds")
    assert minutes.bars[0].value == pytest.approx(10.125) and minutes.shown(10.125) == "10,1\u00a0min"


def test_the_email_section_holds_figures_and_charts_but_no_image(figures):
    earlier = dataclasses.replace(figures, month="2026-10", visits=5)
    html = presentation.audience_email_html(figures, [earlier])
    assert "Fréquentation du site — novembre 2026" in html
    assert "Visites par mois" in html and "oct.<br>2026" in html
    assert "Comment les visiteurs sont arrivés" in html and "Pages les plus vues" in html
    assert "<img" not in html and "<script" not in html and "<svg" not in html


def test_csv_rows_cover_every_figure(figures):
    rows = presentation.csv_rows(figures)
    assert ["2026-11", "visites", "", "8"] in rows
    assert ["2026-11", "provenance", "Sites partenaires", "1"] in rows
    assert ["2026-11", "site d'origine", "gironde.fr", "1"] in rows
    assert ["2026-11", "page", "/merci/", "4"] in rows
    assert ["2026-11", "Formulaires envoyés", "ai-bordeaux", "1"] in rows
    assert all(len(row) == 4 for row in rows)
