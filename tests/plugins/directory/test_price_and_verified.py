"""The real price (issue 26) and the date the details were confirmed (issue 27) on the association's page and its
order form: shown only where the data has them, the half after the tax credit to the cent, French typography."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest

from directory.french import FILTERS, plain_text
from rules import tax_credit
from rules.dates import french_date

THEME = Path(__file__).resolve().parents[3] / "theme" / "templates"
BLOCK = re.compile(r'<div class="price">.*?</div>', re.S)
NBSP = "\u00a0"
# The sample associations that publish a price (data/associations.yaml), written out by hand.
SAMPLE_LINES = {
    "ai-grand-perigueux": f"Prix{NBSP}: environ 23{NBSP}€ de l’heure, soit 11,50{NBSP}€ après le crédit d’impôt "
                          f"de 50{NBSP}%.",
    "ai-bergeracois": f"Prix{NBSP}: environ 21,50{NBSP}€ de l’heure, soit 10,75{NBSP}€ après le crédit d’impôt "
                      f"de 50{NBSP}%.",
    "ai-bordeaux-metropole": f"Prix{NBSP}: environ 24,80{NBSP}€ de l’heure, soit 12,40{NBSP}€ après le crédit "
                             f"d’impôt de 50{NBSP}%.",
}
ADVANCE = "Cette association propose l’avance immédiate"


def read(site, path):
    return (site / path).read_text("utf-8")


def price_text(html: str) -> str | None:
    found = BLOCK.findall(html)
    assert len(found) <= 1
    return plain_text(found[0]) if found else None


def test_a_few_sample_associations_publish_a_plausible_price(site_data):
    priced = {a.id: a.hourly_price for a in site_data.associations if a.hourly_price is not None}
    assert set(priced) == set(SAMPLE_LINES)
    assert all(Decimal(20) <= price <= Decimal(26) for price in priced.values())
    assert len(priced) < len(site_data.associations)


def test_the_price_line_appears_only_where_a_price_exists(built_site, site_data):
    for ai in site_data.associations:
        for path in (f"{ai.url}index.html", f"{ai.url}demande/index.html"):
            html = read(built_site, path)
            text = price_text(html)
            if ai.id in SAMPLE_LINES:
                assert text.startswith(SAMPLE_LINES[ai.id]), (path, text)
                assert (ADVANCE in text) == ai.immediate_advance, path
                assert f'<a href="{tax_credit.OFFICIAL_PAGE}">les conditions sur service-public.fr</a>' in html
                assert f"12\u202f000{NBSP}€ de dépenses par an" in text
            elif not ai.immediate_advance:
                assert text is None, path
                assert "de l’heure" not in html and "crédit d’impôt de 50" not in html, path
                assert "service-public.fr" not in html, path


def test_the_official_page_is_a_plain_link_nothing_loaded_from_it(built_site):
    html = read(built_site, "association/ai-grand-perigueux/index.html")
    assert re.findall(r'(?:src|srcset|data|action)="[^"]*service-public', html) == []
    assert html.count("service-public.fr/") == 1


def test_the_callback_form_does_not_speak_of_price(built_site):
    assert price_text(read(built_site, "association/ai-grand-perigueux/rappel/index.html")) is None


def test_the_association_page_says_when_its_details_were_confirmed(built_site, site_data):
    html = read(built_site, "association/ai-grand-perigueux/index.html")
    assert "<p class=\"muted\">Informations vérifiées le 1er octobre 2026.</p>" in html
    for ai in site_data.associations:
        html = read(built_site, f"{ai.url}index.html")
        assert html.count("Informations vérifiées le") == (1 if ai.verified else 0), ai.id
        if ai.verified:
            assert f"Informations vérifiées le {french_date(ai.verified)}." in html


# The partials alone, for what the sample data does not show (no date; the « avance immédiate » without a price).

@pytest.fixture(scope="module")
def env():
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(THEME)), trim_blocks=True,
                                     lstrip_blocks=True, autoescape=True)
    environment.filters.update(FILTERS)
    environment.filters["french_date"] = french_date
    environment.globals["TAX_CREDIT"] = tax_credit
    return environment


def association(price=None, advance=False, verified=None):
    price = None if price is None else Decimal(price)
    return SimpleNamespace(hourly_price=price, immediate_advance=advance, verified=verified,
                           price_after_tax_credit=None if price is None else tax_credit.after_tax_credit(price))


def test_no_price_no_advance_shows_nothing(env):
    assert env.get_template("_price.html").render(ai=association()) == ""
    assert env.get_template("_price.html").render(ai=None) == ""


@pytest.mark.parametrize(("price", "line"), [
    ("23", f"environ 23{NBSP}€ de l’heure, soit 11,50{NBSP}€ après"),
    ("22.5", f"environ 22,50{NBSP}€ de l’heure, soit 11,25{NBSP}€ après"),
    ("26", f"environ 26{NBSP}€ de l’heure, soit 13{NBSP}€ après"),
])
def test_the_half_is_computed_and_written_the_french_way(env, price, line):
    text = plain_text(env.get_template("_price.html").render(ai=association(price)))
    assert line in text
    assert ADVANCE not in text


def test_the_avance_immediate_alone_is_said_without_inventing_a_price(env):
    text = plain_text(env.get_template("_price.html").render(ai=association(advance=True)))
    assert text.startswith(ADVANCE + f"{NBSP}: le crédit d’impôt est déduit tout de suite")
    assert "de l’heure" not in text and "€ de dépenses" in text


def test_no_date_no_line(env):
    assert env.get_template("_verified.html").render(ai=association()) == ""
    html = env.get_template("_verified.html").render(ai=association(verified=datetime.date(2026, 3, 3)))
    assert html == '<p class="muted">Informations vérifiées le 3 mars 2026.</p>\n'
