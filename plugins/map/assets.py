"""The map's scripts and styles, served from our own site (no CDN: only the tiles come from outside).

Versions and licences of the vendored files: theme/static/vendor/README.md.
"""

from __future__ import annotations

LEAFLET_VERSION = "1.9.4"
MARKERCLUSTER_VERSION = "1.5.3"

# Output paths, relative to SITEURL (theme/static/… is published as theme/…).
LEAFLET_JS = "theme/vendor/leaflet/leaflet.js"
LEAFLET_CSS = "theme/vendor/leaflet/leaflet.css"
CLUSTER_JS = "theme/vendor/leaflet.markercluster/leaflet.markercluster.js"
CLUSTER_CSS = ("theme/vendor/leaflet.markercluster/MarkerCluster.css",
               "theme/vendor/leaflet.markercluster/MarkerCluster.Default.css")
MAP_CSS = "theme/css/map.css"
MAP_JS = "theme/js/map.js"


def url(siteurl: str, path: str) -> str:
    return f"{siteurl}/{path}"


def leaflet(siteurl: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(default_js, default_css) for ``folium.Map``: Leaflet alone, no jQuery, Bootstrap or Font Awesome."""
    return [("leaflet", url(siteurl, LEAFLET_JS))], [("leaflet_css", url(siteurl, LEAFLET_CSS))]


def markercluster(siteurl: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(default_js, default_css) for ``folium.plugins.MarkerCluster``."""
    return ([("markerclusterjs", url(siteurl, CLUSTER_JS))],
            [(f"markercluster_css_{i}", url(siteurl, path)) for i, path in enumerate(CLUSTER_CSS)])


def is_local(link: str, siteurl: str) -> bool:
    """True for an asset of this site; catches a folium element that would pull in a CDN file."""
    return link.startswith(f"{siteurl}/theme/")
