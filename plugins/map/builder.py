"""Builds the folium maps and cuts them into parts our own templates can embed.

folium writes a whole HTML page with CDN links and random element ids; we keep its map
construction but serve Leaflet ourselves and give every element a stable id, so the same
data always gives the same bytes (an unchanged page is not re-uploaded).

branca compiles every snippet it renders (each marker's script, each pop-up…) as a Jinja template
before putting the page together: about sixteen compilations per map, most of a map's build time.
A snippet without Jinja syntax renders to itself, so it is kept as text instead (``literal_snippets``).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import branca.element
import folium
from branca.element import CssLink, Element, JavascriptLink, MacroElement
from folium.elements import JSCSSMixin
from folium.map import FitBounds
from folium.plugins import MarkerCluster
from folium.template import Template
from folium.utilities import JsCode
from markupsafe import Markup
from xyzservices import TileProvider

from . import assets
from .spec import Bounds, MapError, MapParts, MapSpec, centre_of, union  # noqa: F401 - the types of a map, also named here
from .territory import script_value

logger = logging.getLogger(__name__)

class TerritoryLayer(JSCSSMixin):
    """Draws the territory on its map once the page has loaded (theme/js/territory.js)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        aaiTerritory.draw({{ this._parent.get_name() }}, {{ this.key|tojson }}, {{ this.options_js }});
        {% endmacro %}
    """)

    def __init__(self, key: str, options: dict, siteurl: str):
        super().__init__()
        self._name = "TerritoryLayer"
        self.key = key
        self.options_js = script_value(options)
        self.default_js = assets.territory(siteurl)


class ContactPopup(MacroElement):
    """Binds its AI's pop-up to the marker, read from the page (``popup.popup_templates``): no contact
    detail in the map's script, so a new phone number redraws no map. folium's Popup would need jQuery."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.bindPopup(aaiTerritory.card({{ this.ident|tojson }}), {{ this.options|tojavascript }});
        {% endmacro %}
    """)

    def __init__(self, ident: str, max_width: int = 320):
        super().__init__()
        self._name = "Popup"
        self.ident = ident
        self.options = {"max_width": max_width, "auto_pan_padding": [24, 24]}


MIN_ZOOM, MAX_ZOOM = 6, 18  # the map's own limits: with no tile layer, nothing else sets them
ZOOM_SNAP = 0.25  # a territory framed to fill its box, not to the nearest whole zoom level
ZOOM_IN_TITLE = "Zoomer"
ZOOM_OUT_TITLE = "Dézoomer"

# A cluster's icon is a button (Leaflet gives it role="button"): name it in French. Same look as
# Leaflet.markercluster's own icons. Written with no "{{" or "{%": branca reads scripts as Jinja.
CLUSTER_ICON_JS = """function (cluster) {
var count = cluster.getChildCount();
var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
var label = count + " associations dans ce secteur\\u00a0: zoomer pour les voir";
var icon = L.divIcon({ html: "<div><span aria-hidden=\\"true\\">" + count + "<\\/span><\\/div>",
className: "marker-cluster marker-cluster-" + size, iconSize: L.point(40, 40) });
var create = icon.createIcon;
icon.createIcon = function (old) {
var element = create.call(icon, old);
element.setAttribute("aria-label", label);
element.title = label;
return element;
};
return icon;
}"""


class FrenchZoom(MacroElement):
    """Leaflet's zoom buttons with French names (their title is also their aria-label)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.control.zoom({{ this.options|tojavascript }}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self):
        super().__init__()
        self._name = "FrenchZoom"
        self.options = {"zoom_in_title": ZOOM_IN_TITLE, "zoom_out_title": ZOOM_OUT_TITLE}


class MarkerIndex(MacroElement):
    """Hands the map, its cluster and its markers (by AI id) to the page's own scripts (map.js)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (window.aaiMaps = window.aaiMaps || {})[{{ this.key|tojson }}] = {
        map: {{ this._parent.get_name() }},
        cluster: {{ this.cluster.get_name() if this.cluster else "null" }},
        markers: { {%- for id, marker in this.markers %}{{ id|tojson }}: {{ marker.get_name() }}{{ ", " if not loop.last }}{% endfor -%} }
        };
        document.dispatchEvent(new CustomEvent("aai:mapready", {detail: {{ this.key|tojson }}}));
        {% endmacro %}
    """)

    def __init__(self, key: str, cluster, markers: list[tuple[str, folium.Marker]]):
        super().__init__()
        self._name = "MarkerIndex"
        self.key, self.cluster, self.markers = key, cluster, markers


@contextmanager
def stable_ids() -> Iterator[None]:
    """Number branca's element ids in creation order instead of drawing them at random."""
    original = Element.__dict__["_generate_id"]
    counter = itertools.count()
    Element._generate_id = classmethod(lambda cls: f"e{next(counter)}")
    try:
        yield
    finally:
        Element._generate_id = original


JINJA_SYNTAX = ("{{", "{%", "{#")


