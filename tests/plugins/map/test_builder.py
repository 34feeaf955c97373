"""The folium map builder on its own: stable ids, local assets only, one marker per AI."""

from __future__ import annotations

import dataclasses
import re

import folium
import pytest
from folium.plugins import Fullscreen

from map.builder import MapError, MapSpec, build_map, make_map, render_parts, stable_ids, union
from map.plugin import tiles_template

TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'


def region(site, siteurl=""):
    spec = MapSpec("carte", site.associations, cluster=True,
                   bounds=union([d.bounds for d in site.reference.departements.values()]))
    return make_map(spec, tiles=TILES, attribution=ATTRIBUTION, siteurl=siteurl)


def test_same_data_same_bytes_and_no_random_ids(site_data):
    first, second = region(site_data), region(site_data)
    assert first == second
    assert not re.search(r"[0-9a-f]{32}", first.script + first.html)
    assert 'id="map_carte"' in first.html


def test_one_marker_per_ai_with_its_name_and_popup(site_data):
    script = region(site_data).script
    assert script.count("L.marker(") == len(site_data.associations)
    assert script.count(".bindPopup(") == len(site_data.associations)
    for ai in site_data.associations:
        assert f"var marker_carte_{ai.id.replace('-', '_')} = L.marker(" in script
        assert f'.bindPopup(aaiTerritory.card("{ai.id}"), ' in script


def test_the_map_script_carries_no_contact_detail(site_data):
    """The pop-ups come from the page: a new phone number, e-mail or hours must leave the script as it is."""
    script = region(site_data).script
    for ai in site_data.associations:
        for detail in (ai.phone.e164, str(ai.phone), ai.email, ai.contact):
            assert detail not in script, (ai.id, detail)
    edited = [dataclasses.replace(ai, email="autre@example.org", hours="Du lundi au jeudi")
              for ai in site_data.associations]
    spec = MapSpec("carte", tuple(edited), cluster=True,
                   bounds=union([d.bounds for d in site_data.reference.departements.values()]))
    assert make_map(spec, tiles=TILES, attribution=ATTRIBUTION, siteurl="").script == region(site_data).script
    assert spec.drawn() == dataclasses.replace(spec, associations=site_data.associations).drawn()


def test_popup_templates_give_each_ai_its_contact_details_and_the_regional_line(site_data):
    from map.popup import popup_templates
    html = popup_templates(site_data.associations, site_data.settings, "")
    for ai in site_data.associations:
        card = html[html.index(f'<template id="aai-card-{ai.id}">'):]
        card = card[:card.index("</template>")]
        assert card.count('<div class="ai-popup">') == 1
        assert f'tel:{ai.phone.e164}' in card and f'data-page="/{ai.url}"' in card
    # The links every AI's pop-up ends with, once per page, each completed with its AI's page by territory.js.
    actions = html[html.index('<template id="aai-card-actions">'):]
    actions = actions[:actions.index("</template>")]
    assert 'data-to="demande/"' in actions and 'data-to="rappel/"' in actions and 'data-to=""' in actions
    none = html[html.index('<template id="aai-card-none">'):]
    assert 'href="tel:+33536490000"' in none and 'data-slot="at"' in none


def test_assets_are_local_and_no_jquery(site_data):
    parts = region(site_data, siteurl="https://www.example.org")
    assert parts.scripts == (
        "https://www.example.org/theme/vendor/leaflet/leaflet.js",
        "https://www.example.org/theme/vendor/leaflet.markercluster/leaflet.markercluster.js")
    assert all(s.startswith("https://www.example.org/theme/") for s in parts.styles)
    assert "$(" not in parts.script and "jquery" not in parts.script.lower()
    urls = set(re.findall(r"https?://[^\"'\\ ]+", parts.script))
    urls = {u for u in urls if not u.startswith("https://www.example.org/")}
    assert urls == {TILES, "https://www.openstreetmap.org/copyright"}


def test_inline_script_cannot_be_closed_by_popup_html(site_data):
    assert "</" not in region(site_data).script


def test_a_cdn_asset_stops_the_build(site_data):
    with stable_ids():
        fmap = build_map(MapSpec("x", site_data.associations[:1]), tiles=TILES,
                         attribution=ATTRIBUTION, siteurl="")
        Fullscreen().add_to(fmap)  # its script comes from a CDN
        with pytest.raises(MapError, match="another site"):
            render_parts(fmap, "")


def test_random_ids_come_back_after_a_build():
    with stable_ids():
        assert folium.Marker([45, 0])._id.startswith("e")
    assert re.fullmatch(r"[0-9a-f]{32}", folium.Marker([45, 0])._id)


