"""The graphic charter (``data/brand.yaml``): one source for the site's CSS tokens, the logo and the kit.

Both the Pelican plugin ``plugins/brand`` and the print kit call this module, so the site and the
PDFs cannot disagree on a colour, a typeface or the regional name in the logo.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTFont

from model.errors import Collector, DataError
from model.source import LineDict, check_fields, read_yaml

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
FONTS_DIR = Path("theme/static/fonts")
TOKENS_CSS = Path("theme/static/css/tokens.css")
CHARTER_CSS = Path("theme/static/css/charte.css")
LOGO_SVG = Path("theme/static/images/logo.svg")
LOGO_NEGATIVE_SVG = Path("theme/static/images/logo-negatif.svg")
HEX_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
ID_RE = re.compile(r"^[a-z][a-z0-9-]*$")


@dataclass(frozen=True, slots=True)
class Colour:
    id: str
    name: str
    hex: str
    usage: str

    @property
    def variable(self) -> str:
        return f"--brand-{self.id}"

    @property
    def rgb(self) -> tuple[int, int, int]:
        return tuple(int(self.hex[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class Pair:
    """A text colour on a background colour, with its WCAG contrast ratio."""

    text: Colour
    background: Colour

    @property
    def ratio(self) -> float:
        return contrast_ratio(self.text.hex, self.background.hex)

    @property
    def ratio_fr(self) -> str:
        """``7.52`` → ``7,5:1`` (French decimal comma), rounded down so a pass is never overstated."""
        return f"{int(self.ratio * 10) / 10:.1f}".replace(".", ",") + ":1"

    @property
    def level(self) -> str:
        """The WCAG 2 level this pair reaches for text, in French."""
        ratio = self.ratio
        if ratio >= 7:
            return "AAA"
        if ratio >= 4.5:
            return "AA"
        if ratio >= 3:
            return "AA grands textes seulement"
        return "insuffisant pour du texte"


@dataclass(frozen=True, slots=True)
class Typeface:
    role: str
    family: str
    fallback: str
    usage: str
    why: str
    licence: str
    licence_file: str
    source: str
    files: tuple[tuple[int, str], ...]  # (weight, file name in theme/static/fonts)

    @property
    def stack(self) -> str:
        return f'"{self.family}", {self.fallback}' if self.fallback else f'"{self.family}", sans-serif'


@dataclass(frozen=True, slots=True)
class LogoRules:
    mark_text: str
    min_width_mm: int
    min_width_px: int
    clear_space: str
    rules: tuple[str, ...]


@dataclass(frozen=True)
class Brand:
    root: Path
    site_name: str
    colours: tuple[Colour, ...]
    pairs: tuple[Pair, ...]
    typefaces: tuple[Typeface, ...]
    logo: LogoRules

    def colour(self, ident: str) -> Colour:
        return next(c for c in self.colours if c.id == ident)

    @property
    def hex(self) -> dict[str, str]:
        """``{"primary": "#0b5563", ...}`` for templates."""
        return {c.id: c.hex for c in self.colours}

    def typeface(self, role: str) -> Typeface:
        return next(t for t in self.typefaces if t.role == role)

    @property
    def font_files(self) -> tuple[tuple[str, int, Path], ...]:
        """Every (family, weight, path) to load, once each."""
        seen: dict[tuple[str, int], Path] = {}
        for face in self.typefaces:
            for weight, name in face.files:
                seen.setdefault((face.family, weight), self.root / FONTS_DIR / name)
        return tuple((family, weight, path) for (family, weight), path in seen.items())


# --- WCAG contrast -------------------------------------------------------------------------------

def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio, from 1 (same colour) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# --- loading ---------------------------------------------------------------------------------------

def load_brand(root: Path = ROOT) -> Brand:
    """Read and check ``data/brand.yaml``; problems stop everything with French messages."""
    from model import load_site  # the regional name lives in data/settings.yaml

    root = Path(root)
    site_name = load_site(root).settings.site_name
    return parse_brand(root, site_name)


def parse_brand(root: Path, site_name: str) -> Brand:
    path = root / "data" / "brand.yaml"
    collector = Collector(str(path.relative_to(root)) if path.is_relative_to(root) else str(path))
    data = read_yaml(path, collector)
    if data is not None and not isinstance(data, LineDict):
        collector.error(1, "le fichier doit être un bloc de champs (colours, pairs, typefaces, logo).")
        data = None
    brand = _build(root, site_name, data, collector) if data is not None else None
    if collector.errors or brand is None:
        raise DataError(collector.problems)
    return brand


def _build(root: Path, site_name: str, data: LineDict, collector: Collector) -> Brand | None:
    top = check_fields(data, "la charte", {"colours": list, "pairs": list, "typefaces": list,
                                            "logo": dict}, {}, collector)
    colours: list[Colour] = []
    for index, block in enumerate(top.get("colours", [])):
        what = f"la couleur n° {index + 1}"
        if not isinstance(block, LineDict):
            collector.error(top["colours"].line_of(index), f"{what} doit être un bloc (id, name, hex, usage).")
            continue
        fields = check_fields(block, what, {"id": str, "name": str, "hex": str, "usage": str}, {},
                              collector)
        if len(fields) < 4:
            continue
        if not ID_RE.match(fields["id"]):
            collector.error(block.line_of("id"), f"{what} : l'id « {fields['id']} » doit être en "
                                                 "minuscules, chiffres et tirets (ex. primary-dark).")
        if not HEX_RE.match(fields["hex"]):
            collector.error(block.line_of("hex"), f"{what} : « {fields['hex']} » n'est pas une couleur "
                                                  "au format \"#0b5563\" (entre guillemets).")
            continue
        colours.append(Colour(fields["id"], fields["name"], fields["hex"].lower(), fields["usage"]))
    by_id = {c.id: c for c in colours}
    for required in ("primary", "primary-dark", "accent", "text", "muted", "background", "surface",
                     "focus"):
        if required not in by_id and "colours" in top:
            collector.error(data.line_of("colours"), f"la couleur « {required} » manque : le site "
                                                     "et le kit en ont besoin.")

    pairs: list[Pair] = []
    for index, item in enumerate(top.get("pairs", [])):
        line = top["pairs"].line_of(index)
        if not (isinstance(item, list) and len(item) == 2):
            collector.error(line, "chaque association de couleurs s'écrit [texte, fond], par exemple "
                                  "[text, background].")
            continue
        unknown = [i for i in item if i not in by_id]
        if unknown:
            collector.error(line, f"couleur inconnue « {unknown[0]} » ; couleurs possibles : "
                                  f"{', '.join(by_id)}.")
            continue
        pairs.append(Pair(by_id[item[0]], by_id[item[1]]))

    typefaces: list[Typeface] = []
    for index, block in enumerate(top.get("typefaces", [])):
        what = f"la police n° {index + 1}"
        if not isinstance(block, LineDict):
            collector.error(top["typefaces"].line_of(index), f"{what} doit être un bloc de champs.")
            continue
        fields = check_fields(block, what, {"role": str, "family": str, "usage": str}, {
            "fallback": str, "why": str, "licence": str, "licence_file": str, "source": str,
            "files": dict}, collector)
        files = []
        for weight, name in (fields.get("files") or {}).items():
            if not (root / FONTS_DIR / str(name)).is_file():
                collector.error(block["files"].line_of(weight), f"{what} : le fichier « {name} » "
                                                                f"n'existe pas dans {FONTS_DIR}/.")
            files.append((int(weight), str(name)))
        if "role" in fields and "family" in fields:
            typefaces.append(Typeface(fields["role"], fields["family"], fields.get("fallback", ""),
                                      fields.get("usage", ""), fields.get("why", ""),
                                      fields.get("licence", ""), fields.get("licence_file", ""),
                                      fields.get("source", ""), tuple(sorted(files))))
    roles = {t.role for t in typefaces}
    for role in ("body", "heading"):
        if role not in roles and "typefaces" in top:
            collector.error(data.line_of("typefaces"), f"la police de rôle « {role} » manque.")

    logo = None
    if "logo" in top:
        fields = check_fields(top["logo"], "le bloc « logo »", {
            "mark_text": str, "min_width_mm": int, "min_width_px": int, "clear_space": str,
            "rules": list}, {}, collector)
        if len(fields) == 5:
            logo = LogoRules(fields["mark_text"], fields["min_width_mm"], fields["min_width_px"],
                             fields["clear_space"], tuple(str(r) for r in fields["rules"]))
    if collector.errors or logo is None:
        return None
    return Brand(root, site_name, tuple(colours), tuple(pairs), tuple(typefaces), logo)


# --- the site's tokens.css -------------------------------------------------------------------------

def tokens_css(brand: Brand, font_url: str = "../fonts/") -> str:
    """The CSS custom properties and @font-face rules; ``font_url`` prefixes each font file."""
    lines = ["/* Graphic charter tokens, GENERATED from data/brand.yaml by plugins/brand:",
             "   edit data/brand.yaml, not this file. Read by site.css and the print kit. */"]
    for family, weight, path in brand.font_files:
        lines += ["@font-face {", f'  font-family: "{family}";', "  font-style: normal;",
                  f"  font-weight: {weight};", "  font-display: swap;",
                  f'  src: url("{font_url}{path.name}") format("woff2");', "}"]
    lines.append(":root {")
    for colour in brand.colours:
        lines.append(f"  {colour.variable}: {colour.hex};  /* {colour.name} */")
    body, heading = brand.typeface("body"), brand.typeface("heading")
    lines.append(f"  --font-body: {body.stack};")
    heading_value = "var(--font-body)" if heading.family == body.family else heading.stack
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
    return {TOKENS_CSS: tokens_css(brand), CHARTER_CSS: charter_css(brand), LOGO_SVG: logo_svg(brand),
            LOGO_NEGATIVE_SVG: logo_svg(brand, negative=True)}


def write_generated(brand: Brand) -> list[Path]:
    """Rewrite the derived theme files whose content changed; return those written."""
    written = []
    for relative, text in generated_files(brand).items():
        path = brand.root / relative
        if not path.is_file() or path.read_text("utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
            written.append(relative)
            logger.info("Charter: regenerated %s", relative)
    return written
