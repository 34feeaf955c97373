"""Editorial pages in headless Chromium: site search (Pagefind) and axe-core accessibility checks."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

SERIOUS = {"serious", "critical"}


def search_from_header(page, site_url, start: str, query: str) -> list[str]:
    """Type in the header's search box of ``start``, submit, return the result links."""
    page.goto(f"{site_url}/{start}")
    page.fill("#site-search-q", query)
    with page.expect_navigation():
        page.press("#site-search-q", "Enter")
    assert urlsplit(page.url).path == "/recherche/"
    page.wait_for_selector("#search-results li")
    return [urlsplit(a).path for a in page.eval_on_selector_all(
        "#search-results h2 a", "links => links.map(a => a.href)")]


def test_search_for_jardinage_finds_the_services_page_and_a_news_item(page, site_url):
    links = search_from_header(page, site_url, "", "jardinage")
    status = page.locator("#search-status").inner_text().replace("\u00a0", " ")
    assert "pour « jardinage »" in status
    print(links)
    while page.locator("#search-more-wrap").is_visible() and "/services/" not in links:
        page.click("#search-more")
        page.wait_for_function(f"() => document.querySelectorAll('#search-results li').length > {len(links)}")
        links = [urlsplit(a).path for a in page.eval_on_selector_all(
            "#search-results h2 a", "links => links.map(a => a.href)")]
    assert "/services/" in links
    assert any(link.startswith("/actualites/") for link in links)
    assert "<mark>" in page.inner_html("#search-results")
    assert page.errors == []


@pytest.mark.parametrize("query, expected", [
    ("Saint-Émilion", "/commune/33394-saint-emilion/"),
    ("Pays foyen", "/association/ai-pays-foyen/"),
    ("charte", "/charte-qualite/"),
])
def test_search_finds_communes_associations_and_pages_from_any_page(page, site_url, query, expected):
    links = search_from_header(page, site_url, "commune/33063-bordeaux/", query)
    assert expected in links[:10]


def test_search_without_javascript_lands_on_a_helpful_page(page_nojs, site_url):
    page_nojs.goto(f"{site_url}/")
    page_nojs.fill("#site-search-q", "jardinage")
    with page_nojs.expect_navigation():
        page_nojs.press("#site-search-q", "Enter")
    assert page_nojs.url.endswith("/recherche/?q=jardinage")
    assert "/plan-du-site/" in page_nojs.inner_html("main")


def test_no_third_party_request_on_search(page, site_url):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    search_from_header(page, site_url, "", "ménage")
    assert requested and all(url.startswith(site_url) for url in requested)


# On a desktop, every rule (best practices too). The other page types (an article, a page, services,
# the search results...) pass axe on a phone in test_mobile.py.
@pytest.mark.parametrize("url", [
    "",
    "actualites/association-du-mois-pays-foyen/",
    "association/ai-pays-foyen/",
    "revue-de-presse/",
])
def test_axe_finds_no_serious_or_critical_violation(page, site_url, url):
    from axe_playwright_python.sync_playwright import Axe
    page.goto(f"{site_url}/{url}")
    if url.startswith("recherche/"):
        page.wait_for_selector("#search-results li")
    results = Axe().run(page)
    problems = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
                for v in results.response["violations"] if v["impact"] in SERIOUS]
    assert problems == []
