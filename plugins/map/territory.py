"""The territory layer of a map: communes drawn from the département files, coloured by AI zone.

The geometry is not in the page: the layer names the published files (``shapes.py``) and gives
only who serves which commune, the colours and the pop-up texts. ``theme/js/territory.js`` draws it;
the folium element that hands it these options is ``builder.TerritoryLayer``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .popup import no_ai_html, popup_html

logger = logging.getLogger(__name__)

MODES = ("region", "departement", "association")


@dataclass(frozen=True)
class Territory:
    """What a map draws of the territory.

    ``mode``: ``region`` and ``departement`` draw every commune of their files, uncovered ones
    dotted; ``association`` draws one AI's zone, the other communes of its files plain.
    ``communes``: the communes whose AIs the pop-ups give (in ``association`` mode, the zone).
    """

    mode: str
    departements: tuple[str, ...]
    communes: tuple[str, ...]


def script_value(value) -> str:
    """``value`` as JavaScript: JSON where no text can close the script or open a Jinja tag.

    branca reads every rendered script as a Jinja template once more: ``{{``, ``{%`` and ``{#``
    may only appear inside strings, where they are written with an escape.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("</", "<\\/").replace("{{", "{\\u007b").replace("{%", "{\\u0025")
            .replace("{#", "{\\u0023"))


def territory_options(site, territory: Territory, *, files: Sequence[tuple[str, str]], index_url: str,
                      siteurl: str, palette, colours: dict[str, int], with_markers: Iterable[str]) -> dict:
    """The layer's options: files to draw, each AI's zone within them, colours and pop-up texts."""
    if territory.mode not in MODES:
        raise ValueError(f"unknown territory mode {territory.mode!r}")
    zone_of: dict[str, list[str]] = {}  # AI id → the communes drawn that it serves
    ais = {}
    for insee in sorted(territory.communes):
        for ai in site.serving(insee):
            ais[ai.id] = ai
            zone_of.setdefault(ai.id, []).append(insee)
    ais = [ais[ident] for ident in sorted(ais)]
    zones = [" ".join(zone_of[ai.id]) for ai in ais]
    with_markers = set(with_markers)
    return {
        "mode": territory.mode,
        "files": [list(pair) for pair in files],
        "index": index_url,
        "siteurl": siteurl,
        "palette": palette.as_options(),
        "ais": [[ai.id, colours[ai.id]] for ai in ais],
        "zones": zones,
        # Pop-ups of the AIs that have no marker on this map (the other AIs of a shared commune).
        "cards": {ai.id: popup_html(ai, siteurl) for ai in ais if ai.id not in with_markers},
        "none": no_ai_html(site.settings, siteurl),
        "attribution": site.shapes.attribution,
    }
