"""Build the text face: Atkinson Hyperlegible Next cut down to the characters French pages use.

Fontsource's « latin » files cover every Western European language (Ð, Þ, ß, ¿, …) and the digits,
which the figures face (``AAI Chiffres``, ``scripts/update_figures_font.py``) draws in their place: the charter
(``data/brand.yaml``) puts it first in the font stack, on screen and in the print kit alike. This script keeps
French's letters and punctuation (plus Ñ, Ø and ×, found in names and dimensions) and drops the digits when the
figures face has all ten. A character outside the set is drawn by the next font of the stack (the system's): it
stays readable, only its look changes. The two files are preloaded by every page: a third of their weight saved
is saved on every first visit.

Usage::

    python scripts/update_text_font.py
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

PACKAGE = "@fontsource/atkinson-hyperlegible-next"
VERSION = "5.3.0"
SOURCE = "atkinson-hyperlegible-next-latin-{weight}-normal.woff2"
OUTPUT = "atkinson-hyperlegible-next-french-{weight}.woff2"
FIGURES = "aai-chiffres-{weight}.woff2"
LICENCE = "OFL-atkinson-hyperlegible-next.txt"
DIGITS = frozenset(range(0x30, 0x3A))
ASCII = frozenset(range(0x20, 0x7F))
FRENCH_LETTERS = "ÀÂÆÇÈÉÊËÎÏÔŒÙÛÜŸàâæçèéêëîïôœùûüÿ"
OTHER_LETTERS = "ÑñØø"  # Spanish and Scandinavian names; Ø also shows what the figures face is for
PUNCTUATION = (
    "\u00a0\u2009"  # no-break space (before « : ; ! ? »), thin space
    "«»‹›‘’‚“”„"  # quotation marks
    "–—…•·"  # dashes, ellipsis, bullets
    "°×€©®™§"  # degree (n°), multiplication sign, euro, marks, section
)
# Ÿ and the narrow no-break space are not in Fontsource's latin file: the next font of the stack draws them, as
# before this script.
FRENCH = frozenset(ASCII | {ord(c) for c in FRENCH_LETTERS + OTHER_LETTERS + PUNCTUATION})


def figures_cover_digits(weight: int) -> bool:
    """Whether the figures face of this weight draws all ten digits (then the text face need not)."""
    path = FONTS / FIGURES.format(weight=weight)
    return path.exists() and DIGITS <= set(TTFont(path).getBestCmap())


def french(source: Path, keep_digits: bool) -> TTFont:
    """The text face reduced to the French repertoire, with fontTools' default layout features (kerning,
    ligatures, marks; no stylistic sets, which the stylesheets do not ask for)."""
    font = TTFont(source, recalcTimestamp=False)  # the same files each run
    options = subset.Options()
    options.name_IDs = NAME_IDS
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(FRENCH if keep_digits else FRENCH - DIGITS))
    subsetter.subset(font)
    font.flavor = "woff2"
    return font


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        package = fetch_package(PACKAGE, VERSION, Path(tmp))
        for weight in WEIGHTS:
            keep_digits = not figures_cover_digits(weight)
            font = french(package / "files" / SOURCE.format(weight=weight), keep_digits)
            target = FONTS / OUTPUT.format(weight=weight)
            font.save(target)
            logger.info("%s : %d octets (chiffres %s)", target.relative_to(ROOT), target.stat().st_size,
                        "gardés" if keep_digits else "laissés à la police des chiffres")
        (FONTS / LICENCE).write_bytes((package / "LICENSE").read_bytes())
    return 0


if __name__ == "__main__":
    sys.exit(main())
