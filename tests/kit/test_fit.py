"""Long names and many services shrink or wrap: no text leaves the safe area or overlaps other text.

Checked on WeasyPrint's own layout boxes, so a cut or hidden line cannot pass unnoticed.
"""

from __future__ import annotations

import pytest
from weasyprint.formatting_structure.boxes import TextBox

from kit.documents import DOCUMENTS

from .conftest import LONG_NAME

PX_PER_MM = 96 / 25.4
TOLERANCE = 0.5  # px


def text_boxes(page):
    """Every non-empty text box of a laid-out page, absolutely positioned ones included."""
    return [box for box in page._page_box.descendants(placeholders=True)
            if isinstance(box, TextBox) and box.text.strip()]


def panels(kind, page_width):
    """The horizontal ranges where text may sit: one per A5 panel, inset by the safe margin."""
    safe = kind.safe_mm * PX_PER_MM
    width = page_width / kind.panels
    return [(i * width + safe, (i + 1) * width - safe) for i in range(kind.panels)]


def check_fits(document, kind):
    assert len(document.pages) == kind.pages, "le contenu a débordé sur une page de plus"
    safe = kind.safe_mm * PX_PER_MM
    problems = []
    for number, page in enumerate(document.pages, start=1):
        boxes = text_boxes(page)
        assert len(boxes) > 10, f"p. {number} : presque aucun texte mis en page"
        ranges = panels(kind, page.width)
        for box in boxes:
            left, right = box.position_x, box.position_x + box.width
            top, bottom = box.position_y, box.position_y + box.height
            inside_x = any(lo - TOLERANCE <= left and right <= hi + TOLERANCE for lo, hi in ranges)
            inside_y = safe - TOLERANCE <= top and bottom <= page.height - safe + TOLERANCE
            if not (inside_x and inside_y):
                problems.append(f"p. {number} hors zone sûre : « {box.text} » "
                                f"({left / PX_PER_MM:.1f}–{right / PX_PER_MM:.1f} mm, "
                                f"{top / PX_PER_MM:.1f}–{bottom / PX_PER_MM:.1f} mm)")
        problems += overlaps(boxes, number)
    return problems


def overlaps(boxes, number):
    """Text boxes that collide. Glyph boxes are taller than a tight line, so shrink them a bit."""
    found = []
    rects = []
    for box in boxes:
        shrink = box.height * 0.15
        rects.append((box.position_x + TOLERANCE, box.position_y + shrink,
                      box.position_x + box.width - TOLERANCE, box.position_y + box.height - shrink, box))
    rects.sort(key=lambda r: r[1])
    for i, (x0, y0, x1, y1, a) in enumerate(rects):
        for u0, v0, u1, v1, b in rects[i + 1:]:
            if v0 >= y1:
                break
            if u0 < x1 and x0 < u1:
                found.append(f"p. {number} chevauchement : « {a.text} » / « {b.text} »")
    return found


def all_text(document):
    return " ".join(b.text for page in document.pages for b in text_boxes(page))


@pytest.mark.parametrize("kind", DOCUMENTS, ids=[k.id for k in DOCUMENTS])
def test_real_association_fits(renderer, sample, kind):
    assert check_fits(renderer.document(kind, sample, bleed=False), kind) == []


@pytest.mark.parametrize("bleed", [False, True], ids=["simple", "impression"])
@pytest.mark.parametrize("kind", DOCUMENTS, ids=[k.id for k in DOCUMENTS])
def test_longest_name_and_all_services_fit(renderer, stress, kind, bleed):
    document = renderer.document(kind, stress, bleed=bleed)
    assert check_fits(document, kind) == []
    words = " ".join(all_text(document).split())
    for word in LONG_NAME.split():  # every word of the name is laid out, none dropped
        assert word in words
    for service in stress.services:
        assert service.name.split()[0] in words
