"""QR codes pointing to an association's page on the common site, as SVG data URIs.

Vector, so they stay sharp on a 40 × 60 cm poster as well as on a letterhead.
"""

from __future__ import annotations

import base64
import io
import logging
from functools import lru_cache

import segno

logger = logging.getLogger(__name__)


def qr_svg(url: str, dark: str = "#000000", mask: int | None = None) -> str:
    """The SVG of a QR code for ``url``, sized by its viewBox so CSS sets the printed size. ``mask`` fixed
    (0–7) skips the search for the best one: any mask scans, and the search is most of the time spent."""
    # Error level M survives a folded or slightly soiled flyer; border=4 modules is the quiet zone
    # scanners need. Dark on white only: inverted codes scan badly with many phones.
    code = segno.make(url, error="m", micro=False, mask=mask)
    out = io.BytesIO()
    code.save(out, kind="svg", scale=1, border=4, dark=dark, light="#ffffff", xmldecl=False,
              svgns=True, svgclass=None, lineclass=None, omitsize=True)
    return out.getvalue().decode("utf-8")


@lru_cache(maxsize=256)
def qr_data_uri(url: str, dark: str = "#000000") -> str:
    # base64 rather than percent-encoding: WeasyPrint drops segno's own quoted data URI.
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(url, dark).encode()).decode()
