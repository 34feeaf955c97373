"""The colours of the territory on the map, from the graphic charter (``data/brand.yaml``).

Each AI's zone gets a tint of a brand colour; zones that touch or overlap never share a tint
(graph colouring). Colour is never the only cue: communes served by several AIs are hatched with
dark lines, communes no AI serves are dotted, and dark lines mark the edge of each zone and of
each département, contrasted at least 3:1 against every fill (WCAG 2.2, 1.4.11).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from model.charter.contrast import contrast_ratio

logger = logging.getLogger(__name__)

# (brand colour, share of it mixed with white): light enough for dark lines and text on top,
# far enough apart to tell zones apart.
ZONE_TINTS = (("primary", 0.3), ("accent", 0.3), ("focus", 0.55), ("primary", 0.55), ("accent", 0.55))
NON_TEXT_CONTRAST = 3.0  # WCAG 2.2, 1.4.11: graphical objects needed to understand the content
# Over map tiles the fills let the streets show through; the contrasts are checked for the worst
# case, tiles missing: the fill over the map's own background.
FILL_OPACITY_OVER_TILES = 0.75


def mix(colour: str, share: float, base: str = "#ffffff") -> str:
    """``share`` of ``colour`` over ``base``, as an opaque hex colour."""
    channels = []
    for i in (1, 3, 5):
        top, bottom = int(colour[i:i + 2], 16), int(base[i:i + 2], 16)
        channels.append(round(top * share + bottom * (1 - share)))
    return "#" + "".join(f"{c:02x}" for c in channels)


@dataclass(frozen=True)
class Palette:
    """Every colour the territory layer draws with (opaque hex), as the browser receives it."""

    zones: tuple[str, ...]  # one fill per colour index
    outside: str  # behind the communes: the map's own background
    uncovered: str  # fill of a commune no AI serves...
    dots: str  # ...with dots of this colour
    hatch: str  # lines across a commune served by several AIs
    commune_line: str
    zone_line: str
    departement_line: str
    highlight: str  # outline of the commune whose pop-up is open
    fill_opacity: float = 1.0  # below 1 when tiles are drawn under the communes

    def shown(self, fill: str) -> str:
        """A fill as seen where the tiles are missing: over the map's own background."""
        return mix(fill, self.fill_opacity, self.outside)

    def as_options(self) -> dict:
        return {"zones": list(self.zones), "outside": self.outside, "uncovered": self.uncovered,
                "dots": self.dots, "hatch": self.hatch, "communeLine": self.commune_line,
                "zoneLine": self.zone_line, "departementLine": self.departement_line,
                "highlight": self.highlight, "fillOpacity": self.fill_opacity}

    def contrasts(self) -> dict[str, float]:
        """The lowest contrast of each cue against what it sits on (or next to)."""
        fills = tuple(self.shown(f) for f in (*self.zones, self.uncovered))
        return {
            "limite de zone": min(contrast_ratio(self.zone_line, f) for f in fills),
            "limite de département": min(contrast_ratio(self.departement_line, f) for f in (*fills, self.outside)),
            "hachures (plusieurs associations)": min(contrast_ratio(self.hatch, self.shown(f)) for f in self.zones),
            "points (aucune association)": contrast_ratio(self.dots, self.shown(self.uncovered)),
            "commune sélectionnée": min(contrast_ratio(self.highlight, f) for f in fills),
        }


def palette(brand, tiles: bool = False) -> Palette:
    """The map's colours, all taken from the charter; ``tiles``: drawn over map tiles."""
    hex_of = brand.hex
    return Palette(
        zones=tuple(mix(hex_of[colour], share) for colour, share in ZONE_TINTS),
        outside=hex_of["surface"], uncovered=hex_of["background"], dots=hex_of["muted"],
        hatch=hex_of["text"], commune_line=hex_of["muted"], zone_line=hex_of["primary-dark"],
        departement_line=hex_of["text"], highlight=hex_of["text"],
        fill_opacity=FILL_OPACITY_OVER_TILES if tiles else 1.0)


def zone_graph(associations: Iterable, neighbours: Mapping[str, Iterable[str]]) -> tuple[list[str], list[list[str]]]:
    """Which AIs must not share a colour: their ids in id order, and each pair of AIs whose zones touch
    or overlap (ids in order, pairs sorted), as plain data.

    The colouring depends on nothing else (``colour_graph``): the build keeps the colours while this
    stays the same, and loads networkx only when it changes (a commune added to a zone inside the zones
    it already touches changes no colour)."""
    associations = sorted(associations, key=lambda a: a.id)
    serving: dict[str, set[str]] = {}
    for ai in associations:
        for insee in ai.zone:
            serving.setdefault(insee, set()).add(ai.id)
    pairs: set[tuple[str, str]] = set()
    for insee, ais in serving.items():
        for other in {insee, *neighbours.get(insee, ())}:
            for second in serving.get(other, ()):
                pairs.update((min(first, second), max(first, second)) for first in ais if first != second)
    return [ai.id for ai in associations], [list(pair) for pair in sorted(pairs)]


def colour_graph(nodes: list[str], edges: list[list[str]], count: int) -> dict[str, int]:
    """A colour index per node, different for any two nodes of an edge (``zone_graph``'s).

    networkx's DSatur colouring: it takes the nodes in their order, so the same graph gives the same
    colours. Beyond ``count`` colours (never seen with the region's zones) indices wrap around: the
    zone lines still separate the zones.
    """
    import networkx  # only when the zones' graph changed: the build keeps the colours otherwise (plugin.py)

    graph = networkx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(map(tuple, edges))
    colours = networkx.greedy_color(graph, strategy="DSATUR")
    if colours and max(colours.values()) >= count:
        logger.warning("Map: %d colours needed for the AI zones, %d available", max(colours.values()) + 1, count)
    return {ident: index % count for ident, index in colours.items()}


def zone_colours(associations: Iterable, neighbours: Mapping[str, Iterable[str]], count: int) -> dict[str, int]:
    """A colour index per AI id, different for any two AIs whose zones touch or overlap; AIs are taken
    in id order so the same data gives the same colours."""
    return colour_graph(*zone_graph(associations, neighbours), count)
