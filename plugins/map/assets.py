"""The map's scripts and styles, served from our own site (no CDN: only the optional tiles come from outside).

Versions and licences of the vendored files: theme/static/vendor/README.md.
"""

from __future__ import annotations

LEAFLET_VERSION = "1.9.4"
MARKERCLUSTER_VERSION = "1.5.3"
TOPOJSON_CLIENT_VERSION = "3.1.0"
POINT_IN_POLYGON_VERSION = "1.2.4"

# Output paths, relative to SITEURL (theme/static/… is published as theme/…).
LEAFLET_JS = "theme/vendor/leaflet/leaflet.js"
LEAFLET_CSS = "theme/vendor/leaflet/leaflet.css"
CLUSTER_JS = "theme/vendor/leaflet.markercluster/leaflet.markercluster.js"
CLUSTER_CSS = ("theme/vendor/leaflet.markercluster/MarkerCluster.css",
               "theme/vendor/leaflet.markercluster/MarkerCluster.Default.css")
TOPOJSON_JS = "theme/vendor/topojson-client/topojson-client.min.js"
POINT_IN_POLYGON_JS = "theme/vendor/point-in-polygon-hao/pointInPolygon.min.js"  # added by shapes.js
MAP_CSS = "theme/css/map.css"
MAP_JS = "theme/js/map.js"
COMMUNES_JS = "theme/js/communes.js"  # the finder's index and the « à / au / aux » rule
SHAPES_JS = "theme/js/shapes.js"  # loads the shapes, finds the commune at a position
TERRITORY_JS = "theme/js/territory.js"  # draws the territory on a map
AROUND_JS = "theme/js/around.js"  # « Autour de moi »


def url(siteurl: str, path: str) -> str:
    return f"{siteurl}/{path}"


def leaflet(siteurl: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(default_js, default_css) for ``folium.Map``: Leaflet alone, no jQuery, Bootstrap or Font Awesome."""
    return [("leaflet", url(siteurl, LEAFLET_JS))], [("leaflet_css", url(siteurl, LEAFLET_CSS))]


def markercluster(siteurl: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(default_js, default_css) for ``folium.plugins.MarkerCluster``."""
    return ([("markerclusterjs", url(siteurl, CLUSTER_JS))],
            [(f"markercluster_css_{i}", url(siteurl, path)) for i, path in enumerate(CLUSTER_CSS)])


def shapes(siteurl: str) -> list[str]:
    """Scripts that read the communes' shapes, in order (also on the home page, without a map). The point-in-polygon
    test is not among them: shapes.js fetches it with the first département's shapes."""
    return [url(siteurl, path) for path in (TOPOJSON_JS, COMMUNES_JS, SHAPES_JS)]


def territory(siteurl: str) -> list[tuple[str, str]]:
    """default_js of the territory layer: the shapes' scripts, then the layer's own."""
    names = ("topojson", "communes", "shapes")
    return [*zip(names, shapes(siteurl)), ("territory", url(siteurl, TERRITORY_JS))]


def is_local(link: str, siteurl: str) -> bool:
    """True for an asset of this site; catches a folium element that would pull in a CDN file."""
    return link.startswith(f"{siteurl}/theme/")
