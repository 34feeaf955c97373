"""Pictograms: which drawing stands for which service or action, and its inline SVG.

One icon set (Tabler Icons, MIT, vendored in ``theme/static/vendor/tabler-icons/`` by
``scripts/update_icons.py``) for the site and the print kit alike. Each service names its own
pictogram in ``data/services.yaml``; the key actions are named once here, so « téléphoner » or
« charte qualité » never wear two different drawings. Drawn in the text's colour (``currentColor``).

The site's pages write a small inline ``<svg><use href="…/pictos.svg#phone"/></svg>``: the drawings
themselves come once, in one cached file built by ``sprite()``, so a commune page with a hundred
pictograms stays light. The print kit inlines each drawing (``inline_svg``): WeasyPrint needs it.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path

logger = logging.getLogger(__name__)

ICONS_DIR = Path(__file__).resolve().parents[2] / "theme" / "static" / "vendor" / "tabler-icons"
SVG_NS = "http://www.w3.org/2000/svg"
NAME_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# The key actions and facts, by role: templates say icon("phone"), never a drawing's name.
ACTIONS = {
    "find": "map-search",          # « Trouver mon association »
    "phone": "phone",              # call a number
    "callback": "phone-incoming",  # « Être rappelé »
    "request": "clipboard-text",   # « Demander une intervention »
    "charter": "rosette-discount-check",  # signatory of the quality charter
    "distance": "route",           # how far the association's office is
    "address": "map-pin",
    "email": "mail",
    "hours": "clock",
    "website": "world",
    "map": "map-2",
    "menu": "menu-2",
    "search": "search",
    "solidarity": "heart-handshake",
    "simple": "file-check",
    "tax": "receipt-euro",
    "news": "news",
    "person": "user",            # the contact person
}

@lru_cache(maxsize=1)
def available() -> frozenset[str]:
    """Names of the vendored drawings (file names without ``.svg``)."""
    return frozenset(path.stem for path in ICONS_DIR.glob("*.svg"))


def drawing(role_or_name: str) -> str:
    """The drawing's name for a role of ``ACTIONS``, or the name itself (services give names)."""
    return ACTIONS.get(role_or_name, role_or_name)


@lru_cache(maxsize=256)
def inline_svg(role_or_name: str, css_class: str = "icon", colour: str | None = None) -> str:
    """The pictogram as an ``<svg>`` element to write into HTML, hidden from screen readers.

    The vendored file is kept as published; here its fixed size, its class list and the invisible
    24 × 24 bounding path go, so CSS sizes it (1 em by default) and the markup stays small.
    ``colour`` replaces the text's colour (``currentColor``), which WeasyPrint does not pass on.
    """
    name = drawing(role_or_name)
    path = ICONS_DIR / f"{name}.svg"
    if not NAME_PATTERN.match(name) or not path.is_file():
        raise KeyError(f"pictogramme inconnu « {name} » : lancez « python scripts/update_icons.py {name} »")
    root = ET.fromstring(path.read_text("utf-8"))
    for attribute in ("width", "height", "class"):
        root.attrib.pop(attribute, None)
    for child in list(root):
        if child.get("stroke") == "none" and child.get("d", "").replace(" ", "") == "M00h24v24H0z":
            root.remove(child)
    if colour:
        root.set("stroke", colour)
    root.set("class", css_class)
    root.set("aria-hidden", "true")
    # Plain tag names and an explicit xmlns: ElementTree's prefix map is global, and other libraries
    # (WeasyPrint) change it, which would turn <svg> into <ns0:svg>.
    for element in root.iter():
        element.tag = element.tag.rpartition("}")[2]
    root.attrib = {"xmlns": SVG_NS, **root.attrib}
    text = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return re.sub(r">\s+<", "><", text).replace(" />", "/>")


def sprite() -> str:
    """Every vendored drawing as a ``<symbol id="name">`` of one SVG file, for ``<use>``."""
    symbols = []
    for name in sorted(available()):
        # The drawing's own attributes (stroke="currentColor"…) go on its symbol: a <use> in a page
        # inherits from the page, not from this file's root.
        markup = inline_svg(name)
        attributes = markup[len("<svg"):markup.index(">")]
        attributes = re.sub(r' (xmlns|class|aria-hidden)="[^"]*"', "", attributes)
        inner = markup[markup.index(">") + 1:markup.rindex("</svg>")]
        symbols.append(f'<symbol id="{name}"{attributes}>{inner}</symbol>')
    return (f'<svg xmlns="{SVG_NS}">\n'
            "<!-- Tabler Icons (MIT), https://tabler.io/icons: see vendor/tabler-icons/LICENSE -->\n"
            + "\n".join(symbols) + "\n</svg>\n")


@lru_cache(maxsize=1024)  # pure; a commune page draws some twenty of them
def use_svg(role_or_name: str, sprite_url: str, css_class: str = "icon") -> str:
    """A pictogram drawn from the sprite file at ``sprite_url``, hidden from screen readers."""
    name = drawing(role_or_name)
    if name not in available():
        raise KeyError(f"pictogramme inconnu « {name} » : lancez « python scripts/update_icons.py {name} »")
    return f'<svg class="{css_class}" aria-hidden="true"><use href="{sprite_url}#{name}"/></svg>'
