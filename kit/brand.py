"""The graphic charter (``data/brand.yaml``): one source for the site's CSS tokens, the logo and the kit.

Both the Pelican plugin ``plugins/brand`` and the print kit call this module, so the site and the
PDFs cannot disagree on a colour, a typeface or the regional name in the logo.
"""

from __future__ import annotations

import hashlib
import logging
import re
from functools import lru_cache
from pathlib import Path

from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTFont

from model.brand import FONTS_DIR, Brand, contrast_ratio, parse_brand  # noqa: F401 (re-exported)

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
TOKENS_CSS = Path("theme/static/css/tokens.css")
CHARTER_CSS = Path("theme/static/css/charte.css")
LOGO_SVG = Path("theme/static/images/logo.svg")
LOGO_NEGATIVE_SVG = Path("theme/static/images/logo-negatif.svg")
PICTOGRAMS_SVG = Path("theme/static/images/pictos.svg")  # the site's pictograms, one <symbol> each
GENERATED = (TOKENS_CSS, CHARTER_CSS, LOGO_SVG, LOGO_NEGATIVE_SVG, PICTOGRAMS_SVG)


# --- loading ---------------------------------------------------------------------------------------

def load_brand(root: Path = ROOT) -> Brand:
    """The charter as the data model loaded it; problems stop everything with French messages."""
    from model import load_site

    return load_site(Path(root)).brand


# --- the site's tokens.css -------------------------------------------------------------------------

def tokens_css(brand: Brand, font_url: str = "../fonts/") -> str:
    """The CSS custom properties and @font-face rules; ``font_url`` prefixes each font file.

    ``font-display: optional``: the pages preload the fonts, and one that is late is skipped for
    that page rather than swapped in under the reader's eyes (no layout shift).
    """
    lines = ["/* Graphic charter tokens, GENERATED from data/brand.yaml by plugins/brand:",
             "   edit data/brand.yaml, not this file. Read by site.css and the print kit. */"]
    for family, weight, path, ranges in brand.font_files:
        lines += ["@font-face {", f'  font-family: "{family}";', "  font-style: normal;",
                  f"  font-weight: {weight};", "  font-display: optional;",
                  f'  src: url("{font_url}{path.name}") format("woff2");']
        if ranges:
            lines.append(f"  unicode-range: {ranges};")
        lines.append("}")
    lines.append(":root {")
    for colour in brand.colours:
        lines.append(f"  {colour.variable}: {colour.hex};  /* {colour.name} */")
    body, heading = brand.typeface("body"), brand.typeface("heading")
    # The figures face comes first: limited to the digits, it leaves every other character to the
    # next family. (WeasyPrint ignores unicode-range on a face that shares the text's family name.)
    digits = f'"{brand.figures.family}", ' if brand.figures else ""
    lines.append(f"  --font-body: {digits}{body.stack};")
    heading_value = "var(--font-body)" if heading.family == body.family else digits + heading.stack
    lines.append(f"  --font-heading: {heading_value};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def charter_css(brand: Brand) -> str:
    """Styles of the « Charte graphique » page: one class per swatch and per pair.

    Classes rather than style attributes, which the site's Content-Security-Policy forbids.
    """
    lines = ["/* « Charte graphique » page, GENERATED from data/brand.yaml by plugins/brand. */",
             ".colours, .pairs { border-collapse: collapse; width: 100%; margin: 1rem 0; }",
             ".colours th, .colours td, .pairs th, .pairs td { text-align: left; vertical-align: top;",
             "  padding: .5rem; border-bottom: 1px solid #d8d4cc; }",
             ".swatch { display: inline-block; width: 4rem; height: 2.5rem; border: 1px solid #999;",
             "  border-radius: .3rem; }",
             ".sample { display: inline-block; padding: .2rem .6rem; font-weight: 700; font-size: 1.2rem;",
             "  border: 1px solid #ccc; border-radius: .3rem; }",
             ".logo-figures { display: flex; flex-wrap: wrap; gap: 1rem; }",
             ".logo-figures figure { margin: 0; max-width: 24rem; }",
             ".logo-figures img { display: block; width: 100%; height: auto; padding: 1rem;",
             "  box-sizing: border-box; border: 1px solid var(--brand-surface); }",
             ".logo-figures .on-dark img { background: var(--brand-primary); }",
             ".specimen { font-size: 1.5rem; color: var(--brand-primary-dark); margin: .5rem 0; }",
             ".specimen.bold { font-weight: 700; }"]
    for colour in brand.colours:
        lines.append(f".swatch-{colour.id} {{ background: var({colour.variable}); }}")
    for pair in brand.pairs:
        lines.append(f".pair-{pair.text.id}-on-{pair.background.id} {{ color: var({pair.text.variable}); "
                     f"background: var({pair.background.variable}); }}")
    return "\n".join(lines) + "\n"


# --- the logo ----------------------------------------------------------------------------------------

@lru_cache(maxsize=4)
def _font(path: str) -> TTFont:
    return TTFont(path)


def text_path(text: str, font_path: Path, size: float, x: float, baseline: float) -> tuple[str, float]:
    """SVG path data of ``text`` set in a font file, and its advance width.

    Outlines rather than <text> so the logo looks the same everywhere, without the font installed.
    """
    font = _font(str(font_path))
    glyphs, cmap, hmtx = font.getGlyphSet(), font.getBestCmap(), font["hmtx"]
    scale = size / font["head"].unitsPerEm
    pen = SVGPathPen(glyphs, ntos=lambda n: f"{n:.1f}".rstrip("0").rstrip("."))
    cursor = 0.0
    for char in text:
        name = cmap.get(ord(char)) or cmap.get(ord("?"))
        glyphs[name].draw(TransformPen(pen, (scale, 0, 0, -scale, x + cursor, baseline)))
        cursor += hmtx[name][0] * scale
    return pen.getCommands(), cursor


def split_name(name: str) -> tuple[str, str]:
    """Two balanced lines; « … d’Aquitaine » keeps its territory together on the second line."""
    name = name.replace("'", "\u2019")
    words = name.split()
    for index in range(len(words) - 1, 0, -1):
        if re.match(r"^(d\u2019|de$|du$|des$|en$)", words[index], re.IGNORECASE):
            return " ".join(words[:index]), " ".join(words[index:])
    if len(words) < 2:
        return name, ""
    best = min(range(1, len(words)),
               key=lambda i: max(len(" ".join(words[:i])), len(" ".join(words[i:]))))
    return " ".join(words[:best]), " ".join(words[best:])


def logo_svg(brand: Brand, negative: bool = False) -> str:
    """The regional logo: a house-and-« AI » mark beside the regional name on two lines."""
    regular = brand.root / FONTS_DIR / dict(brand.typeface("body").files)[400]
    bold = brand.root / FONTS_DIR / dict(brand.typeface("body").files)[700]
    primary, dark, accent = (brand.colour(i).hex for i in ("primary", "primary-dark", "accent"))
    white = brand.colour("background").hex
    tile, roof, letters = (white, primary, primary) if negative else (primary, white, white)
    name_colour = white if negative else dark
    second_colour = white if negative else primary

    mark_path, mark_width = text_path(brand.logo.mark_text, bold, 26, 0, 0)
    mark_path, _ = text_path(brand.logo.mark_text, bold, 26, 36 - mark_width / 2, 60)
    first, second = split_name(brand.site_name)
    line1, width1 = text_path(first, bold, 24, 88, 34)
    line2, width2 = text_path(second, regular, 24, 88, 64)
    width = round(88 + max(width1, width2) + 4)
    rule = "" if negative else (
        f'<rect x="88" y="72" width="{round(min(width2, 48))}" height="3" fill="{accent}"/>')
    label = brand.site_name.replace("'", "\u2019").replace("&", "&amp;")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 80" width="{width}" height="80" '
        f'role="img" aria-label="{label}">\n'
        f"<title>{label}</title>\n"
        f'<rect x="4" y="4" width="64" height="72" rx="10" fill="{tile}"/>\n'
        f'<path d="M16 32 L36 16 L56 32" fill="none" stroke="{roof}" stroke-width="5" '
        f'stroke-linecap="round" stroke-linejoin="round"/>\n'
        f'<path d="{mark_path}" fill="{letters}"/>\n'
        f'<path d="{line1}" fill="{name_colour}"/>\n'
        f'<path d="{line2}" fill="{second_colour}"/>\n'
        f"{rule}</svg>\n"
    )


