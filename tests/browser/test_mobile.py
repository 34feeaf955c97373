"""Every page type on a phone and a desktop, in Chromium: no sideways scroll, content near the top,
the menu and the service filter without JavaScript, plain French digits, axe (WCAG 2.2 AA) clean."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# One page of each type (the map's own behaviour is tested in test_map.py).
PAGE_TYPES = {
    "accueil": "",
    "trouver": "trouver/",
    "département": "departement/33-gironde/",
    "commune, 2 AI": "commune/33394-saint-emilion/",
    "commune, sans AI": "commune/47003-agnac/",
    "commune, pour la mairie": "commune/33394-saint-emilion/mairie/",
    "mairies": "mairies/",
    "association": "association/ai-libournais/",
    "liste des AI": "association/",
    "services": "services/",
    "demande": "association/ai-libournais/demande/",
    "rappel AAI": "rappel/",
    "merci": "merci/",
    "actualités": "actualites/",
    "article": "actualites/foire-internationale-de-bordeaux-2026/",
    "page": "charte-qualite/",
    "charte graphique": "charte-graphique/",
    "recherche": "recherche/?q=jardinage",
    "carte": "carte/",
    "404": "404.html",
}
WIDTHS = [320, 390, 1280]
# What a page still fetches after its load event: the maps' territory (shapes), the fonts' faces. Waiting for
# them, rather than for half a second without network, is what a person sees once the page has settled.
SETTLED = ("() => document.fonts.status === 'loaded' && (!window.aaiMaps || "
           "Object.values(window.aaiMaps).every(m => m.territory && m.territory.ready))")
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def contexts(browser):
    """One browser context per width, shared by the module's tests (each test opens its own tab)."""
    made = {width: browser.new_context(viewport={"width": width, "height": 844}, locale="fr-FR")
            for width in WIDTHS}
    for context in made.values():
        context.route("**/*", lambda route: route.continue_()
                      if route.request.url.startswith(("http://127.0.0.1", "data:")) else route.abort())
        context.add_init_script("""
            window.cspViolations = [];
            document.addEventListener('securitypolicyviolation', e =>
                window.cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));
        """)
    yield made
    for context in made.values():
        context.close()


@pytest.fixture
def tab(contexts, request):
    pages = []

    def open_at(width: int, url: str):
        page = contexts[width].new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        pages.append(page)
        page.goto(url)  # the load event: the page, its styles, fonts and deferred scripts
        page.wait_for_function(SETTLED)
        return page
    yield open_at
    for page in pages:
        page.close()


