"""The regional logo, drawn from the charter: the « AI » mark and the network's name as outlines of its typeface.

One drawing for the site (``logo.svg``, ``logo-negatif.svg``) and the kit (inlined in every PDF).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTFont

from .definition import FONTS_DIR, Brand


@lru_cache(maxsize=4)
def outline_font(path: str) -> TTFont:
    """A font file, read once: the logo and the kit's fitting of text measure with it."""
    return TTFont(path)


def text_path(text: str, font_path: Path, size: float, x: float, baseline: float) -> tuple[str, float]:
    """SVG path data of ``text`` set in a font file, and its advance width.

    Outlines rather than <text> so the logo looks the same everywhere, without the font installed.
    """
    font = outline_font(str(font_path))
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
