"""The territory layer of a map: communes drawn from the département files, coloured by AI zone.

The geometry is not in the page: the layer names the published files (``shapes.py``) and gives
the files of who serves which commune (``zones.py``) and, on /carte/, the départements' overviews
(``overview.py``); the pop-ups' texts are in the page (``popup.py``).
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
    key: str = ""  # ``association`` mode: the AI whose zone is drawn


def script_value(value) -> str:
    """``value`` as JavaScript: JSON where no text can close the script or open a Jinja tag.

    branca reads every rendered script as a Jinja template once more: ``{{``, ``{%`` and ``{#``
    may only appear inside strings, where they are written with an escape.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("</", "<\\/").replace("{{", "{\\u007b").replace("{%", "{\\u0025")
            .replace("{#", "{\\u0023"))


DETAIL_ZOOM = 9  # /carte/: from this zoom on, the communes of the départements in view are drawn


def territory_options(site, territory: Territory, *, files: Sequence[tuple], index_url: str,
                      siteurl: str, palette) -> dict:
    """The layer's options: for each département, its shapes, its zones and (/carte/) its overview
    file, with its box; no zone and no contact detail (the zones are fetched, see ``zones.py``; the
    pop-ups come from the page, see ``popup.py``)."""
    if territory.mode not in MODES:
        raise ValueError(f"unknown territory mode {territory.mode!r}")
    options = {
        "mode": territory.mode,
        "files": [list(entry) for entry in files],
        "index": index_url,
        "siteurl": siteurl,
        "palette": palette.as_options(),
        "attribution": site.shapes.attribution,
    }
    if territory.mode == "association":
        options["only"] = territory.key
    if territory.mode == "region":
        options["detail"] = DETAIL_ZOOM
    return options
