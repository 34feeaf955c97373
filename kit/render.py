"""Renders the kit's HTML/CSS templates to PDF with WeasyPrint.

Fonts and the charter's CSS are parsed once per ``Renderer`` and shared by every document, which
is most of the saving when the whole network's kit is generated.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from model.associations import Association
from model.charter import FONTS_DIR, Brand
from model.charter.logo import logo_svg, outline_font
from model.charter.pictograms import inline_svg
from model.charter.stylesheets import tokens_css
from model.communes import CommuneReference
from model.quality_charter import QualityCharter, load_quality_charter
from model.settings import Settings, public_url
from rules import grammar
from rules.dates import french_date
from rules.sources import with_source
from rules.typography import french_spacing

from .documents import BLEED_MM, CHARTER_POSTERS, CHARTER_SOURCE, DOCUMENTS, DocumentKind
from .qr import qr_data_uri

__all__ = ["DOCUMENTS", "DocumentKind", "Renderer", "name_size", "unbroken"]

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates"


def name_size(name: str) -> str:
    """A font size class from the name's length, so long names shrink before they wrap too much."""
    length = len(name)
    if length <= 32:
        return "name-l"
    if length <= 60:
        return "name-m"
    if length <= 90:
        return "name-s"
    return "name-xs"


PT_PER_MM = 72 / 25.4


def short_address(url: str) -> str:
    """The page's address as printed: no scheme, no trailing slash (« www.… » stays: it is the site)."""
    return url.split("://", 1)[-1].rstrip("/")


HYPHENATED = re.compile(r"[^\s/]+-[^\s/]+")


def unbroken(text: str) -> Markup:
    """Escaped text where a hyphenated word (« Saint-Quentin-de-Baron ») never breaks at its hyphens.

    The fonts have no non-breaking hyphen (U+2011), so such words are kept whole by a nowrap span.
    """
    escaped = str(Markup.escape(text))
    return Markup(HYPHENATED.sub(lambda m: f'<span class="nowrap">{m.group(0)}</span>', escaped))


