"""French wording in the directory pages: départements' articles, « à/au/aux », plurals,
non-breaking spaces, heading order, and the description meta tag escaped exactly once."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest

from directory.french import FILTERS, a_commune, french_spacing, pick, plain_text, plural

THEME = Path(__file__).resolve().parents[3] / "theme" / "templates"

FORMS = {  # code: (« de … », « en/dans … »)
    "24": ("de la Dordogne", "en Dordogne"),
    "33": ("de la Gironde", "en Gironde"),
    "40": ("des Landes", "dans les Landes"),
    "47": ("du Lot-et-Garonne", "en Lot-et-Garonne"),
    "64": ("des Pyrénées-Atlantiques", "dans les Pyrénées-Atlantiques"),
}
WRONG = re.compile(r"\b(?:de|en) (?:Landes|Pyrénées-Atlantiques)\b|\bde (?:Lot-et-Garonne|Dordogne|Gironde)\b")
# A plain space before « : ; ? ! », inside « », or doubled with a non-breaking one.
BAD_SPACING = re.compile(r"[^\s] [:;?!](?:\s|<|$)|« | »| (?:\u00a0|&nbsp;)|(?:\u00a0|&nbsp;) ")


def read(site, path):
    return (site / path).read_text("utf-8")


def text_of(html):
    """The page without its scripts and the news items (their titles are editorial content)."""
    html = re.sub(r"<script\b.*?</script>", "", html, flags=re.S)
    return re.sub(r'<section aria-labelledby="ai-actualites">.*?</section>', "", html, flags=re.S)


class Meta(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            self.meta[attrs.get("name") or attrs.get("property")] = attrs.get("content")


def metas(html):
    parser = Meta()
    parser.feed(html)
    return parser.meta


# ---- the filters on their own ----

def test_filters():
    assert a_commune("Bordeaux") == "à Bordeaux"
    assert a_commune("Le Bouscat") == "au Bouscat"
    assert a_commune("Les Eyzies") == "aux Eyzies"
    assert a_commune("La Teste-de-Buch") == "à La Teste-de-Buch"
    assert plural(1, "commune", "communes") == "1 commune"
    assert plural(0, "commune", "communes") == "0 commune"
    assert plural(["a", "b"], "commune", "communes") == "2 communes"
    assert pick(["33000"], "code postal", "codes postaux") == "code postal"
    assert pick(["33000", "33100"], "code postal", "codes postaux") == "codes postaux"
    expected = 'L’AI\u00a0: «\u00a0x\u00a0» & "y" z'
    assert plain_text('<p>L&rsquo;AI\u00a0: «&nbsp;x&nbsp;» &amp; "y"\n  <b>z</b></p>') == expected
    assert french_spacing("Qu'est-ce qu'une AI ? Accessibilité : « oui »") == \
        "Qu\u2019est-ce qu\u2019une AI\u00a0? Accessibilité\u00a0: «\u00a0oui\u00a0»"


def test_description_meta_is_escaped_exactly_once():
    """The description block is HTML; in the attributes it is text, escaped once."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(THEME)))
    env.filters.update(FILTERS)
    page = env.from_string('{% extends "base.html" %}{% block description %}'
                           'Il dit "oui" <b>à</b> l&rsquo;AI &amp; Cie&nbsp;: l\'aide «&nbsp;x&nbsp;» &lt;3'
                           '{% endblock %}')

    from rules.phone import parse_phone

    class Settings:
        tagline = site_name = network = regional_phone_hours = ""
        regional_phone = parse_phone("05 36 49 00 00")

    class Site:
        settings = Settings()

    class Brand:
        font_files = ()

    env.globals["icon"] = lambda *args: ""
    html = page.render(SITE_DATA=Site(), SITENAME="AAI", SITEURL="", MENU=[], FOOTER_MENU=[],
                       page_url="x/", jsonld=lambda *args: "{}", BRAND=Brand())
    expected = 'Il dit "oui" à l’AI & Cie\u00a0: l\'aide «\u00a0x\u00a0» <3'
    assert metas(html)["description"] == expected
    assert metas(html)["og:description"] == expected
    head = html.split("</head>")[0]
    assert "&amp;rsquo;" not in head and "&amp;amp;" not in head and "&amp;nbsp;" not in head
    assert "<b>" not in head


# ---- the built site ----

def test_departements_take_their_article(built_site, site_data):
    for code, (de, en) in FORMS.items():
        departement = site_data.reference.departements[code]
        html = read(built_site, departement.url + "index.html")
        assert f"votre commune {en}\u00a0:" in metas(html)["description"]
        assert f"intervenant {en}" in html  # the map's name
        commune = site_data.reference.in_departement(code)[0]
        page = read(built_site, commune.url + "index.html")
        assert f"Commune {de} ({code})" in page
        for text in (html, page):
            assert not WRONG.search(text), WRONG.search(text).group(0)


