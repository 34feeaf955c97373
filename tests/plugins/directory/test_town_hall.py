"""The town halls' card and poster (issue 25, item 4): a page per commune under its own, built from the real data.

The card is what a town's webmaster pastes on the town's website: plain HTML with inline CSS, no script, no
resource from anywhere, every link to this site, the commune page's carrying the town hall's source."""

from __future__ import annotations

import html
import re

from support_html import html_errors

from rules.sources import town_hall_of, town_hall_source

TEXTAREA = re.compile(r'<textarea id="code-carte"[^>]*>(.*?)</textarea>', re.S)
PREVIEW = re.compile(r'<div class="thc-preview">(.*?)</div>', re.S)
URL = re.compile(r'(?:href|src|action|srcset)\s*=\s*"([^"]*)"', re.I)


def town_hall_page(site, commune) -> str:
    return (site / commune.url / "mairie" / "index.html").read_text("utf-8")


def card_code(page: str) -> str:
    """The code as the webmaster copies it: the textarea's text, escaped once in the page."""
    return html.unescape(TEXTAREA.search(page).group(1))


def bare(markup: str) -> str:
    """Markup without comments, style and class attributes: the structure and the text."""
    markup = re.sub(r"<!--.*?-->", "", markup, flags=re.S)
    return re.sub(r'\s(?:style|class)="[^"]*"', "", markup).strip()


def test_every_commune_has_a_town_hall_page_linked_from_its_page(built_site, site_data):
    communes = list(site_data.reference.communes.values())
    assert len(list((built_site / "commune").glob("*/mairie/index.html"))) == len(communes) == 2228
    for commune in communes[::97]:
        assert '<a href="mairie/">Pour la mairie&nbsp;: carte et affiche</a>' in (
            built_site / commune.url / "index.html").read_text("utf-8")


def test_every_card_is_plain_html_linking_only_to_the_site_with_the_town_hall_source(built_site, site_data):
    public = site_data.settings.site_url
    for commune in site_data.reference.communes.values():
        code = card_code(town_hall_page(built_site, commune))
        lowered = code.lower()
        for forbidden in ("<script", "<img", "<link", "<iframe", "<style", "<object", "<svg", "@import", "url("):
            assert forbidden not in lowered, (commune.insee, forbidden)
        assert not re.search(r"<[^>]*\son\w+\s*=", lowered), commune.insee  # no event handler attribute
        links = URL.findall(code)
        assert all(link.startswith(("tel:", public + "/")) for link in links), (commune.insee, links)
        page_link = f"{public}/{commune.url}?source={town_hall_source(commune.insee)}"
        assert page_link in links, commune.insee
        assert re.search(r"<h2[ >]", code)
        serving = site_data.serving(commune.insee)
        phones = [ai.phone for ai in serving] or [site_data.settings.regional_phone]
        for phone in phones:
            assert f'href="tel:{phone.e164}"' in code and f">{phone.display}</a>" in code, commune.insee
        for ai in serving:
            assert html.escape(ai.name, quote=False) in code


def test_preview_and_code_are_one_markup(built_site, site_data):
    """One template for both: only the styling differs (classes in the preview, the site's CSP refusing style
    attributes; inline styles in the code), and the preview has no style attribute."""
    for insee in ("33394", "33063", site_data.uncovered()[0].insee):
        page = town_hall_page(built_site, site_data.reference.communes[insee])
        preview = PREVIEW.search(page).group(1)
        assert "style=" not in preview and 'class="thc-card"' in preview
        assert bare(preview) == bare(card_code(page))
        assert 'style="' in card_code(page) and "class=" not in card_code(page)


def test_uncovered_commune_card_gives_the_regional_line(built_site, site_data):
    commune = site_data.uncovered()[0]
    code = card_code(town_hall_page(built_site, commune))
    assert "aucune association intermédiaire ne couvre encore la commune" in code
    assert f'href="tel:{site_data.settings.regional_phone.e164}"' in code


def test_cards_and_town_hall_pages_validate(built_site, site_data, tmp_path):
    """The W3C checker on the card pasted alone in a minimal page (one AI, two, none) and on the pages."""
    picks = [site_data.reference.communes[insee] for insee in ("33394", "33063")] + [site_data.uncovered()[0]]
    assert len(site_data.serving("33394")) == 2
    for commune in picks:
        code = card_code(town_hall_page(built_site, commune))
        (tmp_path / f"carte-{commune.insee}.html").write_text(
            f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Mairie</title></head>'
            f"<body><main>{code}</main></body></html>", "utf-8")
        (tmp_path / f"page-{commune.insee}.html").write_text(town_hall_page(built_site, commune), "utf-8")
    (tmp_path / "mairies.html").write_text((built_site / "mairies" / "index.html").read_text("utf-8"), "utf-8")
    assert html_errors(tmp_path) == ""


def test_town_halls_page_quotes_the_seed_and_is_linked(built_site):
    page = (built_site / "mairies" / "index.html").read_text("utf-8")
    text = html.unescape(page).replace("\u00a0", " ")
    assert "<h1>Mairies\u00a0: orientez vos habitants</h1>" in html.unescape(page)
    assert "les mairies représentent (49 %)" in text and "/commune/33394-saint-emilion/mairie/" in page
    assert "[nom de la commune]" in page  # the associations' ready e-mail, with its placeholders
    assert 'href="/mairies/"' in (built_site / "partenaires" / "index.html").read_text("utf-8")


def test_town_hall_source_round_trip():
    assert town_hall_source("33394") == "mairie-33394" and town_hall_of("mairie-33394") == "33394"
    assert town_hall_of("mairie-3339") is None and town_hall_of("partenaire-33394") is None
    assert town_hall_of("mairie-33394&x=1") is None


def test_poster_qr_code_points_to_the_commune_page_with_the_source(built_site, site_data):
    from directory.town_hall import QR_MASK, card_link

    from kit.qr import qr_svg

    commune = site_data.reference.communes["33394"]
    page = town_hall_page(built_site, commune)
    link = card_link(site_data.settings.site_url, commune)
    assert link.endswith("/commune/33394-saint-emilion/?source=mairie-33394")
    expected = qr_svg(link, mask=QR_MASK).replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    assert expected in page


def test_qr_codes_are_kept_between_builds(tmp_path):
    """A cold build into an empty output folder makes again only the QR codes it has never made."""
    from directory.town_hall import CACHE_FOLDER, qr_code

    first = qr_code("https://example.org/a/?source=mairie-33394", tmp_path)
    cached = list((tmp_path / CACHE_FOLDER).glob("*.svg"))
    assert len(cached) == 1 and cached[0].read_text("utf-8") == first and first.startswith("<svg")
    cached[0].write_text("<svg>kept</svg>", "utf-8")
    assert qr_code("https://example.org/a/?source=mairie-33394", tmp_path) == "<svg>kept</svg>"
    assert qr_code("https://example.org/b/?source=mairie-33394", tmp_path) != first
    assert qr_code("https://example.org/a/?source=mairie-33394") == first  # no cache: made each time
