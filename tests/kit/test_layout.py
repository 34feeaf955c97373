"""A kit worth printing: pictograms and charter badge, addresses whole, nothing past the safe area,
no large empty band. Checked on WeasyPrint's layout boxes and on the pages rendered to PNG."""

from __future__ import annotations

import dataclasses
import re

import pytest
from PIL import ImageStat
from weasyprint.formatting_structure.boxes import ReplacedBox

from kit.documents import DOCUMENTS
from kit.render import short_address

from .test_documents import pdf_path, rasterize
from .test_fit import PX_PER_MM, TOLERANCE, check_fits, panels, text_boxes

BY_ID = {kind.id: kind for kind in DOCUMENTS}
# A run of blank rows taller than this share of a page (or panel) is a « large empty band ».
EMPTY_BAND = 0.16


def images(page):
    """Every replaced box (logo, QR code, pictogram) of a laid-out page."""
    return [box for box in page._page_box.descendants(placeholders=True) if isinstance(box, ReplacedBox)]


def lines_text(document):
    return [box.text for page in document.pages for box in text_boxes(page)]


@pytest.fixture(scope="module", params=["sample", "stress"])
def case(request, sample, stress):
    return sample if request.param == "sample" else stress


@pytest.fixture(scope="module")
def layout(renderer):
    """renderer.document, each (document, association, version) laid out once for this module."""
    cache = {}

    def laid_out(kind, association, bleed=False):
        key = (kind.id, association, bleed)
        if key not in cache:
            cache[key] = renderer.document(kind, association, bleed=bleed)
        return cache[key]
    return laid_out


@pytest.mark.parametrize("kind", DOCUMENTS, ids=[k.id for k in DOCUMENTS])
def test_web_address_and_email_are_never_broken(renderer, layout, case, kind):
    document = layout(kind, case)
    texts = lines_text(document)
    assert short_address(renderer.page_url(case)) in texts, "l'adresse du site est coupée"
    assert case.email in texts, "l'adresse e-mail est coupée"


@pytest.mark.parametrize("kind", DOCUMENTS, ids=[k.id for k in DOCUMENTS])
def test_no_word_is_broken_at_a_hyphen(layout, case, kind):
    """« Saint-Quentin-de- / Baron », « ai- / libournais »: a line never ends inside a word."""
    document = layout(kind, case)
    broken = [text for text in lines_text(document) if re.search(r"\w-\s*$", text)]
    assert broken == []


@pytest.mark.parametrize("bleed", [False, True], ids=["simple", "impression"])
@pytest.mark.parametrize("kind", DOCUMENTS, ids=[k.id for k in DOCUMENTS])
def test_pictograms_logo_and_qr_code_stay_in_the_safe_area(layout, case, kind, bleed):
    document = layout(kind, case, bleed)
    safe = kind.safe_mm * PX_PER_MM
    problems = []
    for number, page in enumerate(document.pages, start=1):
        boxes = images(page)
        assert boxes, f"p. {number} : ni pictogramme, ni logo, ni code QR"
        ranges = panels(kind, page.width)  # boxes are placed on the trimmed page, bleed or not
        for box in boxes:
            left, top = box.content_box_x(), box.content_box_y()
            right, bottom = left + box.width, top + box.height
            inside_x = any(lo - TOLERANCE <= left and right <= hi + TOLERANCE for lo, hi in ranges)
            inside_y = safe - TOLERANCE <= top and bottom <= page.height - safe + TOLERANCE
            if not (inside_x and inside_y):
                problems.append(f"p. {number} : image hors zone sûre à {left / PX_PER_MM:.1f}, "
                                f"{top / PX_PER_MM:.1f} mm")
    assert problems == []


def bands(page):
    """The coloured bands' rectangles (left, top, right, bottom) on a laid-out page."""
    return [(box.border_box_x(), box.border_box_y(), box.border_box_x() + box.border_width(),
             box.border_box_y() + box.border_height())
            for box in page._page_box.descendants(placeholders=True)
            if box.element is not None and "band" in (box.element.get("class") or "").split()
            and box.element_tag in ("header", "footer")]


