"""Charts: e-mail bars made of table cells (measured in Chromium), accessible SVG with its data table, and
every text escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

import pytest

from chalicelib.reports import charts
from chalicelib.reports.charts import Chart
from rules.typography import french_number

SVG = "{http://www.w3.org/2000/svg}"
ARRIVALS = Chart.of("Comment les visiteurs sont arrivés", [
    ("Moteurs de recherche", 1200), ("Accès direct", 600), ("Sites partenaires", 300), ("Réseaux sociaux", 0),
    ("Autres <sites> & « amis »", 12)], "Provenance", "Visites")
MONTHS = Chart.of("Visites par mois", [(f"m{i}", 100 * i) for i in range(1, 13)], "Mois", "Visites")
HOSTILE = Chart.of('<script>alert(1)</script>"', [('"><img src=x onerror=alert(1)>', 5)], "<b>", "</td>")


@pytest.mark.parametrize("value, decimals, text", [
    (0, 0, "0"), (999, 0, "999"), (1234, 0, "1\u202f234"), (1234567, 0, "1\u202f234\u202f567"),
    (2.375, 1, "2,4"), (607.5, 2, "607,50"),
])
def test_numbers_are_written_the_french_way(value, decimals, text):
    assert french_number(value, decimals) == text


@pytest.mark.parametrize("render", [charts.email_bars, charts.email_columns])
def test_email_charts_are_tables_with_inline_styles_only(render):
    html = render(ARRIVALS)
    for forbidden in ("<img", "<script", "<svg", "<style", "class=", "url(", "<div"):
        assert forbidden not in html
    bar = charts.PLAIN.bar
    assert f'bgcolor="{bar}"' in html and f"background-color:{bar}" in html
    assert "&lt;sites&gt; &amp; « amis »" in html
    assert "1\u202f200" in html


@pytest.mark.parametrize("render", [charts.email_bars, charts.email_columns,
                                    lambda chart: charts.figure(chart, "hostile"),
                                    lambda chart: charts.figure(chart, "hostile", columns=True)])
def test_every_text_is_escaped(render):
    html = render(HOSTILE)
    assert "<script" not in html and "<img" not in html and "<b>" not in html and "</td>\"" not in html
    assert "&lt;script&gt;" in html and "&lt;img" in html and "onerror=alert(1)&gt;" in html


def test_unsafe_ids_and_colours_are_refused():
    with pytest.raises(ValueError):
        charts.figure(ARRIVALS, 'x" onload="alert(1)')
    with pytest.raises(ValueError):
        charts.Palette(bar="red;background:url(x)")
    with pytest.raises(ValueError):
        charts.Palette.of({"primary": "#0b5563", "text": "black\"/><script>"})


def test_the_charts_wear_the_charters_colours_from_the_routing_table():
    from support_functions import ROUTING

    from chalicelib.routing import load_routing
    brand = load_routing(ROUTING).brand
    palette = charts.Palette.of(brand)
    assert (palette.bar, palette.text, palette.muted) == (brand["primary"], brand["text"], brand["muted"])
    assert f'bgcolor="{brand["primary"]}"' in charts.email_bars(ARRIVALS, palette)
    assert f'fill="{brand["primary"]}"' in charts.svg_bars(ARRIVALS, "arrivees", palette)


def test_svg_is_well_formed_and_named_for_screen_readers():
    svg = ElementTree.fromstring(charts.svg_bars(ARRIVALS, "arrivees"))
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "arrivees-title arrivees-desc"
    assert svg.find(f"{SVG}title").get("id") == "arrivees-title"
    assert svg.find(f"{SVG}title").text == "Comment les visiteurs sont arrivés"
    description = svg.find(f"{SVG}desc").text
    assert "5\u00a0barres" in description and "Moteurs de recherche, 1\u202f200" in description
    assert "Réseaux sociaux, 0" in description
    widths = [float(rect.get("width")) for rect in svg.iter(f"{SVG}rect")]
    assert widths[0] == charts.BAR_AREA and widths[1] == charts.BAR_AREA / 2 and widths[3] == 0
    assert 0 < widths[4] < widths[2]


def test_columns_grow_with_their_values():
    svg = ElementTree.fromstring(charts.svg_columns(MONTHS, "visites"))
    heights = [float(rect.get("height")) for rect in svg.iter(f"{SVG}rect")]
    assert len(heights) == 12 and heights == sorted(heights) and heights[-1] == 2 * heights[5]


def test_the_figure_holds_the_picture_and_the_data_table():
    html = charts.figure(ARRIVALS, "arrivees")
    root = ElementTree.fromstring(html.replace("&nbsp;", "\u00a0"))
    table = root.find("table")
    assert table.find("caption").text == "Comment les visiteurs sont arrivés"
    assert [th.text for th in table.iter("th")][:2] == ["Provenance", "Visites"]
    rows = [(row.find("th").text, row.find("td").text) for row in table.find("tbody")]
    assert rows[0] == ("Moteurs de recherche", "1\u202f200") and len(rows) == 5


def test_an_empty_chart_says_so():
    empty = Chart.of("Rien", [], "Mois", "Visites")
    assert "aucune donnée" in charts.describe(empty)
    ElementTree.fromstring(charts.svg_bars(empty, "rien"))


def _bar_widths(page, html: str) -> list[float]:
    page.set_content(f"<!doctype html><html lang=fr><body style='width:640px'>{html}</body></html>")
    return page.eval_on_selector_all(
        "td[bgcolor]", "cells => cells.map(cell => cell.getBoundingClientRect().width)")


@pytest.mark.browser
def test_email_bars_render_in_proportion(page):
    widths = _bar_widths(page, charts.email_bars(ARRIVALS))
    assert len(widths) == 4   # no bar for zero
    assert widths[1] == pytest.approx(widths[0] / 2, rel=0.02)
    assert widths[2] == pytest.approx(widths[0] / 4, rel=0.02)
    assert 0 < widths[3] < widths[2]


@pytest.mark.browser
def test_email_columns_render_in_proportion_and_read_in_order(page):
    page.set_content(f"<!doctype html><html lang=fr><body style='width:600px'>{charts.email_columns(MONTHS)}"
                     "</body></html>")
    heights = page.eval_on_selector_all("td[bgcolor]", "cells => cells.map(c => c.getBoundingClientRect().height)")
    assert heights[-1] == pytest.approx(120, abs=1) and heights[5] == pytest.approx(60, abs=1)
    assert re.split(r"[ \t\n]+", page.inner_text("table").strip()) == [
        word for i in range(1, 13) for word in (f"m{i}", french_number(100 * i))]


@pytest.mark.browser
def test_the_back_office_figure_passes_axe(page):
    from axe_playwright_python.sync_playwright import Axe
    body = charts.figure(ARRIVALS, "arrivees") + charts.figure(MONTHS, "visites", columns=True)
    page.set_content(f"<!doctype html><html lang=fr><head><title>Fréquentation</title></head><body><main>"
                     f"<h1>Fréquentation</h1>{body}</main></body></html>")
    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations] == []
    assert page.get_by_role("img", name="Comment les visiteurs sont arrivés").count() == 1
    assert page.get_by_role("table", name="Visites par mois").count() == 1
