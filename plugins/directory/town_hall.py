"""What a commune's town-hall page adds to its commune: the card's link, carrying the town hall's source, and
the poster's QR code to the same address (an inline SVG made at build: the poster prints without fetching).

Both depend on the commune and the build's public address only, so the page's digest (the commune's) covers
them; the QR code is made only when the page is rendered, incremental builds skip it.

Making 2,228 QR codes is most of what the town-hall pages cost a cold build (1.5 ms each, as much as all the
commune pages together): each is kept under Pelican's ``CACHE_PATH`` (beside the compiled templates), named
after everything it is made from, so a build into an empty output folder makes only the new ones.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
import os
from pathlib import Path

import segno
from markupsafe import Markup

from kit.qr import qr_svg
from rules.sources import town_hall_source, with_source

logger = logging.getLogger(__name__)

PAGE = "mairie/"  # under the commune's own address
# The QR code's mask is fixed: every mask scans, and choosing the best of eight costs three times as long.
QR_MASK = 0
CACHE_FOLDER = "qr"
# What a cached code depends on besides its address: the maker's code and version, and the mask.
_MAKER = hashlib.sha256(f"{inspect.getsource(qr_svg)}\0{segno.__version__}\0{QR_MASK}".encode()).hexdigest()


def card_link(public_url: str, commune) -> str:
    """The commune page's public address with the town hall's source: what the card and the poster link to."""
    return with_source(f"{public_url}/{commune.url}", town_hall_source(commune.insee))


def qr_code(link: str, cache_path: str | os.PathLike | None = None) -> str:
    """The SVG of ``link``'s QR code, from the cache when an earlier build made it."""
    name = hashlib.sha256(f"{_MAKER}\0{link}".encode()).hexdigest()[:32] + ".svg"
    path = Path(cache_path) / CACHE_FOLDER / name if cache_path else None
    if path is not None:
        try:
            return path.read_text("utf-8")
        except OSError:
            pass
    svg = qr_svg(link, mask=QR_MASK)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")  # forked workers: one writer per file name
            temporary.write_text(svg, "utf-8")
            temporary.replace(path)
        except OSError as error:  # a read-only or full disk only costs time
            logger.debug("QR code not cached: %s", error)
    return svg


def poster_qr(link: str, cache_path: str | os.PathLike | None = None) -> Markup:
    """The QR code of ``link``, an SVG for the page (hidden from screen readers: the address is written
    beside it)."""
    svg = qr_code(link, cache_path)
    return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))
