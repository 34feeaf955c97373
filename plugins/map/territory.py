"""The territory layer of a map: communes drawn from the département files, coloured by AI zone.

The geometry is not in the page: the layer names the published files (``shapes.py``) and gives
only who serves which commune and the colours; the pop-ups' texts are in the page (``popup.py``).
``theme/js/territory.js`` draws it;
the folium element that hands it these options is ``builder.TerritoryLayer``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass


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


def serving_ais(site, territory: Territory) -> dict[str, list[str]]:
    """AI id → the communes drawn that it serves, ids in order."""
    zone_of: dict[str, list[str]] = {}
    for insee in sorted(territory.communes):
        for ai in site.serving(insee):
            zone_of.setdefault(ai.id, []).append(insee)
    return {ident: zone_of[ident] for ident in sorted(zone_of)}


def territory_options(site, territory: Territory, *, files: Sequence[tuple[str, str]], index_url: str,
                      siteurl: str, palette, colours: dict[str, int]) -> dict:
    """The layer's options: files to draw, each AI's zone within them and colours (no contact details:
    the pop-ups come from the page, see ``popup.py``)."""
    if territory.mode not in MODES:
        raise ValueError(f"unknown territory mode {territory.mode!r}")
    zone_of = serving_ais(site, territory)
    return {
        "mode": territory.mode,
        "files": [list(pair) for pair in files],
        "index": index_url,
        "siteurl": siteurl,
        "palette": palette.as_options(),
        "ais": [[ident, colours[ident]] for ident in zone_of],
        "zones": [" ".join(codes) for codes in zone_of.values()],
        "attribution": site.shapes.attribution,
    }
