"""« Trouver mon association » in headless Chromium: menus, type-ahead, keyboard, no JavaScript."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def open_finder(page, site_url):
    page.goto(f"{site_url}/trouver/")
    page.wait_for_function("() => document.querySelector('#finder-dep') && "
                           "!document.querySelector('form.finder').hidden")


def test_menus_lead_from_departement_to_commune_page(page, site_url):
    open_finder(page, site_url)
    page.select_option("#finder-dep", "33")
    page.wait_for_function("() => document.querySelector('#finder-commune').options.length > 500")
    page.select_option("#finder-commune", "33394")
    page.wait_for_timeout(300)
    assert page.url.endswith("/trouver/")  # choosing does not leave the page (WCAG 3.2.2)...
    with page.expect_navigation():
        page.click("form.finder button[type=submit]")  # ...the button does
    assert page.url.endswith("/commune/33394-saint-emilion/")
    assert page.locator("h1").inner_text() == "Saint-Émilion"
    assert page.errors == []


@pytest.mark.parametrize("query", ["saint emilion", "SAINT-EMILION", "33330"])
def test_type_ahead_ignores_case_accents_hyphens_and_takes_postal_codes(page, site_url, query):
    open_finder(page, site_url)
    page.fill("#finder-q", query)
    option = page.locator("#finder-results [role=option]").first
    option.wait_for()
    assert "Saint-Émilion" in page.locator("#finder-results").inner_text()
    assert "trouvée" in page.locator(".finder-status").inner_text()


def test_type_ahead_finds_a_former_commune_name(page, site_url, site_data):
    from rules.typography import fold
    names = [fold(c.name) for c in site_data.reference.communes.values()]
    commune = next(c for c in site_data.reference.communes.values()
                   if c.former and not any(fold(c.former[0].name) in n for n in names))
    open_finder(page, site_url)
    page.fill("#finder-q", commune.former[0].name)
    page.locator("#finder-results [role=option]").first.wait_for()
    assert f"aujourd'hui {commune.name}" in page.locator("#finder-results").inner_text()


def test_keyboard_only(page, site_url):
    open_finder(page, site_url)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    # From the main content, the next stop is the search field.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "finder-q":
            break
    assert page.evaluate("document.activeElement.id") == "finder-q"
    page.keyboard.type("saint emil")
    page.locator("#finder-results [role=option]").first.wait_for()
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("#finder-q", "aria-activedescendant") == "finder-opt-0"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/commune/33394-saint-emilion/" in page.url


def test_without_javascript_links_lead_to_the_commune(page_nojs, site_url):
    page = page_nojs
    page.goto(f"{site_url}/trouver/")
    assert page.locator("form.finder").is_hidden()
    page.click(".finder-nojs >> text=Gironde (33)")
    assert "/departement/33-gironde/" in page.url
    page.click("a[href='/commune/33394-saint-emilion/']")
    assert page.locator("h1").inner_text() == "Saint-Émilion"
    assert page.locator(".ai-card").count() == 2


def test_index_is_fetched_on_first_use_not_with_the_page(page, site_url):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    open_finder(page, site_url)
    page.wait_for_load_state("networkidle")
    assert not any(url.endswith("/trouver/communes.json") for url in requested)
    with page.expect_request("**/trouver/communes.json") as request:
        page.focus("#finder-q")
    assert request.value.url.endswith("/trouver/communes.json")


def test_arrow_keys_in_the_commune_menu_do_not_navigate(page, site_url):
    open_finder(page, site_url)
    page.select_option("#finder-dep", "33")
    page.wait_for_function("() => document.querySelector('#finder-commune').options.length > 500")
    page.focus("#finder-commune")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(300)
    assert page.url.endswith("/trouver/")
    assert page.evaluate("document.querySelector('#finder-commune').value") != ""
    chosen = page.evaluate("document.querySelector('#finder-commune').value")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the button takes the visitor to the commune chosen
    assert f"/commune/{chosen}-" in page.url


def test_escape_closes_the_list_and_clears_the_status(page, site_url):
    open_finder(page, site_url)
    page.fill("#finder-q", "saint emil")
    page.locator("#finder-results [role=option]").first.wait_for()
    assert "trouvée" in page.locator(".finder-status").inner_text()
    page.keyboard.press("Escape")
    assert page.locator("#finder-results").is_hidden()
    assert page.evaluate("document.querySelector('.finder-status').textContent") == ""


def test_more_than_twelve_communes_asks_for_a_narrower_search(page, site_url):
    open_finder(page, site_url)
    page.fill("#finder-q", "saint")
    page.locator("#finder-results [role=option]").first.wait_for()
    assert page.locator("#finder-results [role=option]").count() == 12
    assert page.locator(".finder-status").inner_text() == "Plus de 12 communes\u00a0: précisez votre recherche."


@pytest.mark.parametrize("query, name", [("st emilion", "Saint-Émilion"), ("St-Émilion", "Saint-Émilion"),
                                         ("ste foy", "Sainte-Foy-la-Grande")])
def test_st_and_ste_stand_for_saint_and_sainte(page, site_url, query, name):
    open_finder(page, site_url)
    page.fill("#finder-q", query)
    page.locator("#finder-results [role=option]").first.wait_for()
    assert name in page.locator("#finder-results").inner_text()


def test_home_shows_the_departement_links_only_without_javascript(page, page_nojs, site_url):
    page.goto(f"{site_url}/")
    page.wait_for_function("() => !document.querySelector('form.finder').hidden")
    assert page.locator(".finder-nojs").is_hidden()
    page_nojs.goto(f"{site_url}/")
    assert page_nojs.locator(".finder-nojs").is_visible()
    assert page_nojs.locator("form.finder").is_hidden()


def test_every_postcode_of_the_five_departements_first_suggests_a_commune_with_it(page, site_url, site_data):
    """Typed in the type-ahead, each postcode's first suggestion carries it (never an INSEE code)."""
    postcodes = sorted({p for c in site_data.reference.communes.values() for p in c.postal_codes})
    assert len(postcodes) > 300  # 309 in the reference of 2026
    open_finder(page, site_url)
    page.focus("#finder-q")
    page.wait_for_function("() => document.querySelector('#finder-q') && window.aaiCommunes")
    wrong = page.evaluate("""async postcodes => {
        const input = document.querySelector('#finder-q');
        const list = document.querySelector('#finder-results');
        const wrong = [];
        for (const postcode of postcodes) {
            input.value = postcode;
            input.dispatchEvent(new Event('input'));
            // the index comes in parts fetched on demand: wait for the answer (5 s at most), not a tick count
            const deadline = performance.now() + 5000;
            while (!(list.firstElementChild || {}).textContent && performance.now() < deadline) {
                await new Promise(resolve => setTimeout(resolve, 5));
            }
            const first = list.querySelector('[role=option]');
            if (!first || !first.textContent.includes(postcode)) wrong.push([postcode, first && first.textContent]);
            input.value = '';
            list.innerHTML = '';
        }
        return wrong;
    }""", postcodes)
    assert wrong == []


