"""The map in headless Chromium (only this machine reachable, so tiles fail): markers, pop-ups, finder.

Fixtures (built_site, site_url, page, site_data) come from tests/conftest.py.
"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

TILE_HOST = "tile.openstreetmap.org"


def ai_by_id(site_data, ident):
    return next(a for a in site_data.associations if a.id == ident)


def open_map(page, site_url, path="/carte/"):
    """Open a page and wait for its map to register; console errors other than tiles are kept."""
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and TILE_HOST not in (m.location or {}).get("url", "")
            and page.console_errors.append(m.text))
    page.goto(f"{site_url}{path}")
    page.wait_for_function("window.aaiMaps && Object.keys(window.aaiMaps).length > 0")


def choose(page, name):
    """Type a commune's name in the map's finder and pick it in the list."""
    page.wait_for_function("!document.querySelector('form.map-finder').hidden")
    page.fill("#map-q", name)
    page.locator("#map-results [role=option]", has_text=re.compile("^" + re.escape(name) + r" \(")).first.click()


def test_map_page_loads_without_errors_and_counts_every_ai(page, site_url, site_data):
    open_map(page, site_url)
    page.wait_for_selector(".leaflet-marker-icon")
    page.wait_for_timeout(300)  # let the cluster finish its first layout
    shown = page.evaluate("""() => {
        let total = 0;
        for (const icon of document.querySelectorAll('#map_carte .leaflet-marker-icon')) {
            total += icon.classList.contains('marker-cluster') ? parseInt(icon.textContent, 10) : 1;
        }
        return total;
    }""")
    assert shown == len(site_data.associations)
    assert page.evaluate("aaiMaps.carte.cluster.getLayers().length") == len(site_data.associations)
    assert page.errors == []
    assert page.console_errors == []
    assert "OpenStreetMap" in page.locator(".leaflet-control-attribution").inner_text()


def test_clicking_a_marker_opens_its_popup_with_the_phone(page, site_url, site_data):
    open_map(page, site_url)
    page.wait_for_selector(".leaflet-marker-icon")
    single = page.locator("#map_carte .leaflet-marker-icon:not(.marker-cluster)")
    for _ in range(8):  # zoom in through clusters until an office stands alone
        if single.count():
            break
        page.locator("#map_carte .marker-cluster").first.click()
        page.wait_for_timeout(600)
    marker = single.first
    ai = next(a for a in site_data.associations if a.name == marker.get_attribute("title"))
    assert marker.get_attribute("alt") == ai.name
    marker.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert ai.phone.display in popup.inner_text()
    assert popup.locator(f"a[href='tel:{ai.phone_e164}']").count() == 1
    for suffix in ("", "demande/", "rappel/"):
        assert popup.locator(f"a[href='/{ai.url}{suffix}']").count() == 1
    assert page.errors == []


def test_markers_are_reachable_and_opened_by_keyboard(page, site_url, site_data):
    open_map(page, site_url, f"/{site_data.associations[0].url}")
    icon = page.locator("#map_ai .leaflet-marker-icon")
    assert icon.get_attribute("tabindex") == "0"
    icon.focus()
    page.keyboard.press("Enter")
    page.locator(".leaflet-popup-content").wait_for()
    assert site_data.associations[0].phone.display in page.locator(".leaflet-popup-content").inner_text()


def test_finder_opens_the_popup_of_the_only_ai(page, site_url, site_data):
    ai = ai_by_id(site_data, "ai-bordeaux-metropole")
    open_map(page, site_url)
    choose(page, "Bordeaux")
    page.wait_for_selector(f".leaflet-popup-content a[href='tel:{ai.phone_e164}']")
    assert ai.phone.display in page.locator(".leaflet-popup-content").inner_text()
    assert ai.name in page.locator(".map-answer").inner_text()
    assert page.errors == []


def test_finder_lists_both_ais_of_a_shared_commune(page, site_url, site_data):
    open_map(page, site_url)
    choose(page, "Saint-Émilion")
    answer = page.locator(".map-answer")
    answer.locator(".ai-popup").nth(1).wait_for()
    text = answer.inner_text()
    for ident in ("ai-libournais", "ai-castillonnais"):
        ai = ai_by_id(site_data, ident)
        assert ai.name in text and ai.phone.display in text
    assert answer.locator(".ai-popup").count() == 2
    assert "2 associations interviennent à Saint-Émilion" in text
    assert answer.locator("a[href='/commune/33394-saint-emilion/']").inner_text() == "Voir la page de la commune"
    assert page.errors == []


def test_finder_says_au_bouscat_and_links_to_the_commune_page(page, site_url, site_data):
    bouscat = next(c for c in site_data.reference.communes.values() if c.name == "Le Bouscat")
    open_map(page, site_url)
    choose(page, "Le Bouscat")
    answer = page.locator(".map-answer")
    answer.locator(".ai-popup").first.wait_for()
    text = answer.inner_text()
    assert "intervient au Bouscat\u00a0:" in text or "interviennent au Bouscat\u00a0:" in text
    assert "à Le Bouscat" not in text and "de Le Bouscat" not in text
    assert answer.locator(f"a[href='/{bouscat.url}']").inner_text() == "Voir la page de la commune"


def test_zoom_buttons_and_clusters_speak_french(page, site_url):
    open_map(page, site_url)
    page.wait_for_selector("#map_carte .marker-cluster")
    zoom_in = page.locator("#map_carte .leaflet-control-zoom-in")
    zoom_out = page.locator("#map_carte .leaflet-control-zoom-out")
    assert zoom_in.get_attribute("aria-label") == zoom_in.get_attribute("title") == "Zoomer"
    assert zoom_out.get_attribute("aria-label") == zoom_out.get_attribute("title") == "Dézoomer"
    assert page.locator("#map_carte .leaflet-control-zoom a").count() == 2
    clusters = page.locator("#map_carte .marker-cluster")
    for i in range(clusters.count()):
        cluster = clusters.nth(i)
        count = cluster.inner_text().strip()
        assert cluster.get_attribute("aria-label") == \
            f"{count} associations dans ce secteur\u00a0: zoomer pour les voir"
        assert cluster.get_attribute("role") == "button"
    assert page.errors == []


def test_finder_gives_the_regional_line_for_an_uncovered_commune(page, site_url, site_data):
    assert site_data.serving("24004") == ()
    settings = site_data.settings
    open_map(page, site_url)
    choose(page, "Ajat")
    answer = page.locator(".map-answer")
    answer.locator(".notice").wait_for()
    assert "Aucune association intermédiaire n'intervient pour l'instant à Ajat" in answer.inner_text()
    assert "de Ajat" not in answer.inner_text()
    assert answer.locator(f"a[href='tel:{settings.regional_phone_e164}']").inner_text() == settings.regional_phone.display
    commune = site_data.reference.communes["24004"]
    assert answer.locator(f"a[href='/{commune.url}']").count() == 1
    assert page.errors == []


def test_departement_map_shows_its_ais(page, site_url, site_data):
    gironde = site_data.reference.departements["33"]
    open_map(page, site_url, f"/{gironde.url}")
    markers = page.locator("#map_dep_33 .leaflet-marker-icon")
    markers.first.wait_for()
    assert markers.count() == len(site_data.associations_in("33"))
    assert page.errors == []


@pytest.mark.parametrize("path", ["carte/", "association/ai-libournais/", "departement/33-gironde/"])
def test_axe_finds_no_serious_violation_with_a_popup_open(page, site_url, path):
    from axe_playwright_python.sync_playwright import Axe
    open_map(page, site_url, f"/{path}")
    page.evaluate("""() => {
        const registry = Object.values(window.aaiMaps)[0];
        const marker = Object.values(registry.markers)[0];
        if (registry.cluster) registry.cluster.zoomToShowLayer(marker, () => marker.openPopup());
        else marker.openPopup();
    }""")
    page.wait_for_function("(p => p && getComputedStyle(p).opacity === '1')"
                           "(document.querySelector('.leaflet-popup'))")
    results = Axe().run(page)
    problems = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
                for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert problems == []
