"""The town halls' card and poster in Chromium (issue 25, item 4): the card pasted in a page of another origin
shows the associations with JavaScript off and fetches nothing; the commune's town-hall page prints one A4
poster with the phones; « Copier le code » copies the code, and without JavaScript the code is still there."""

from __future__ import annotations

import html
import io
import re
import urllib.request

import pytest
from pypdf import PdfReader

from scripts.benchmarking import serve_folder

pytestmark = pytest.mark.browser

TEXTAREA = re.compile(r'<textarea id="code-carte"[^>]*>(.*?)</textarea>', re.S)


def card_of(site_url: str, commune) -> str:
    with urllib.request.urlopen(f"{site_url}/{commune.url}mairie/") as answer:
        return html.unescape(TEXTAREA.search(answer.read().decode("utf-8")).group(1))


def test_card_pasted_on_another_site_shows_the_associations_without_javascript(page_nojs, site_url, site_data,
                                                                             tmp_path):
    commune = site_data.reference.communes["33394"]
    serving = site_data.serving(commune.insee)
    host = ("<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Mairie de Saint-Émilion</title>"
            "<style>body { font-family: serif; color: #600; } h2 { color: red; font-size: 3rem; }</style></head>"
            f"<body><h1>Vie pratique</h1>{card_of(site_url, commune)}</body></html>")
    (tmp_path / "index.html").write_text(host, "utf-8")
    requests = []
    page_nojs.on("request", lambda request: requests.append(request.url))
    with serve_folder(tmp_path) as town:
        assert town.split(":")[-1] != site_url.split(":")[-1]  # another origin: another port
        page_nojs.goto(f"{town}/")
        card = page_nojs.locator("section").first
        assert card.locator("h2").inner_text() == f"Aide à domicile à {commune.name}"
        for ai in serving:
            link = card.locator(f"a[href='tel:{ai.phone.e164}']")
            assert link.is_visible() and link.inner_text() == ai.phone.display
            assert ai.name in card.inner_text()
        # Its own look holds against the host's style sheet: the inline styles win.
        assert card.locator("h2").evaluate("e => getComputedStyle(e).color") == "rgb(31, 78, 121)"
        assert card.evaluate("e => getComputedStyle(e).borderTopWidth") == "2px"
        assert requests == [f"{town}/"]  # nothing fetched: no script, font, image or style from anywhere


def test_town_hall_page_prints_one_a4_poster_with_the_phones(page, site_url, site_data):
    busiest = max(site_data.reference.communes.values(), key=lambda c: len(site_data.serving(c.insee)))
    for commune in (busiest, site_data.reference.communes["33394"], site_data.uncovered()[0]):
        page.goto(f"{site_url}/{commune.url}mairie/")
        page.emulate_media(media="print")
        reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
        assert len(reader.pages) == 1, commune.insee
        width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
        assert abs(width - 595.3) < 1.5 and abs(height - 841.9) < 1.5  # A4 in points
        text = " ".join(reader.pages[0].extract_text().split())  # spaces as the PDF's text gives them, folded
        phones = [ai.phone.display for ai in site_data.serving(commune.insee)]
        for phone in [*phones, site_data.settings.regional_phone.display]:
            assert " ".join(phone.split()) in text, (commune.insee, phone)
        assert commune.name.upper() in text and "Copier le code" not in text and "Menu" not in text
        qr = page.locator(".poster-qr svg")
        assert qr.is_visible() and qr.bounding_box()["width"] >= 100  # about 48 mm
    assert len(site_data.serving(busiest.insee)) >= 2
    # Room to spare: a commune served by four associations, longest name and all, still prints on one page.
    page.goto(f"{site_url}/{busiest.url}mairie/")
    page.emulate_media(media="print")
    page.evaluate("""() => { const list = document.querySelector('.poster-ais');
        const longest = [...list.children].sort((a, b) => b.textContent.length - a.textContent.length)[0];
        while (list.children.length < 4) list.append(longest.cloneNode(true)); }""")
    assert page.locator(".poster-ais li").count() == 4
    assert len(PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True))).pages) == 1


def test_copy_button_copies_the_code(browser, site_url, site_data):
    context = browser.new_context(locale="fr-FR")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url)
    try:
        tab = context.new_page()
        errors = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        commune = site_data.reference.communes["33394"]
        tab.goto(f"{site_url}/{commune.url}mairie/")
        tab.get_by_role("button", name="Copier le code").click()
        tab.get_by_role("status").filter(has_text="Code copié").wait_for()
        assert tab.evaluate("navigator.clipboard.readText()") == card_of(site_url, commune)
        assert errors == []
    finally:
        context.close()


def test_without_javascript_the_code_is_there_to_select(page_nojs, site_url):
    page_nojs.goto(f"{site_url}/commune/33394-saint-emilion/mairie/")
    assert not page_nojs.get_by_role("button", name="Copier le code").is_visible()
    code = page_nojs.get_by_label("Le code à coller")
    assert code.is_visible() and code.get_attribute("readonly") is not None
    assert code.input_value().startswith("<!--") and "?source=mairie-33394" in code.input_value()