@pytest.mark.parametrize("path", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
def test_page_reflows_keeps_the_policy_and_axe_finds_nothing_serious(tab, site_url, path):
    """One visit per page type, three checks. Under production's Content-Security-Policy (the test
    server sends it): no violation, no script error. WCAG 1.4.10 (reflow): nothing wider than the
    screen at 320, 390 and 1280 CSS px; on a 390 px phone the page's own content (main) starts within
    the first 160 px. Then axe (WCAG 2.2 AA) on that 390 px phone: nothing serious or critical."""
    from axe_playwright_python.sync_playwright import Axe

    page = tab(WIDTHS[0], f"{site_url}/{path}")
    violations = [v for v in page.evaluate("window.cspViolations") if "tile.openstreetmap.org" not in v]
    assert violations == [] and page.errors == []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{width} px"
        if width == 390:
            assert page.evaluate("document.querySelector('main').getBoundingClientRect().top") <= 160
    page.set_viewport_size({"width": 390, "height": 844})
    if path.startswith("recherche/"):
        page.wait_for_selector("#search-results li")
    # The map's markers are left out: the accessibility statement lists the map as exempt content
    # (the finder and the directory pages give the same information), and the map is tested in
    # test_map.py. Everything else on the page is checked.
    results = Axe().run(page, context={"exclude": [[".leaflet-container"]]},
                        options={"runOnly": {"type": "tag", "values": WCAG_22_AA},
                                 "resultTypes": ["violations"]})
    problems = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
                for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert problems == []


def test_open_menu_fits_a_320_px_screen(tab, site_url):
    page = tab(320, f"{site_url}/services/")
    page.click(".site-menu summary")
    page.locator(".menu a[href='/carte/']").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    button = page.locator(".site-search button").bounding_box()
    assert button["x"] + button["width"] <= 320


def test_regional_number_is_one_tap_away_on_a_phone(tab, site_url, site_data):
    page = tab(390, f"{site_url}/commune/33394-saint-emilion/")
    link = page.locator(f".header-phone[href='tel:{site_data.settings.regional_phone.e164}']")
    box = link.bounding_box()
    assert box["y"] < 120 and box["height"] >= 24  # in the header, a comfortable target
    assert site_data.settings.regional_phone.display in link.inner_text()


def test_menu_is_a_disclosure_without_javascript(page_nojs, site_url):
    page = page_nojs
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{site_url}/services/")
    assert not page.locator(".menu a[href='/carte/']").is_visible()
    page.click(".site-menu summary")
    page.click(".menu a[href='/carte/']")
    assert page.url.endswith("/carte/")


def test_menu_and_search_are_in_view_on_a_desktop(tab, site_url):
    page = tab(1280, f"{site_url}/")
    assert not page.locator(".site-menu summary").is_visible()
    assert page.locator(".menu a[href='/services/']").is_visible()
    assert page.locator("#site-search-q").is_visible()
    assert page.evaluate("document.querySelector('header').getBoundingClientRect().height") < 160


def test_home_first_action_is_find_my_association(tab, site_url):
    page = tab(390, f"{site_url}/")
    button = page.get_by_role("button", name="Trouver mon association")
    assert button.bounding_box()["y"] + button.bounding_box()["height"] <= 844  # on the first screen
    page.fill("#finder-q", "saint emilion")
    page.locator("#finder-results [role=option]").first.wait_for()
    page.select_option("#finder-service", "jardinage")
    with page.expect_navigation():
        button.click()
    assert page.url.endswith("/commune/33394-saint-emilion/#service-jardinage")


def test_services_page_asks_who_does_it_in_my_commune(tab, site_url):
    page = tab(390, f"{site_url}/services/")
    page.click("#jardinage .who a")
    page.wait_for_function("() => document.querySelector('#finder-service').value === 'jardinage'")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "sans-js"])
