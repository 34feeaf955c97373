"""Build the figures face: digits 0–9 without a slashed zero, to sit beside Atkinson Hyperlegible Next.

Atkinson Hyperlegible Next draws its zero with a slash and offers no alternative glyph, so
« 05 36 49 00 00 » read « Ø5 36 49 ØØ ØØ ». The charter (``data/brand.yaml``, role ``figures``)
puts this small face first in the font stack, limited to the digits: every other character still
comes from Atkinson. The digits are Inter's (SIL OFL 1.1, npm ``@fontsource/inter``), scaled to
Atkinson's cap height and given Atkinson's vertical metrics, so a line of text keeps its height
and a phone number its look, on screen and in the print kit (WeasyPrint) alike.

Usage::

    python scripts/update_figures_font.py
"""

from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from fontsource import FONTS, NAME_IDS, ROOT, WEIGHTS, fetch_package

logger = logging.getLogger(__name__)

PACKAGE = "@fontsource/inter"
VERSION = "5.3.0"
FAMILY = "AAI Chiffres"  # a modified version: not called « Inter » (OFL, § 3 good practice)
TEXT_FACE = "atkinson-hyperlegible-next-french-{weight}.woff2"  # scripts/update_text_font.py
OUTPUT = "aai-chiffres-{weight}.woff2"
LICENCE = "OFL-inter.txt"
DIGITS = range(0x30, 0x3A)
SPACES = (0x20, 0xA0, 0x202F)  # space, no-break space, narrow no-break space


def figures(source: Path, text_face: Path, weight: int) -> TTFont:
    """Inter's digits alone, sized and spaced like the text face's capitals."""
    font = TTFont(source)
    options = subset.Options()
    options.layout_features = ["tnum", "pnum"]
    options.name_IDs = NAME_IDS
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[*DIGITS, *SPACES])
    subsetter.subset(font)

    text = TTFont(text_face)
    text_upm, upm = text["head"].unitsPerEm, font["head"].unitsPerEm
    # A larger em makes the same outlines smaller: Inter's capitals shrink to Atkinson's height.
    scale = (text["OS/2"].sCapHeight / text_upm) / (font["OS/2"].sCapHeight / upm)
    new_upm = round(upm / scale)
    font["head"].unitsPerEm = new_upm
    ratio = new_upm / text_upm
    for table, fields in (("hhea", ("ascent", "descent", "lineGap")),
                          ("OS/2", ("sTypoAscender", "sTypoDescender", "sTypoLineGap",
                                    "usWinAscent", "usWinDescent"))):
        for name in fields:
            setattr(font[table], name, round(getattr(text[table], name) * ratio))
    # The spaces inside « 05 36 49 00 00 »: WeasyPrint draws them with the digits' face (a browser,
    # following unicode-range, takes Atkinson's); either way they get Atkinson's width.
    font_cmap, text_cmap = font.getBestCmap(), text.getBestCmap()
    for code in SPACES:
        if code in font_cmap and code in text_cmap:
            width = round(text["hmtx"][text_cmap[code]][0] * ratio)
            font["hmtx"][font_cmap[code]] = (width, 0)
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 16):
            names.setName(FAMILY, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID in (4, 6):
            value = f"{FAMILY} {'Bold' if weight >= 700 else 'Regular'}"
            names.setName(value if record.nameID == 4 else value.replace(" ", "-"),
                          record.nameID, record.platformID, record.platEncID, record.langID)
    font.flavor = "woff2"
    return font


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        package = fetch_package(PACKAGE, VERSION, Path(tmp))
        for weight in WEIGHTS:
            font = figures(package / "files" / f"inter-latin-{weight}-normal.woff2",
                           FONTS / TEXT_FACE.format(weight=weight), weight)
            target = FONTS / OUTPUT.format(weight=weight)
            font.save(target)
            logger.info("%s: %d bytes", target.relative_to(ROOT), target.stat().st_size)
        (FONTS / LICENCE).write_bytes((package / "LICENSE").read_bytes())
    return 0


if __name__ == "__main__":
    sys.exit(main())
