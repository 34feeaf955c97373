"""The built site's editorial side: sections, navigation, sitemap, feed, JSON-LD, search index."""

from __future__ import annotations

import datetime
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from model.content import parse_date, read_metadata

SECTIONS = {  # output folder → what it is
    "": "Accueil",
    "association-intermediaire/": "Qu'est-ce qu'une association intermédiaire ?",
    "services/": "Nos services",
    "charte-qualite/": "Charte qualité",
    "partenaires/": "Partenaires",
    "actualites/": "Actualités",
    "revue-de-presse/": "Revue de presse",
    "mentions-legales/": "Mentions légales",
    "donnees-personnelles/": "Données personnelles",
    "accessibilite/": "Déclaration d'accessibilité",
    "plan-du-site/": "Plan du site",
    "recherche/": "Recherche",
}
ATOM = {"a": "http://www.w3.org/2005/Atom"}
ENGLISH_MONTHS = re.compile(r"\b(January|February|March|April|May|June|July|August|September|"
                            r"October|November|December)\b")


class Page(HTMLParser):
    """Links, per landmark, and the JSON-LD blocks of one HTML page."""

    def __init__(self, text: str):
        super().__init__()
        self.links: dict[str, list[str]] = {"nav": [], "footer": [], "main": [], "other": []}
        self.jsonld: list[str] = []
        self.meta: dict[str, str] = {}
        self._where: list[str] = []
        self._script = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("nav", "footer", "main"):
            self._where.append(tag)
        elif tag == "a" and "href" in attrs:
            where = self._where[0] if self._where else "other"
            self.links[where].append(attrs["href"])
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._script = True
            self.jsonld.append("")
        elif tag == "meta":
            key = attrs.get("name") or attrs.get("property")
            if key:
                self.meta[key] = attrs.get("content", "")
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.meta["canonical"] = attrs["href"]

    def handle_endtag(self, tag):
        if tag in ("nav", "footer", "main") and self._where:
            self._where.pop()
        elif tag == "script":
            self._script = False

    def handle_data(self, data):
        if self._script:
            self.jsonld[-1] += data


