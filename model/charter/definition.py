"""The charter as typed objects, read and checked from ``data/brand.yaml``: colours with their contrast,
typefaces, logo rules.

Loaded with the rest of the data (``SiteData.brand``), so a broken charter stops the build with French
messages naming the file and line; the site's stylesheets, the logo and the pictograms' sprite are made from
these objects by the rest of this package (``model.charter.theme_files``), for the site and the kit alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..errors import Collector, DataError
from ..source import LineDict, check_fields, read_yaml
from .contrast import contrast_ratio

FONTS_DIR = Path("theme/static/fonts")
HEX_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
ID_RE = re.compile(r"^[a-z][a-z0-9-]*$")
# The fields of each block, read by check_fields and by the JSON Schema (model/schema.py).
TOP = {"colours": list, "pairs": list, "typefaces": list, "logo": dict}
COLOUR = {"id": str, "name": str, "hex": str, "usage": str}
TYPEFACE = {"role": str, "family": str, "usage": str}
TYPEFACE_OPTIONAL = {"fallback": str, "why": str, "licence": str, "licence_file": str, "source": str,
                     "files": dict, "unicode_range": str}
LOGO = {"mark_text": str, "min_width_mm": int, "min_width_px": int, "clear_space": str, "rules": list}
RANGE_RE = re.compile(r"^U\+[0-9A-Fa-f]{1,6}(-[0-9A-Fa-f]{1,6})?(, *U\+[0-9A-Fa-f]{1,6}(-[0-9A-Fa-f]{1,6})?)*$")
# « figures »: digits drawn by another face, put first in every font stack (its unicode_range
# limits it to them): Atkinson Hyperlegible Next has only a slashed zero.
ROLE_LABELS = {"body": "Texte courant", "heading": "Titres", "figures": "Chiffres"}


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
        return int(self.hex[1:3], 16), int(self.hex[3:5], 16), int(self.hex[5:7], 16)


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
    unicode_range: str = ""  # only these characters come from this face (CSS unicode-range)

    @property
    def label(self) -> str:
        """The role in French, for the charter page and document."""
        return ROLE_LABELS.get(self.role, self.role)

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
    def figures(self) -> Typeface | None:
        """The face that draws the digits, if the charter names one."""
        return next((t for t in self.typefaces if t.role == "figures"), None)

    @cached_property  # read by every page's <head>
    def font_files(self) -> tuple[tuple[str, int, Path, str], ...]:
        """Every (family, weight, path, unicode range) to load, once each."""
        seen: dict[tuple[str, int], tuple[Path, str]] = {}
        for face in self.typefaces:
            for weight, name in face.files:
                seen.setdefault((face.family, weight), (self.root / FONTS_DIR / name, face.unicode_range))
        return tuple((family, weight, path, ranges) for (family, weight), (path, ranges) in seen.items())


def load_brand(root: Path, site_name: str, collector: Collector) -> Brand | None:
    """Read and check ``data/brand.yaml``, reporting into ``collector``; None when it is unusable."""
    data = read_yaml(root / "data" / "brand.yaml", collector)
    if data is not None and not isinstance(data, LineDict):
        collector.error(1, "le fichier doit être un bloc de champs (colours, pairs, typefaces, logo).")
        data = None
    return _build(root, site_name, data, collector) if data is not None else None


def parse_brand(root: Path, site_name: str) -> Brand:
    """The charter alone (the kit's tests give it broken copies); raises DataError."""
    path = root / "data" / "brand.yaml"
    collector = Collector(str(path.relative_to(root)) if path.is_relative_to(root) else str(path))
    brand = load_brand(root, site_name, collector)
    if collector.errors or brand is None:
        raise DataError(collector.problems)
    return brand


def _build(root: Path, site_name: str, data: LineDict, collector: Collector) -> Brand | None:
    top = check_fields(data, "la charte", TOP, {}, collector)
    colours: list[Colour] = []
    for index, block in enumerate(top.get("colours", [])):
        what = f"la couleur n° {index + 1}"
        if not isinstance(block, LineDict):
            collector.error(top["colours"].line_of(index), f"{what} doit être un bloc (id, name, hex, usage).")
            continue
        fields = check_fields(block, what, COLOUR, {}, collector)
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
        if not (isinstance(item, list) and len(item) == 2 and all(isinstance(i, str) for i in item)):
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
        fields = check_fields(block, what, TYPEFACE, TYPEFACE_OPTIONAL, collector)
        if "unicode_range" in fields and not RANGE_RE.match(fields["unicode_range"]):
            collector.error(block.line_of("unicode_range"), f"{what} : « {fields['unicode_range']} » n'est pas "
                                                            "une plage de caractères ; écrivez par exemple "
                                                            "U+0030-0039 (les chiffres).")
        files = []
        for weight, name in (fields.get("files") or {}).items():
            if not isinstance(weight, int) or isinstance(weight, bool):
                collector.error(block["files"].line_of(weight), f"{what} : « {weight} » n'est pas une graisse ; "
                                                                "écrivez un nombre, par exemple 400 ou 700.")
                continue
            if not (root / FONTS_DIR / str(name)).is_file():
                collector.error(block["files"].line_of(weight), f"{what} : le fichier « {name} » "
                                                                f"n'existe pas dans {FONTS_DIR}/.")
            files.append((int(weight), str(name)))
        if "role" in fields and "family" in fields:
            typefaces.append(Typeface(fields["role"], fields["family"], fields.get("fallback", ""),
                                      fields.get("usage", ""), fields.get("why", ""),
                                      fields.get("licence", ""), fields.get("licence_file", ""),
                                      fields.get("source", ""), tuple(sorted(files)),
                                      fields.get("unicode_range", "")))
    roles = {t.role for t in typefaces}
    for role in ("body", "heading"):
        if role not in roles and "typefaces" in top:
            collector.error(data.line_of("typefaces"), f"la police de rôle « {role} » manque.")

    logo = None
    if "logo" in top:
        fields = check_fields(top["logo"], "le bloc « logo »", LOGO, {}, collector)
        if len(fields) == 5:
            logo = LogoRules(fields["mark_text"], fields["min_width_mm"], fields["min_width_px"],
                             fields["clear_space"], tuple(str(r) for r in fields["rules"]))
    if collector.errors or logo is None:
        return None
    return Brand(root, site_name, tuple(colours), tuple(pairs), tuple(typefaces), logo)