def test_service_filter_on_a_commune_page(browser, site_url, site_data, javascript):
    """« Qui fait du X dans ma commune ? »: a link, an answer, the other cards step aside."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{site_url}/commune/33394-saint-emilion/")
    serving = site_data.serving("33394")
    service = next(s for s in site_data.services.values()
                   if 0 < sum(ai.offers(s.id) for ai in serving) < len(serving))
    assert page.locator(".ai-card:visible").count() == len(serving)
    page.click(f".service-filter a[href='#service-{service.id}']")
    answer = page.locator(f"#service-{service.id}")
    assert answer.is_visible() and service.name in answer.inner_text()
    shown = [page.locator(".ai-card:visible h3").nth(i).inner_text()
             for i in range(page.locator(".ai-card:visible").count())]
    assert shown == [ai.name for ai in serving if ai.offers(service.id)]
    page.click(f"#service-{service.id} a[href='#associations']")
    assert page.locator(".ai-card:visible").count() == len(serving)
    nobody = next((s for s in site_data.services.values() if not any(ai.offers(s.id) for ai in serving)), None)
    if nobody is not None:
        page.click(f".service-filter a[href='#service-{nobody.id}']")
        assert site_data.settings.regional_phone.display in page.locator(f"#service-{nobody.id}").inner_text()
        assert page.locator(".ai-card:visible").count() == 0
    context.close()


def test_cards_help_to_choose(tab, site_url, site_data):
    page = tab(390, f"{site_url}/commune/33394-saint-emilion/")
    for ai in site_data.serving("33394"):
        card = page.locator(f"#ai-{ai.id}")
        text = card.inner_text().replace("\u00a0", " ")
        assert ("Signataire de la charte qualité" in text) == (ai.charter_signed is not None)
        assert " km de la mairie" in text or "dans la commune" in text
        for service in ai.services:
            assert service.name in text
        assert card.locator(f"use[href$='#{ai.services[0].icon}']").count() == 1


def test_zero_is_not_slashed(tab, site_url):
    """The digits come from the charter's figures face, not from Atkinson's slashed zero."""
    page = tab(390, f"{site_url}/")
    page.evaluate("document.fonts.ready")
    families = page.evaluate("""() => {
        const el = document.querySelector('.header-phone strong');
        return getComputedStyle(el).fontFamily; }""")
    assert families.startswith('"AAI Chiffres"')
    assert page.evaluate("document.fonts.check('16px \"AAI Chiffres\"', '0')")
    loaded = page.evaluate("[...document.fonts].filter(f => f.family === 'AAI Chiffres' && f.status === 'loaded')"
                           ".length")
    assert loaded >= 1


@pytest.mark.parametrize("query, says, never", [
    ("type=rappel&association=aai", "La cellule régionale d'AAI vous rappelle", "L'association vous"),
    ("type=rappel&association=ai-libournais&charte=oui", "sous 48 heures, comme s'y engagent",
     "cellule régionale d'AAI vous"),
    ("type=demande&association=ai-albret", "L'association vous recontacte pour préciser", "48 heures, comme"),
])
def test_thank_you_page_speaks_of_the_right_recipient(tab, site_url, query, says, never):
    page = tab(390, f"{site_url}/merci/?ref=AI-20261123-7K3F9Q&{query}")
    text = page.locator("#merci").inner_text().replace("\u00a0", " ")
    assert says in text and never not in text


def test_thank_you_page_without_javascript_fits_every_recipient(page_nojs, site_url):
    page_nojs.goto(f"{site_url}/merci/?ref=AI-20261123-7K3F9Q&type=rappel&association=aai")
    text = page_nojs.locator("#merci").inner_text().replace("\u00a0", " ")
    assert "Vous êtes recontacté" in text
    assert "L'association vous" not in text and "signataires de la charte qualité s'engagent" in text


# WCAG 1.4.12: what a reader's style sheet may set, on every element, without anything being lost.
TEXT_SPACING = ("* { line-height: 1.5 !important; letter-spacing: .12em !important; word-spacing: .16em !important; }"
                " p { margin-bottom: 2em !important; }")


@pytest.mark.parametrize("path", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
def test_text_spacing_at_320_px_scrolls_nothing_sideways(tab, site_url, path):
    """Issue 22, 30: with the text spacing of WCAG 1.4.12 on a 320 px screen, no page is wider than the screen
    (the home page's service tiles were 14 px too wide), and no element sticks out of the page."""
    page = tab(320, f"{site_url}/{path}")
    # As a reader's style sheet does, past the site's Content-Security-Policy (which refuses a <style> element).
    page.evaluate("""css => { const sheet = new CSSStyleSheet(); sheet.replaceSync(css);
                              document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]; }""", TEXT_SPACING)
    assert page.evaluate("getComputedStyle(document.body).letterSpacing") != "normal"  # the override applies
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # Nor does anything stick out of the page, but inside a region that scrolls by itself (a wide table).
    sticking_out = page.evaluate("""() => {
        const scrolled = e => {
            for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
                if (['auto', 'scroll'].includes(getComputedStyle(a).overflowX)) return true;
            }
            return false;
        };
        return [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > 320.5 && !e.closest('.leaflet-container') && !scrolled(e))
            .map(e => e.tagName + '.' + e.className);
    }""")
    assert sticking_out == []
