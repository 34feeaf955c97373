"""The map in the built site: /carte/, département and AI pages, identical from one build to the next."""

from __future__ import annotations

import json
import re

LINKED = re.compile(r'<script\b[^>]*\bsrc="([^"]+)"|<link rel="stylesheet" href="([^"]+)"')


def map_pages(site_data):
    pages = ["carte/index.html"]
    pages += [d.url + "index.html" for d in site_data.reference.departements.values()]
    pages += [a.url + "index.html" for a in site_data.associations]
    return pages


def page_with_script(site, page):
    """A map page and the script published beside it (the CSP forbids inline scripts)."""
    html = (site / page).read_text("utf-8")
    return html + (site / page).with_name("carte.js").read_text("utf-8")


def test_two_builds_give_byte_identical_map_pages(publish_builds, site_data):
    first, second = publish_builds
    for page in map_pages(site_data):
        assert (first / page).read_bytes() == (second / page).read_bytes(), page
        script = (first / page).with_name("carte.js")
        assert script.read_bytes() == (second / page).with_name("carte.js").read_bytes(), page


def test_every_map_page_loads_only_local_files(built_site, site_data):
    for page in map_pages(site_data):
        html = (built_site / page).read_text("utf-8")
        assert 'class="folium-map"' in html, page
        for link in ("".join(pair) for pair in LINKED.findall(html)):
            assert link.startswith("/"), (page, link)
            assert (built_site / link.lstrip("/").split("?")[0]).exists(), (page, link)
        script = page_with_script(built_site, page)
        script = script[script.index('<div class="folium-map"'):]
        assert not re.search(r"cdn|jquery|bootstrap|fontawesome", script, re.I), page


def test_carte_has_one_marker_per_ai_and_the_text_list(built_site, site_data):
    html = page_with_script(built_site, "carte/index.html")
    assert html.count("L.marker(") == len(site_data.associations)
    text_list = html[html.index('id="liste-ai"'):]
    for ai in site_data.associations:
        assert f'href="/{ai.url}"' in text_list, ai.id
    assert "leaflet.markercluster.js" in html


def popup_template(html, ident):
    start = html.index(f'<template id="aai-card-{ident}">')
    return html[start:html.index("</template>", start)]


def test_each_map_page_gives_the_popups_of_every_ai_its_map_shows(built_site, site_data):
    """The map's script names the AIs; their pop-ups' texts are in the page (plugins/map/popup.py)."""
    carte = (built_site / "carte/index.html").read_text("utf-8")
    for ai in site_data.associations:
        assert f"tel:{ai.phone.e164}" in popup_template(carte, ai.id)
    assert "tel:" in popup_template(carte, "none")
    libournais = next(a for a in site_data.associations if a.id == "ai-libournais")
    page = (built_site / libournais.url / "index.html").read_text("utf-8")
    for ai in {a for insee in libournais.zone for a in site_data.serving(insee)}:
        assert f"tel:{ai.phone.e164}" in popup_template(page, ai.id)  # the AIs sharing its communes too
    for page in map_pages(site_data):
        script = (built_site / page).with_name("carte.js").read_text("utf-8")
        assert "tel:" not in script and "mailto:" not in script, page


def test_small_maps_show_their_own_offices(built_site, site_data):
    ai = site_data.associations[0]
    html = page_with_script(built_site, ai.url + "index.html")
    assert html.count("L.marker(") == 1 and f"tel:{ai.phone.e164}" in popup_template(html, ai.id)
    assert "markercluster" not in html  # one office needs no cluster code
    gironde = site_data.reference.departements["33"]
    html = page_with_script(built_site, gironde.url + "index.html")
    assert html.count("L.marker(") == len(site_data.associations_in("33"))
    assert "leaflet.markercluster.js" in html  # offices close together share a button (WCAG 2.5.8)


SHAPE_FILE = re.compile(r"/carte/communes-(\d\d)\.[0-9a-f]{8}\.json")


def test_each_map_loads_only_the_shape_files_it_draws(built_site, site_data):
    assert SHAPE_FILE.findall((built_site / "carte/carte.js").read_text("utf-8")) == ["24", "33", "40", "47", "64"]
    for departement in site_data.reference.departements.values():
        script = (built_site / departement.url / "carte.js").read_text("utf-8")
        assert SHAPE_FILE.findall(script) == [departement.code]
    for ai in site_data.associations:
        script = (built_site / ai.url / "carte.js").read_text("utf-8")
        assert SHAPE_FILE.findall(script) == list(ai.departements), ai.id
        assert '"arcs"' not in script  # referenced, never inlined
    for code, shape_file in site_data.shapes.files.items():
        (published,) = built_site.glob(f"carte/communes-{code}.*.json")
        assert published.read_bytes() == shape_file.path.read_bytes()


def test_two_builds_publish_the_same_shape_files(publish_builds):
    first, second = publish_builds
    names = sorted(p.name for p in first.glob("carte/communes-*.json"))
    assert names == sorted(p.name for p in second.glob("carte/communes-*.json")) and len(names) == 5
    assert all((first / "carte" / name).read_bytes() == (second / "carte" / name).read_bytes() for name in names)


def test_home_page_offers_around_me_beside_the_finder(built_site):
    html = (built_site / "index.html").read_text("utf-8")
    finder, around = html.index('<form class="finder'), html.index('<div class="around-me')
    assert finder < around < html.index('<section class="card hotline-card"')
    files = json.loads(re.search(r"data-files='([^']+)'", html).group(1))
    assert [f[0] for f in files] == ["24", "33", "40", "47", "64"]
    assert all(SHAPE_FILE.fullmatch(f[1]) for f in files)
    for script in ("topojson-client.min.js", "shapes.js", "around.js"):
        assert f"{script}\" defer></script>" in html
    # The point-in-polygon test comes with the first shapes read (shapes.js), not with the page.
    assert "pointInPolygon.min.js" not in html
    assert (built_site / "theme/vendor/point-in-polygon-hao/pointInPolygon.min.js").is_file()
    assert "leaflet.js" not in html  # no map on the home page: the shapes alone


def test_map_pages_have_a_legend_told_apart_without_colour(built_site, site_data):
    for page in map_pages(site_data):
        legend = (built_site / page).read_text("utf-8").split('<div class="map-legend">', 1)[1].split("</div>", 1)[0]
        assert "Hachures" in legend and "Limite de département" in legend, page
        assert ("Points" in legend) != page.startswith("association/"), page


def test_every_map_page_adds_its_map_scripts_after_the_text_in_their_order(built_site, site_data):
    """Leaflet and the map come after the text has painted (js/after-paint.js), on the small maps as on /carte/:
    no map script is loaded by the page itself, and the page's own map script comes last of the map's."""
    for page in map_pages(site_data):
        html = (built_site / page).read_text("utf-8")
        tags = re.findall(r"<script src=\"([^\"]+)\"[^>]*></script>", html)
        assert not [src for src in tags if "leaflet" in src or src.endswith("/carte.js")], page
        (later,) = re.findall(r"<script src=\"[^\"]*/js/after-paint\.js\" data-scripts='([^']+)'", html)
        scripts = json.loads(later)
        assert any("leaflet" in src for src in scripts), page
        own = [src for src in scripts if src.endswith("/carte.js")]
        assert own == ["/" + page.removesuffix("index.html") + "carte.js"], page
        assert scripts.index(own[0]) > max(i for i, src in enumerate(scripts) if "leaflet" in src), page