class LiteralSnippet:
    """What a text without Jinja syntax renders to: itself, less the one final newline Jinja drops."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text[:-1] if text.endswith("\n") else text

    def render(self, *args, **kwargs) -> str:
        return self.text


@contextmanager
def literal_snippets() -> Iterator[None]:
    """branca's elements made from a rendered text keep it as it is instead of compiling it."""
    original = branca.element.Template

    def template(source, *args, **kwargs):
        if (not args and not kwargs and isinstance(source, str) and "\r" not in source
                and not any(mark in source for mark in JINJA_SYNTAX)):
            return LiteralSnippet(source)
        return original(source, *args, **kwargs)

    branca.element.Template = template
    try:
        yield
    finally:
        branca.element.Template = original


def _named(element, ident: str):
    """Give an element a readable id (before it is added anywhere: parents key children by name)."""
    element._id = ident.replace("-", "_")
    return element


def build_map(spec: MapSpec, *, tiles: str, attribution: str, siteurl: str,
              territory: dict | None = None) -> folium.Map:
    """The folium map for ``spec``; call inside ``stable_ids()``.

    ``tiles``: the tile URL template, or "" for no tiles at all (the territory is drawn anyway).
    ``territory``: the options of the territory layer (``territory.territory_options``).
    """
    if spec.bounds:
        south, west, north, east = spec.bounds
        centre = list(centre_of(spec.bounds))
    else:
        centre = [spec.associations[0].latitude, spec.associations[0].longitude]
    options = {"scroll_wheel_zoom": False, "dragging": JsCode("!L.Browser.mobile")} if spec.small else {}
    fmap = _named(folium.Map(location=centre, zoom_start=spec.zoom, tiles=None, zoom_control=False,
                             zoom_snap=ZOOM_SNAP, **options), spec.key)
    fmap.options.update(min_zoom=MIN_ZOOM, max_zoom=MAX_ZOOM)  # folium gives these to its tiles only
    _named(FrenchZoom(), f"{spec.key}_zoom").add_to(fmap)
    fmap.default_js, fmap.default_css = assets.leaflet(siteurl)
    if spec.bounds:
        # Framed before any marker is added, at once: a cluster laid out at the first zoom and
        # redrawn later would close a pop-up opened meanwhile (by the commune finder).
        frame = _named(FitBounds([[south, west], [north, east]]), f"{spec.key}_frame")
        frame.options["animate"] = False
        frame.add_to(fmap)
    if tiles:
        # A TileProvider, not a URL string: folium would search its 1,000 named providers for it.
        provider = TileProvider(name="aai", url=tiles, attribution=attribution, html_attribution=attribution)
        _named(folium.TileLayer(tiles=provider, attr=attribution, name="OpenStreetMap", max_zoom=MAX_ZOOM,
                                min_zoom=MIN_ZOOM), f"{spec.key}_tiles").add_to(fmap)

    layer = fmap
    if spec.cluster:
        layer = _named(MarkerCluster(show_coverage_on_hover=False, max_cluster_radius=spec.cluster_radius,
                                     icon_create_function=CLUSTER_ICON_JS), f"{spec.key}_cluster")
        layer.default_js, layer.default_css = assets.markercluster(siteurl)
        layer.add_to(fmap)
    markers = []
    for ai in spec.associations:
        marker = _named(folium.Marker([ai.latitude, ai.longitude], title=ai.name, alt=ai.name),
                        f"{spec.key}_{ai.id}")
        _named(ContactPopup(ai.id), f"{spec.key}_{ai.id}").add_to(marker)
        marker.add_to(layer)
        markers.append((ai.id, marker))
    _named(MarkerIndex(spec.key, layer if spec.cluster else None, markers), spec.key).add_to(fmap)
    if territory is not None:
        _named(TerritoryLayer(spec.key, territory, siteurl), f"{spec.key}_territory").add_to(fmap)
    return fmap


def render_parts(fmap: folium.Map, siteurl: str) -> MapParts:
    """Cut folium's page into parts: local asset links, the map ``<div>`` and a compact script."""
    figure = fmap.get_root()
    figure.render()
    links = list(figure.header._children.values())
    scripts = tuple(dict.fromkeys(e.url for e in links if isinstance(e, JavascriptLink)))
    styles = tuple(dict.fromkeys(e.url for e in links if isinstance(e, CssLink)))
    foreign = [link for link in scripts + styles if not assets.is_local(link, siteurl)]
    if foreign:
        raise MapError(f"the map would load files from another site: {', '.join(foreign)}")
    lines = (line.strip() for line in figure.script.render().splitlines())
    body = "\n".join(line for line in lines if line)
    # Leaflet is loaded with `defer`: run once it is there, whatever the script's place in the page; on /carte/ the
    # scripts are added once the page has loaded (theme/js/after-paint.js): the map is drawn as soon as they run.
    script = ('(function (draw) {\nif (document.readyState === "complete") draw();\n'
              f'else document.addEventListener("DOMContentLoaded", draw);\n}})(function () {{\n{body}\n}});')
    return MapParts(styles=styles + (assets.url(siteurl, assets.MAP_CSS),), scripts=scripts,
                    html=Markup(figure.html.render().strip()), script=Markup(script))


def make_map(spec: MapSpec, *, tiles: str, attribution: str, siteurl: str,
             territory: dict | None = None) -> MapParts:
    """Build and render one map with stable ids, without compiling its rendered snippets."""
    with stable_ids(), literal_snippets():
        return render_parts(build_map(spec, tiles=tiles, attribution=attribution, siteurl=siteurl,
                                      territory=territory), siteurl)