@pytest.mark.parametrize("kind", DOCUMENTS, ids=[k.id for k in DOCUMENTS])
def test_no_text_straddles_the_edge_of_a_coloured_band(layout, case, kind):
    """White text stays on its band, dark text off it: none half in, half out."""
    document = layout(kind, case)
    problems = []
    for number, page in enumerate(document.pages, start=1):
        for box in text_boxes(page):
            top, bottom = box.position_y, box.position_y + box.height
            left, right = box.position_x, box.position_x + box.width
            for x0, y0, x1, y1 in bands(page):
                overlap = min(right, x1) - max(left, x0) > TOLERANCE and min(bottom, y1) - max(top, y0) > TOLERANCE
                if overlap and not (y0 - TOLERANCE <= top and bottom <= y1 + TOLERANCE):
                    problems.append(f"p. {number} : « {box.text} » déborde sur un bandeau")
    assert problems == []


@pytest.mark.parametrize("kind", DOCUMENTS, ids=[k.id for k in DOCUMENTS])
def test_every_service_has_its_pictogram(layout, case, kind):
    """Each service named on a document is drawn too: at least as many pictograms as services."""
    document = layout(kind, case)
    drawn = sum(1 for page in document.pages for box in images(page)
                if type(box.replacement).__name__ == "SVGImage" and box.width < 40 * PX_PER_MM)
    assert drawn >= len(case.services)


@pytest.mark.parametrize("kind", DOCUMENTS, ids=[k.id for k in DOCUMENTS])
def test_charter_badge_for_signatories_only(layout, sample, kind):
    assert sample.charter_signed is not None
    unsigned = dataclasses.replace(sample, charter_signed=None)
    signed_text = " ".join(lines_text(layout(kind, sample)))
    unsigned_text = " ".join(lines_text(layout(kind, unsigned)))
    assert "Signataire de la charte qualité" in signed_text
    assert "charte qualité" not in unsigned_text


def blank_rows(image) -> list[bool]:
    """For each pixel row, whether it is one flat colour (nothing printed across it)."""
    grey = image.convert("L")
    return [ImageStat.Stat(grey.crop((0, y, grey.width, y + 1))).stddev[0] < 2 for y in range(grey.height)]


def longest_run(flags: list[bool]) -> int:
    best = run = 0
    for flag in flags:
        run = run + 1 if flag else 0
        best = max(best, run)
    return best


@pytest.fixture(scope="module")
def fewest(site):
    """The association with the fewest services: the hardest page to fill."""
    return min(site.associations, key=lambda a: (len(a.services), a.id))


@pytest.mark.parametrize("kind", DOCUMENTS, ids=[k.id for k in DOCUMENTS])
def test_fewest_services_fit_too(layout, fewest, kind):
    """Few services are described rather than drawn as tiles: that layout fits as well."""
    assert check_fits(layout(kind, fewest), kind) == []


@pytest.mark.parametrize("who", ["sample", "fewest", "stress"])
@pytest.mark.parametrize("doc", ["plaquette", "affiche", "depliant"])
def test_no_large_empty_band(renderer, request, tmp_path, doc, who):
    """The page is used: no blank stripe across a page or panel taller than 16 % of it, whatever
    the number of services. (The letterhead's writing area is empty by design: see below.)"""
    kind = BY_ID[doc]
    path = tmp_path / kind.plain
    path.write_bytes(renderer.pdf(kind, request.getfixturevalue(who), bleed=False))
    for number, image in enumerate(rasterize(path, 12 if doc == "affiche" else 30), 1):
        width = image.width // kind.panels
        for panel in range(kind.panels):
            crop = image.crop((panel * width, 0, (panel + 1) * width, image.height))
            run = longest_run(blank_rows(crop))
            assert run < EMPTY_BAND * image.height, (f"p. {number}, volet {panel + 1} : bande vide de "
                                                     f"{run / image.height:.0%} de la hauteur")


def test_letterhead_leaves_the_writing_area_empty(built_kit):
    kind = BY_ID["papier-en-tete"]
    image = rasterize(pdf_path(built_kit, kind, False), 30)[0]
    run = longest_run(blank_rows(image))
    assert 0.55 * image.height < run < 0.8 * image.height