@pytest.mark.parametrize("setting, expected", [
    ("", "default"),
    ("https://tile.openstreetmap.org", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
    ("https://tiles.example.org/", "https://tiles.example.org/{z}/{x}/{y}.png"),
    ("https://t.example.org/osm/{z}/{x}/{y}.png", "https://t.example.org/osm/{z}/{x}/{y}.png"),
])
def test_tiles_setting_takes_a_server_or_a_template(setting, expected):
    assert tiles_template(setting, "default") == expected


def test_popup_text_is_data_not_template(site_data):
    ai = dataclasses.replace(site_data.associations[0], hours="{{ 7 * 7 }} {% raw %} <b>", name="A & B")
    parts = make_map(MapSpec("x", (ai,)), tiles=TILES, attribution=ATTRIBUTION, siteurl="")
    assert '"title": "A \\u0026 B"' in parts.script and "{{" not in parts.script  # a text, not markup
    from map.popup import popup_templates
    html = popup_templates((ai,), site_data.settings, "")
    assert "Horaires\u00a0: {{ 7 * 7 }} {% raw %} &lt;b&gt;" in html  # escaped, and the page is not re-read as Jinja
    assert "A &amp; B" in html


def test_zoom_buttons_and_clusters_are_named_in_french(site_data):
    script = region(site_data).script
    assert '"zoomControl": false' in script  # Leaflet's English buttons are not drawn...
    assert '"zoomInTitle": "Zoomer"' in script  # ...ours are (a title is also the aria-label)
    assert '"zoomOutTitle": "D\\u00e9zoomer"' in script
    assert "iconCreateFunction" in script
    assert 'associations dans ce secteur\\u00a0: zoomer pour les voir' in script
    small = make_map(MapSpec("x", site_data.associations[:1], small=True), tiles=TILES,
                     attribution=ATTRIBUTION, siteurl="").script
    assert '"zoomInTitle": "Zoomer"' in small and "iconCreateFunction" not in small


def territory(site, key="carte", mode="region", departements=None, communes=None, siteurl=""):
    """Options of a territory layer as the plugin gives them, with made-up file URLs."""
    from map.palette import palette
    from map.territory import Territory, territory_options
    departements = departements or tuple(site.reference.departements)
    communes = communes if communes is not None else tuple(site.reference.communes)
    files = [(d, f"{siteurl}/carte/communes-{d}.0a1b2c3d.json", f"{siteurl}/carte/zones-{d}.0a1b2c3d.json",
              f"{siteurl}/carte/apercu-{d}.0a1b2c3d.json" if mode == "region" else None, None)
             for d in departements]
    return territory_options(site, Territory(mode, departements, communes, key=key if mode == "association" else ""),
                             files=files, index_url=f"{siteurl}/trouver/communes.json", siteurl=siteurl,
                             palette=palette(site.brand))


def zone_files(site):
    """Each département's zone file (plugins/map/zones.py), with the plugin's colours."""
    from map.palette import zone_colours
    from map.zones import departement_zones
    colours = zone_colours(site.associations, site.shapes.neighbours, 5)
    return {code: departement_zones(site, code, colours) for code in site.reference.departements}


def test_no_tiles_setting_draws_no_tile_layer_and_names_no_other_site(site_data):
    spec = MapSpec("carte", site_data.associations, cluster=True,
                   bounds=union([d.bounds for d in site_data.reference.departements.values()]))
    parts = make_map(spec, tiles="", attribution="", siteurl="https://www.example.org",
                     territory=territory(site_data, siteurl="https://www.example.org"))
    assert "L.tileLayer(" not in parts.script and "tile.openstreetmap.org" not in parts.script
    urls = {u for u in re.findall(r"https?://[^\"'\\ ]+", parts.script)
            if u != "https://www.example.org" and not u.startswith("https://www.example.org/")}
    assert urls == set()
    assert "aaiTerritory.draw(map_carte, \"carte\", " in parts.script
    assert '"maxZoom": 18' in parts.script and '"minZoom": 6' in parts.script  # limits without tiles


def test_territory_layer_refers_to_the_shape_files_instead_of_inlining_them(site_data):
    spec = MapSpec("carte", site_data.associations, cluster=True)
    parts = make_map(spec, tiles=TILES, attribution=ATTRIBUTION, siteurl="", territory=territory(site_data))
    for code in site_data.reference.departements:
        assert f'"/carte/communes-{code}.0a1b2c3d.json"' in parts.script
    assert '"arcs"' not in parts.script and "Topology" not in parts.script
    assert len(parts.script.encode()) < 80_000  # the geometry alone is 450 KB
    # point-in-polygon-hao is not among them: shapes.js fetches it with the first shapes it reads.
    assert parts.scripts[-4:] == ("/theme/vendor/topojson-client/topojson-client.min.js",
                                  "/theme/js/communes.js", "/theme/js/shapes.js", "/theme/js/territory.js")
    again = make_map(spec, tiles=TILES, attribution=ATTRIBUTION, siteurl="", territory=territory(site_data))
    assert again == parts


def test_territory_gives_each_ai_its_zone_and_the_regional_line_text(site_data):
    """The zones are fetched (one file per département, shared by every map), not written in the script."""
    options = territory(site_data)
    assert "zones" not in options and "ais" not in options
    zones: dict[str, list[str]] = {}
    for value in zone_files(site_data).values():
        for (ident, _), codes in zip(value["ais"], value["zones"]):
            zones.setdefault(ident, []).extend(codes.split(" "))
    assert set(zones) == {a.id for a in site_data.associations if a.zone}
    for ai in site_data.associations:
        if ai.zone:
            assert sorted(zones[ai.id]) == sorted(ai.zone)
    served = {insee for codes in zones.values() for insee in codes}
    assert "24004" not in served and "33394" in served
    assert "cards" not in options and "none" not in options  # the pop-ups' texts are in the page
    assert options["attribution"] == "Communes\u00a0: IGN, ADMIN EXPRESS 2026"
    assert [f[3] for f in options["files"]] == [f"/carte/apercu-{d}.0a1b2c3d.json"
                                                for d in site_data.reference.departements]


def test_ai_map_draws_the_zones_of_the_other_ais_of_its_shared_communes(site_data):
    libournais = next(a for a in site_data.associations if a.id == "ai-libournais")
    options = territory(site_data, key="ai-libournais", mode="association", departements=libournais.departements,
                        communes=tuple(sorted(libournais.zone)))
    assert options["only"] == "ai-libournais" and "detail" not in options
    assert all(f[3] is None for f in options["files"])  # no overview: an AI's map shows its communes at once
    gironde = zone_files(site_data)["33"]
    options_ai = {ident for (ident, _), codes in zip(gironde["ais"], gironde["zones"])
                  if set(codes.split(" ")) & set(libournais.zone)}
    assert {"ai-libournais", "ai-castillonnais"} <= options_ai


@pytest.mark.parametrize("text", ["{{ 7 * 7 }}", "{% raw %}", "{# x #}", "</script>"])
def test_territory_text_cannot_become_a_template_or_close_a_script(text):
    from map.territory import script_value
    value = script_value({"name": text, "list": [{"a": text}]})
    assert "{{" not in value and "{%" not in value and "{#" not in value and "</" not in value
    import json
    assert json.loads(value) == {"name": text, "list": [{"a": text}]}


def test_tiles_off_for_one_build():
    assert tiles_template("off", "https://tile.openstreetmap.org/{z}/{x}/{y}.png") == ""
    assert tiles_template("", "") == ""  # no URL in data/settings.yaml: no tiles either


@pytest.mark.parametrize("mode", ["region", "departement", "association"])
@pytest.mark.parametrize("framed", [True, False])
def test_a_drawing_with_marks_filled_in_is_the_map_folium_draws(site_data, mode, framed):
    """plugins/map/plugin.py keeps folium's drawing of a map with marks in place of its files and box, and writes
    them in when only those changed (a zone edited): the same bytes as folium's own drawing of the map."""
    from map.plugin import BOUNDS_MARK, FILES_MARK, filled_in

    ai = site_data.associations[0]
    associations = site_data.associations if mode == "region" else [ai]
    departements = tuple(site_data.reference.departements) if mode == "region" else ai.departements
    options = territory(site_data, mode=mode, departements=departements, key=ai.id, siteurl="https://example.org")
    boxes = [(44.90762, -1.2139, 45.60462, -0.69275), (44.0, 1.0, 45.5, 2.0),
             (-21.1, 55.2, -20.9, 55.8), (44, 1, 45, 2)]
    for bounds in boxes:
        spec = MapSpec(f"k_{mode}", associations, cluster=mode != "association", small=True,
                       bounds=bounds if framed else None)
        real = make_map(spec, tiles=TILES, attribution=ATTRIBUTION, siteurl="https://example.org", territory=options)
        marked = make_map(dataclasses.replace(spec, bounds=BOUNDS_MARK if framed else None), tiles=TILES,
                          attribution=ATTRIBUTION, siteurl="https://example.org",
                          territory={**options, "files": FILES_MARK})
        assert (marked.styles, marked.scripts, marked.html) == (real.styles, real.scripts, real.html)
        assert filled_in(marked.script, options["files"], spec.bounds) == real.script
        assert filled_in(real.script, options["files"], spec.bounds) is None  # no mark: drawn again