def test_directory_pages_never_write_de_landes(built_site, site_data):
    pages = [d.url for d in site_data.reference.departements.values()]
    pages += [c.url for c in site_data.reference.communes.values()]
    pages += [a.url for a in site_data.associations] + ["carte/", "trouver/", ""]
    for url in pages:
        match = WRONG.search(read(built_site, url + "index.html"))
        assert not match, (url, match and match.group(0))


def test_plurals(built_site, site_data):
    communes = list(site_data.reference.communes.values())
    several = next(c for c in communes if len(c.postal_codes) > 1)
    one = next(c for c in communes if len(c.postal_codes) == 1)
    assert "codes postaux " + ", ".join(several.postal_codes) in read(built_site, several.url + "index.html")
    assert f"code postal {one.postal_codes[0]}." in read(built_site, one.url + "index.html")
    single_former = next(c for c in communes if len(c.former) == 1)
    html = read(built_site, single_former.url + "index.html")
    assert "Ancienne commune&nbsp;: " in html and "Anciennes communes" not in html
    many_former = next(c for c in communes if len(c.former) > 1)
    assert "Anciennes communes&nbsp;: " in read(built_site, many_former.url + "index.html")
    # "1 communes", "1 associations": nowhere in the directory
    pages = [c.url for c in communes] + [a.url for a in site_data.associations]
    pages += [d.url for d in site_data.reference.departements.values()] + ["charte-qualite/"]
    for url in pages:
        html = read(built_site, url + "index.html")
        assert not re.search(r"(?<![\d,])1 (?:communes|associations)\b", html), url
    small = [(a, code) for a in site_data.associations for code in a.departements
             if sum(1 for i in a.zone if site_data.reference.communes[i].departement == code) == 1]
    if small:
        ai, code = small[0]
        assert re.search(rf"\({code}\) — 1 commune</h3>", read(built_site, ai.url + "index.html"))


def test_verb_agrees_and_le_becomes_au(built_site, site_data):
    two = read(built_site, "commune/33394-saint-emilion/index.html")
    assert "interviennent à Saint-Émilion" in metas(two)["description"]
    bouscat = next(c for c in site_data.reference.communes.values() if c.name == "Le Bouscat")
    html = read(built_site, bouscat.url + "index.html")
    assert "au Bouscat" in html and "à Le Bouscat" not in html


def test_uncovered_commune_headings_do_not_skip_a_level(built_site, site_data):
    for commune in site_data.uncovered()[:3] + [site_data.reference.communes["33394"]]:
        html = read(built_site, commune.url + "index.html")
        main = html[html.index("<main"):html.index("</main>")]
        levels = [int(n) for n in re.findall(r"<h([1-6])\b", main)]
        assert levels[0] == 1, commune.name
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), (commune.name, levels)
    assert "<h2>Aucune association intermédiaire ne couvre encore cette commune</h2>" in \
        read(built_site, site_data.uncovered()[0].url + "index.html")


def test_non_breaking_spaces_in_the_templates_text(built_site, site_data):
    pages = ["", "trouver/", "carte/", "association/", "rappel/", "charte-qualite/", "plan-du-site/", "professionnels/"]
    pages += [d.url for d in site_data.reference.departements.values()]
    pages += [a.url for a in site_data.associations]
    pages += [a.url + kind + "/" for a in site_data.associations for kind in ("demande", "rappel", "demande-pro")]
    pages += [site_data.uncovered()[0].url, "commune/33394-saint-emilion/"]
    for url in pages:
        html = read(built_site, url + "index.html")
        if url == "":  # the news items are editorial content
            html = html.split('id="dernieres-actualites"')[0]
        match = BAD_SPACING.search(text_of(html))
        assert not match, (url, match and match.group(0))


def test_built_descriptions_are_escaped_once(built_site):
    pages = list(built_site.glob("actualites/*/index.html")) + list(built_site.glob("*/index.html"))
    seen_apostrophe = False
    for path in pages:
        html = path.read_text("utf-8")
        head = html.split("</head>")[0]
        assert not re.search(r"&amp;(?:#\d+|[a-z]+);", head), path
        description = metas(head).get("description") or ""
        assert "<" not in description and "&" not in description.replace(" & ", ""), path
        seen_apostrophe = seen_apostrophe or "’" in description
    assert seen_apostrophe  # some summary has a typographic apostrophe and keeps it


@pytest.mark.parametrize("path", ["index.html", "trouver/index.html"])
def test_home_shows_the_departement_links_only_without_javascript(built_site, path):
    """Home: the finder's button is the first action; the links stand in for it without JavaScript."""
    html = read(built_site, path)
    assert re.search(r'<nav class="finder-nojs"[^>]*>', html)
    in_noscript = bool(re.search(r'<noscript>\s*<nav class="finder-nojs"', html))
    assert in_noscript == (path == "index.html")