def generated_files(brand: Brand) -> dict[Path, str]:
    """Every file of the theme that is derived from the charter, by path relative to the root."""
    from model.pictograms import sprite

    return {TOKENS_CSS: tokens_css(brand), CHARTER_CSS: charter_css(brand), LOGO_SVG: logo_svg(brand),
            LOGO_NEGATIVE_SVG: logo_svg(brand, negative=True), PICTOGRAMS_SVG: sprite()}


def generated_inputs(brand: Brand) -> str:
    """A digest of everything the derived files are made from: the charter, its fonts, the vendored
    pictograms and the code that turns them into files."""
    from model.digest import digest
    from model.pictograms import ICONS_DIR

    sources = [Path(__file__), Path(__file__).resolve().parents[1] / "model" / "pictograms.py",
               *sorted(p for p in ICONS_DIR.rglob("*") if p.is_file()),
               *(path for _, _, path, _ in brand.font_files)]
    return digest(brand, [(str(path), hashlib.sha256(path.read_bytes()).hexdigest()) for path in sources])


def _files_digest(brand: Brand) -> str:
    hasher = hashlib.sha256()
    for relative in GENERATED:
        path = brand.root / relative
        hasher.update(path.read_bytes() if path.is_file() else b"\0missing")
    return hasher.hexdigest()[:24]


def write_generated(brand: Brand, stamp: Path | None = None) -> list[Path]:
    """Rewrite the derived theme files whose content changed; return those written.

    ``stamp``: a file noting what the files were last made from. Drawing the logo's letters from the WOFF2
    fonts took 0.13 s of every build, a third of a build with nothing to do: with a stamp, the files are
    made again only when an input changed or one of them is missing."""
    key = generated_inputs(brand) if stamp is not None else None
    if key is not None and stamp.is_file() and stamp.read_text("utf-8") == f"{key} {_files_digest(brand)}":
        return []  # same inputs, and the files are still as they were made (not edited by hand, not gone)
    written = []
    for relative, text in generated_files(brand).items():
        path = brand.root / relative
        if not path.is_file() or path.read_text("utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
            written.append(relative)
            logger.info("Charter: regenerated %s", relative)
    if key is not None:
        try:
            stamp.parent.mkdir(parents=True, exist_ok=True)
            stamp.write_text(f"{key} {_files_digest(brand)}", "utf-8")
        except OSError as error:  # a read-only cache only costs time
            logger.debug("charter stamp not written: %s", error)
    return written
