"""Renders the kit's HTML/CSS templates to PDF with WeasyPrint.

Fonts and the charter's CSS are parsed once per ``Renderer`` and shared by every document, which
is most of the saving when the whole network's kit is generated.
"""

from __future__ import annotations

import logging
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from model.associations import Association
from model.settings import Settings, public_url
from rules.typography import french_spacing

from .brand import FONTS_DIR, Brand, logo_svg, tokens_css
from .documents import BLEED_MM, DOCUMENTS, DocumentKind

__all__ = ["DOCUMENTS", "DocumentKind", "Renderer", "name_size"]
from .qr import qr_data_uri

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


class Renderer:
    """Turns (association, document kind) into PDF bytes; reuse one instance for many documents."""

    def __init__(self, brand: Brand, settings: Settings):
        self.brand = brand
        self.settings = settings
        self.fonts = FontConfiguration()
        self.env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                               autoescape=select_autoescape(["html"]), trim_blocks=True,
                               lstrip_blocks=True)
        self.env.filters["nbsp"] = french_spacing
        self.env.filters["name_size"] = name_size
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

    def page_url(self, association: Association) -> str:
        return f"{public_url(self.settings)}/{association.url}"

    def context(self, association: Association | None = None, **extra) -> dict:
        context = {"brand": self.brand, "settings": self.settings, "logo": self.logo,
                   "logo_negative": self.logo_negative, **extra}
        if association is not None:
            url = self.page_url(association)
            context.update(ai=association, page_url=url, qr_src=qr_data_uri(url),
                           display_url=url.split("://", 1)[-1].rstrip("/"))
        return context

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
        html = self.html(kind.template, kind=kind, bleed=bleed, **self.context(association))
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
