"""Measured origins: the source an entry link carries in its address (issue 25, item 3), written once.

A link the network hands out (a town hall's card or poster, later the kit's QR codes, banners, sponsorship)
says where it was placed with ``?source=<value>``. The static site ignores the parameter; the CDN's access
logs count the landings per source, and the forms keep it beside the origin the visitor declares. Nothing
is stored on the visitor's device. Only the values this module makes are known: anything else is noise.
"""

from __future__ import annotations

import re

PARAMETER = "source"
TOWN_HALL = "mairie"  # a town hall's card on its website, or its poster's QR code
_TOWN_HALL_VALUE = re.compile(r"^mairie-(\d[0-9AB]\d{3})$")  # INSEE codes: 33394, 2A004 (Corsica)


def town_hall_source(insee: str) -> str:
    """« mairie-33394 »: the town hall of the commune whose INSEE code is ``insee``."""
    value = f"{TOWN_HALL}-{insee}"
    if not _TOWN_HALL_VALUE.match(value):
        raise ValueError(f"not an INSEE code: {insee!r}")
    return value


def town_hall_of(source: str) -> str | None:
    """The INSEE code a town-hall source names, or None when ``source`` is not one."""
    match = _TOWN_HALL_VALUE.match(source or "")
    return match.group(1) if match else None


def with_source(url: str, source: str) -> str:
    """``url`` carrying ``source`` (the address has no query of its own: the site's pages have none)."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}{PARAMETER}={source}"