@pytest.mark.parametrize("postcode, expected, insee_twin", [("33330", "Saint-Émilion", "Pompignac"),
                                                              ("64100", "Bayonne", "Bassussarry")])
def test_a_postcode_is_never_matched_against_insee_codes(page, site_url, site_data, postcode, expected,
                                                         insee_twin):
    twin = next(c for c in site_data.reference.communes.values() if c.name == insee_twin)
    assert twin.insee == postcode and postcode not in twin.postal_codes  # the trap of the issue
    open_finder(page, site_url)
    page.fill("#finder-q", postcode)
    page.locator("#finder-results [role=option]").first.wait_for()
    options = page.locator("#finder-results [role=option]").all_inner_texts()
    assert any(o.startswith(expected + " (") for o in options)
    assert not any(insee_twin in o for o in options)
    assert all(postcode in o for o in options)


def test_enter_on_a_shared_postcode_asks_to_choose_instead_of_guessing(page, site_url, site_data):
    sharing = [c for c in site_data.reference.communes.values() if "33330" in c.postal_codes]
    assert len(sharing) > 1
    open_finder(page, site_url)
    page.fill("#finder-q", "33330")
    page.locator("#finder-results [role=option]").first.wait_for()
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert page.url.endswith("/trouver/")  # no commune picked for the visitor
    assert page.locator(".finder-status").inner_text() == (
        f"{len(sharing)} communes ont ce code postal\u00a0: choisissez la vôtre dans la liste proposée.")
    options = page.locator("#finder-results [role=option]").all_inner_texts()
    target = next(i for i, o in enumerate(options) if o.startswith("Saint-Émilion ("))
    for _ in range(target + 1):
        page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/commune/33394-saint-emilion/")
    with page.expect_navigation():
        page.goto(f"{site_url}/trouver/")
    page.wait_for_function("() => !document.querySelector('form.finder').hidden")
    page.fill("#finder-q", "64100")  # one commune only: Enter goes
    page.locator("#finder-results [role=option]").first.wait_for()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/commune/64102-bayonne/" in page.url


