"""The kit's models of documents, without WeasyPrint: the site's templates list them too."""

from __future__ import annotations

from dataclasses import dataclass

from rules.sources import KIT_SOURCES


@dataclass(frozen=True, slots=True)
class DocumentKind:
    """One model of document: its template, page count and trimmed size; each exists in two versions."""

    id: str
    title: str
    template: str
    pages: int
    width_mm: float
    height_mm: float
    safe_mm: float  # no text closer than this to a trimmed edge (or to the leaflet's fold)
    panels: int = 1  # A5 panels side by side on one sheet: 2 for the folded leaflet

    @property
    def source(self) -> str:
        """What its QR code's link says (``?source=kit-<id>``, rules/sources.py): the visits it brings are
        measured. The charter posters share one."""
        source = CHARTER_SOURCE if self.template == "quality-poster.html" else f"kit-{self.id}"
        if source not in KIT_SOURCES:
            raise ValueError(f"{self.id} : la source « {source} » manque dans rules/sources.py (KIT_SOURCES).")
        return source

    def filename(self, bleed: bool) -> str:
        """« -impression » = 3 mm bleed and crop marks, for the printer; plain = trimmed size."""
        return f"{self.id}-impression.pdf" if bleed else f"{self.id}.pdf"

    @property
    def plain(self) -> str:
        return self.filename(False)

    @property
    def printed(self) -> str:
        return self.filename(True)


DOCUMENTS = (
    DocumentKind("plaquette", "Plaquette A5 recto-verso", "flyer.html", 2, 148, 210, 10),
    DocumentKind("affiche", "Affiche 40 × 60 cm", "poster.html", 1, 400, 600, 25),
    DocumentKind("depliant", "Dépliant A4 plié en deux", "leaflet.html", 2, 297, 210, 10, panels=2),
    DocumentKind("papier-en-tete", "Papier à en-tête A4", "letterhead.html", 1, 210, 297, 12),
)
# The quality charter, to hang in the premises of the associations that signed it (« affichage de la
# charte dans les locaux », one of the charter's evaluation criteria); the others get none.
CHARTER_POSTERS = (
    DocumentKind("affiche-charte-a4", "Affiche de la charte qualité A4", "quality-poster.html", 1, 210, 297, 12),
    DocumentKind("affiche-charte-a3", "Affiche de la charte qualité A3", "quality-poster.html", 1, 297, 420, 15),
)
CHARTER_SOURCE = "kit-charte"  # the charter posters' QR code says where the visit came from (issue 25)
BLEED_MM = 3
CHARTER_PDF = "charte-graphique.pdf"


def documents_for(association) -> tuple[DocumentKind, ...]:
    """The documents of one association's kit: the charter posters for its signatories only."""
    return DOCUMENTS + CHARTER_POSTERS if association.charter_signed else DOCUMENTS


def zip_name(ai_id: str) -> str:
    return f"kit-{ai_id}.zip"