def read(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text("utf-8")


def parse(site: Path, url: str) -> Page:
    return Page(read(site, url))


def graph(page: Page) -> list[dict]:
    assert len(page.jsonld) == 1
    return json.loads(page.jsonld[0])["@graph"]


@pytest.fixture(scope="module")
def sitemap_urls(built_site) -> set[str]:
    root = ET.parse(built_site / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return {loc.text for loc in root.findall("s:url/s:loc", ns)}


@pytest.fixture(scope="module")
def future_news(root) -> list[str]:
    """Slugs of news dated after today (the sample content has one, dated 2027)."""
    slugs = []
    for path in (root / "content" / "actualites").glob("*.md"):
        metadata, _ = read_metadata(path)
        if parse_date(metadata["date"][1]) > datetime.datetime.now():
            slugs.append(metadata["slug"][1] if "slug" in metadata else path.stem)
    return slugs


@pytest.fixture(scope="module")
def feed(built_site):
    return ET.parse(built_site / "feeds" / "actualites.atom.xml").getroot()


@pytest.mark.parametrize("url", SECTIONS)
def test_every_section_exists_and_is_linked_from_the_menu_or_footer(built_site, url):
    assert (built_site / url / "index.html").is_file(), f"missing section {SECTIONS[url]}"
    if url == "recherche/":
        return  # reached through the search form on every page
    for sample in ("", "commune/33063-bordeaux/", "actualites/"):
        page = parse(built_site, sample)
        assert f"/{url}" in page.links["nav"] + page.links["footer"], (url, sample)


@pytest.mark.parametrize("url", ["", "services/", "actualites/jardinage-preparer-le-printemps/",
                                 "association/ai-pays-foyen/", "commune/24322-perigueux/",
                                 "departement/40-landes/", "recherche/", "trouver/"])
def test_every_page_has_description_canonical_open_graph_and_search_form(built_site, sitemap_urls, url):
    text = read(built_site, url)
    page = Page(text)
    assert len(page.meta["description"]) > 40
    assert page.meta["canonical"].endswith("/" + url)
    assert page.meta["og:url"] == page.meta["canonical"]
    assert page.meta["og:title"] and page.meta["og:description"] and page.meta["og:locale"] == "fr_FR"
    assert 'action="/recherche/"' in text and 'name="q"' in text
    if url != "recherche/":
        assert page.meta["canonical"] in sitemap_urls


def test_sitemap_lists_every_generated_page(built_site, sitemap_urls):
    base = sorted(sitemap_urls)[0].rstrip("/")
    expected = set()
    for path in built_site.rglob("*.html"):
        relative = path.relative_to(built_site).as_posix()
        if relative == "404.html" or relative.startswith("pagefind/"):
            continue
        if 'name="robots" content="noindex' in path.read_text("utf-8"):
            continue
        expected.add(f"{base}/{relative.removesuffix('index.html')}")
    assert sitemap_urls == expected
    assert sum("/commune/" in u for u in sitemap_urls) >= 2228
    assert f"Sitemap: {base}/sitemap.xml" in (built_site / "robots.txt").read_text()


def test_feed_parses_and_holds_the_news_only(built_site, feed, site_data):
    titles = [e.findtext("a:title", namespaces=ATOM) for e in feed.findall("a:entry", ATOM)]
    links = [e.find("a:link", ATOM).get("href") for e in feed.findall("a:entry", ATOM)]
    assert len(titles) >= 6
    assert all("/actualites/" in link for link in links)
    press_page = read(built_site, "revue-de-presse/")
    for title in titles:
        assert title not in press_page


def test_future_news_is_nowhere(built_site, feed, sitemap_urls, future_news):
    assert future_news, "the sample content should hold one future-dated news item"
    listing = read(built_site, "actualites/") + read(built_site, "")
    feed_text = ET.tostring(feed, encoding="unicode")
    for slug in future_news:
        assert not (built_site / "actualites" / slug).exists()
        assert slug not in listing and slug not in feed_text
        assert not any(slug in url for url in sitemap_urls)


def test_press_items_have_no_page_and_are_listed_with_source_date_and_link(built_site, root):
    text = read(built_site, "revue-de-presse/")
    news_list = read(built_site, "actualites/")
    items = sorted((root / "content" / "presse").glob("*.md"))
    assert len(items) >= 4
    for path in items:
        metadata, _ = read_metadata(path)
        slug = metadata["slug"][1]
        assert not (built_site / "actualites" / slug).exists()
        assert f'id="{slug}"' in text and slug not in news_list
        assert metadata["publication"][1].replace("’", "&rsquo;") in text or metadata["publication"][1] in text
        if "pdf" in metadata:
            pdf = metadata["pdf"][1].replace("{static}/", "")
            assert (built_site / pdf).is_file() and f'href="/{pdf}"' in text
        else:
            assert f'href="{metadata["link"][1]}"' in text


def test_news_dates_are_french(built_site):
    text = read(built_site, "actualites/")
    assert re.search(r"\d{1,2}(er)? (janvier|février|mars|avril|mai|juin|juillet|août|septembre|"
                     r"octobre|novembre|décembre) 20\d\d", text)
    assert not ENGLISH_MONTHS.search(text)


def test_charter_page_lists_exactly_the_signatories(built_site, site_data):
    from rules.dates import french_date
    text = read(built_site, "charte-qualite/")
    table = text.split('class="signatories"', 1)[1].split("</table>", 1)[0]
    listed = set(re.findall(r'href="/association/([^/"]+)/"', table))
    assert listed == {a.id for a in site_data.associations if a.charter_signed}
    for ai in site_data.associations:
        if ai.charter_signed:
            assert french_date(ai.charter_signed) in table


def test_services_page_lists_each_service_and_who_offers_it(built_site, site_data):
    text = read(built_site, "services/")
    for service in site_data.services.values():
        block = text.split(f'id="{service.id}"', 1)[1].split("</article>", 1)[0]
        offered = set(re.findall(r'href="/association/([^/"]+)/"', block))
        assert offered == {a.id for a in site_data.offering(service.id)}, service.id


def test_partners_page_lists_the_partners_file(built_site, site_data):
    text = read(built_site, "partenaires/")
    for partner in site_data.partners:
        assert f'href="{partner.url}"' in text


def test_site_map_page_links_sections_departements_and_associations(built_site, site_data):
    links = set(parse(built_site, "plan-du-site/").links["main"])
    assert {f"/{url}" for url in SECTIONS if url not in ("", "plan-du-site/")} <= links
    assert {f"/{d.url}" for d in site_data.reference.departements.values()} <= links
    assert {f"/{a.url}" for a in site_data.associations} <= links


def test_home_shows_latest_news_map_link_and_regional_phone(built_site, site_data):
    page = parse(built_site, "")
    text = read(built_site, "")
    assert "/carte/" in page.links["main"]
    assert sum(link.startswith("/actualites/") and link != "/actualites/" for link in page.links["main"]) == 3
    assert site_data.settings.regional_phone.display in text
    assert "Pourquoi choisir une association intermédiaire" in text


def test_jsonld_parses_everywhere_it_matters(built_site, site_data):
    home = graph(parse(built_site, ""))
    assert [n["@type"] for n in home] == ["Organization", "WebSite"]
    assert home[0]["name"] == site_data.settings.network.name
    ai = site_data.associations[0]
    nodes = graph(parse(built_site, ai.url))
    business = next(n for n in nodes if n["@type"] == "LocalBusiness")
    assert business["telephone"] == ai.phone.e164 and business["geo"]["latitude"] == ai.latitude
    assert business["address"]["addressLocality"] == ai.commune.name
    assert len(business["areaServed"]) == len(ai.zone)
    commune = graph(parse(built_site, "commune/33063-bordeaux/"))
    assert [n["@type"] for n in commune] == ["Organization"]


def test_news_featuring_an_association_shows_its_card(built_site, root, site_data):
    for path in sorted((root / "content" / "actualites").glob("*.md")):
        metadata, _ = read_metadata(path)
        ai = site_data.association(metadata.get("association", (0, ""))[1])
        slug = metadata["slug"][1]
        if ai is None or not (built_site / "actualites" / slug).exists():
            continue
        page = parse(built_site, f"actualites/{slug}/")
        assert f"/{ai.url}" in page.links["main"]
        article = next(n for n in graph(page) if n["@type"] == "NewsArticle")
        assert article["about"]["@id"].endswith(f"/{ai.url}#association")
        ai_page = read(built_site, ai.url)
        if "ai-actualites" in ai_page:  # once association.html includes _association_news.html
            assert f'href="/actualites/{slug}/"' in ai_page
        return
    pytest.fail("no published news names an association (Association: metadata)")


def test_search_index_is_built_in_french_and_indexes_every_kind_of_page(built_site):
    entry = json.loads((built_site / "pagefind" / "pagefind-entry.json").read_text())
    assert "fr" in entry["languages"]
    searchable = [page for page in built_site.rglob("*.html")
                  if "data-pagefind-body" in page.read_text(encoding="utf-8")]
    assert entry["languages"]["fr"]["page_count"] == len(searchable) > 50
    assert (built_site / "pagefind" / "pagefind.js").is_file()
    for url in ("services/", "departement/33-gironde/", "association/ai-pays-foyen/",
                "actualites/jardinage-preparer-le-printemps/"):
        assert "data-pagefind-body" in read(built_site, url)
    # commune pages are found by the finder's index (the search page asks it too), not by Pagefind
    for url in ("recherche/", "actualites/", "commune/33063-bordeaux/"):
        assert "data-pagefind-body" not in read(built_site, url)