@pytest.mark.parametrize("name, insee", [("Pau", "64445"), ("Gan", "64230"), ("Lacq", "64300"), ("Ousse", "64439")])
def test_an_exact_name_comes_first_and_enter_opens_it(page, site_url, site_data, name, insee):
    """Issue 22, 2: « Pau » then Enter on the home page opens Pau, not Paulin (Dordogne)."""
    commune = site_data.reference.communes[insee]
    assert commune.name == name
    page.goto(f"{site_url}/")
    page.wait_for_function("() => !document.querySelector('form.finder').hidden")
    page.fill("#finder-q", name)
    page.locator("#finder-results [role=option]").first.wait_for()
    assert page.locator("#finder-results [role=option]").first.inner_text().startswith(f"{name} (")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/{commune.url}")


@pytest.mark.parametrize("path", ["/", "/trouver/"])
def test_no_match_says_so_and_offers_the_regional_line(page, site_url, site_data, path):
    """Issue 22, 32: a name that matches no commune is not told « Indiquez d'abord votre commune » but that nothing
    matched, with the regional number (from data/settings.yaml) to call; Enter and the button say the same."""
    phone = site_data.settings.regional_phone
    page.goto(f"{site_url}{path}")
    page.wait_for_function("() => !document.querySelector('form.finder').hidden")
    status = page.locator(".finder-status")
    page.fill("#finder-q", "Zzyzx")
    page.wait_for_function("() => document.querySelector('.finder-status').textContent.includes('Zzyzx')")
    for submit in (lambda: page.keyboard.press("Enter"), lambda: page.click("form.finder button[type=submit]")):
        submit()
        page.wait_for_timeout(300)
        assert page.url == f"{site_url}{path}"  # nowhere to go
        text = status.inner_text()
        assert text.startswith("Aucune commune ne correspond à «\u00a0Zzyzx\u00a0».")
        assert "Indiquez d'abord" not in text
        assert status.locator(f"a[href='tel:{phone.e164}']").inner_text() == phone.display
    page.fill("#finder-q", "")
    page.click("form.finder button[type=submit]")
    page.wait_for_function("() => document.querySelector('.finder-status').textContent.startsWith('Indiquez')")
    assert status.inner_text() == "Indiquez d'abord votre commune ou votre code postal."
    assert page.errors == []


def test_the_search_page_names_the_exact_commune_first(page, site_url):
    """Issue 22, 2, on /recherche/: « Pau » lists Pau (64) first among the results, before Paulin and the pages."""
    page.goto(f"{site_url}/recherche/?q=Pau")
    page.wait_for_selector("#search-results li")
    assert page.locator("#search-results h2 a").first.get_attribute("href") == "/commune/64445-pau/"
