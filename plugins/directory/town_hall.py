"""What a commune's town-hall page adds to its commune: the card's link, carrying the town hall's source, and
the poster's QR code to the same address (an inline SVG made at build: the poster prints without fetching).

Both depend on the commune and the build's public address only, so the page's digest (the commune's) covers
them; the QR code is made only when the page is rendered, incremental builds skip it.
"""

from __future__ import annotations

from markupsafe import Markup

from kit.qr import qr_svg
from rules.sources import town_hall_source, with_source

PAGE = "mairie/"  # under the commune's own address
# The QR code's mask is fixed: every mask scans, and choosing the best of eight costs three times as long
# (2,228 posters in a cold build).
QR_MASK = 0


def card_link(public_url: str, commune) -> str:
    """The commune page's public address with the town hall's source: what the card and the poster link to."""
    return with_source(f"{public_url}/{commune.url}", town_hall_source(commune.insee))


def poster_qr(link: str) -> Markup:
    """The QR code of ``link``, an SVG for the page (decorative for screen readers: the address is written
    beside it)."""
    svg = qr_svg(link, mask=QR_MASK)
    return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))