class Renderer:
    """Turns (association, document kind) into PDF bytes; reuse one instance for many documents."""

    def __init__(self, brand: Brand, settings: Settings, reference: CommuneReference | None = None):
        self.brand = brand
        self.settings = settings
        self.reference = reference  # names the communes an association serves, when given
        self.fonts = FontConfiguration()
        self.env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                               autoescape=select_autoescape(["html"]), trim_blocks=True,
                               lstrip_blocks=True)
        self.env.filters["nbsp"] = french_spacing
        self.env.filters["name_size"] = name_size
        self.env.filters["fit"] = self.fit
        self.env.filters["unbroken"] = unbroken
        self.env.filters["french_date"] = french_date
        self.env.filters.update(grammar.filters("\u2019"))   # « d’Aquitaine »
        self.env.globals["icon"] = self.icon
        fonts_url = (brand.root / FONTS_DIR).resolve().as_uri() + "/"
        self.base_css = CSS(string=tokens_css(brand, font_url=fonts_url)
                            + (TEMPLATES / "kit.css").read_text("utf-8"),
                            font_config=self.fonts, base_url=str(TEMPLATES))
        self.bleed_css = CSS(string=f"@page {{ bleed: {BLEED_MM}mm; marks: crop; }}"
                                    f":root {{ --bleed: {BLEED_MM}mm; }}", font_config=self.fonts)
        self._css: dict[str, CSS] = {}
        self.image_cache: dict = {}  # logo and charter images are decoded once, not per document
        self.logo = _svg_uri(logo_svg(brand))
        self.logo_negative = _svg_uri(logo_svg(brand, negative=True))
        self._quality_charter: QualityCharter | None = None

    @property
    def quality_charter(self) -> QualityCharter:
        """The charter's page, read once and only when a charter poster is rendered."""
        if self._quality_charter is None:
            self._quality_charter = load_quality_charter(self.brand.root)
        return self._quality_charter

    def icon(self, name: str, colour: str = "primary", css_class: str = "icon") -> Markup:
        """A pictogram in one of the charter's colours (WeasyPrint ignores ``currentColor``)."""
        return Markup(inline_svg(name, css_class, self.brand.colour(colour).hex))

    def text_width_mm(self, text: str, size_pt: float, weight: int = 700) -> float:
        """The printed width of ``text`` on one line, from the fonts' own advance widths."""
        faces = [(face, dict(face.files).get(weight) or face.files[-1][1])
                 for face in (self.brand.figures, self.brand.typeface("body")) if face is not None]
        width = 0.0
        for char in text:
            for face, name in faces:
                font = outline_font(str(self.brand.root / FONTS_DIR / name))
                glyph = font.getBestCmap().get(ord(char))
                if glyph is not None and (not face.unicode_range or char.isdigit() or char.isspace()):
                    width += font["hmtx"][glyph][0] / font["head"].unitsPerEm
                    break
            else:
                width += 0.6  # a character the fonts lack: a generous em fraction
        return width * size_pt / PT_PER_MM

    def fit(self, text: str, width_mm: float, largest_pt: float, weight: int = 700) -> str:
        """``font-size`` for ``text`` to hold on one line within ``width_mm`` (never above ``largest_pt``)."""
        natural = self.text_width_mm(text, 1.0, weight)
        size = min(largest_pt, width_mm / natural * 0.97 if natural else largest_pt)
        return f"font-size: {size:.2f}pt"

    def zone(self, association: Association, shown: int = 14) -> tuple[int, list[str]]:
        """(number of communes served, names of the most populous ones, A–Z): « où intervenons-nous ? »."""
        if self.reference is None:
            return len(association.zone), []
        communes = [self.reference.communes[code] for code in association.zone]
        largest = sorted(communes, key=lambda c: -c.population)[:shown]
        return len(communes), [c.name for c in sorted(largest, key=lambda c: c.sort_key)]

    def page_url(self, association: Association) -> str:
        return f"{public_url(self.settings)}/{association.url}"

    def context(self, association: Association | None = None, source: str = "", **extra) -> dict:
        """``source``: the document's slug, carried by its QR code's link so the visits it brings are measured;
        the printed address stays the page's own, short enough to type."""
        context = {"brand": self.brand, "settings": self.settings, "logo": self.logo,
                   "logo_negative": self.logo_negative, **extra}
        if association is not None:
            url = self.page_url(association)
            link = with_source(url, source) if source else url
            context.update(ai=association, page_url=link, qr_src=qr_data_uri(link),
                           display_url=short_address(url), zone=self.zone(association))
        return context

    def charter_poster_context(self, association: Association) -> dict:
        """The charter's text, and a QR code whose link says it was scanned on a charter poster."""
        if not association.charter_signed:
            raise ValueError(f"{association.name} n’a pas signé la charte qualité : pas d’affiche de la charte.")
        url = with_source(self.page_url(association), CHARTER_SOURCE)
        return {"charter": self.quality_charter, "charter_url": url, "charter_qr_src": qr_data_uri(url)}

    def _document_css(self, template: str) -> CSS:
        stem = template.removesuffix(".html")
        if stem not in self._css:
            self._css[stem] = CSS(filename=str(TEMPLATES / f"{stem}.css"), font_config=self.fonts)
        return self._css[stem]

    def html(self, template: str, **context) -> HTML:
        text = self.env.get_template(template).render(**context)
        return HTML(string=text, base_url=str(TEMPLATES))

    def stylesheets(self, template: str, bleed: bool) -> list[CSS]:
        sheets = [self.base_css, self._document_css(template)]
        return sheets + [self.bleed_css] if bleed else sheets

    def document(self, kind: DocumentKind, association: Association, bleed: bool):
        """The laid-out WeasyPrint document (tests walk its boxes to check nothing overflows)."""
        extra = self.charter_poster_context(association) if kind in CHARTER_POSTERS else {}
        html = self.html(kind.template, kind=kind, bleed=bleed,
                         **self.context(association, source=kind.source, **extra))
        return html.render(stylesheets=self.stylesheets(kind.template, bleed), font_config=self.fonts,
                           cache=self.image_cache)

    def pdf(self, kind: DocumentKind, association: Association, bleed: bool) -> bytes:
        document = self.document(kind, association, bleed)
        if len(document.pages) != kind.pages:
            raise RuntimeError(f"{kind.id} de {association.id} : {len(document.pages)} pages au lieu "
                               f"de {kind.pages} — le contenu déborde du modèle.")
        # A fixed identifier keeps the bytes identical from one run to the next.
        return document.write_pdf(pdf_identifier=association.id.encode())

    def charter_pdf(self) -> bytes:
        html = self.html("charter.html", documents=DOCUMENTS, **self.context())
        return html.write_pdf(stylesheets=self.stylesheets("charter.html", False),
                              font_config=self.fonts, pdf_identifier=b"charte-graphique",
                              cache=self.image_cache)


def _svg_uri(svg: str) -> str:
    from urllib.parse import quote

    return "data:image/svg+xml;charset=utf-8," + quote(svg)
