"""The quality charter poster, A4 and A3, for the premises of each signatory (issue 24, item 5): the charter
page's own title and commitments, the association's name and signature date, a QR code to its page, all inside
the page and worth hanging on a wall."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import zxingcpp
from pypdf import PdfReader

from kit.documents import CHARTER_POSTERS, CHARTER_SOURCE, DOCUMENTS, documents_for
from kit.render import Renderer
from model import load_site
from model.quality_charter import PAGE, load_quality_charter
from support_data import make_data_root

from .conftest import ROOT, SAMPLE_AI
from .test_documents import MM, BLEED_PT, one_line, rasterize
from .test_fit import PX_PER_MM, TOLERANCE, check_fits, text_boxes
from .test_layout import EMPTY_BAND, bands, blank_rows, images, longest_run

VERSIONS = [(kind, bleed) for kind in CHARTER_POSTERS for bleed in (False, True)]
IDS = [kind.filename(bleed) for kind, bleed in VERSIONS]
SIZES = {"affiche-charte-a4": (210, 297), "affiche-charte-a3": (297, 420)}  # ISO 216, in mm


def poster(built_kit, kind, bleed) -> Path:
    return built_kit[0] / SAMPLE_AI / kind.filename(bleed)


def test_the_kit_has_the_posters_for_signatories_and_not_for_the_others(site, built_kit):
    signatories = [a for a in site.associations if a.charter_signed]
    others = [a for a in site.associations if not a.charter_signed]
    assert signatories and others  # the real data has both
    assert all(set(CHARTER_POSTERS) <= set(documents_for(a)) for a in signatories)
    assert all(documents_for(a) == DOCUMENTS for a in others)
    assert all(poster(built_kit, kind, bleed).is_file() for kind, bleed in VERSIONS)


@pytest.mark.parametrize(("kind", "bleed"), VERSIONS, ids=IDS)
def test_one_page_of_a4_or_a3(built_kit, kind, bleed):
    reader = PdfReader(poster(built_kit, kind, bleed))
    assert len(reader.pages) == 1
    width, height = SIZES[kind.id]
    page = reader.pages[0]
    extra = BLEED_PT if bleed else 0
    assert float(page.mediabox.width) == pytest.approx(width * MM + extra, abs=0.02)
    assert float(page.mediabox.height) == pytest.approx(height * MM + extra, abs=0.02)
    assert float(page.trimbox.width) == pytest.approx(width * MM, abs=0.02)
    assert float(page.trimbox.height) == pytest.approx(height * MM, abs=0.02)


@pytest.mark.parametrize(("kind", "bleed"), VERSIONS, ids=IDS)
def test_the_charters_title_and_commitments_the_name_and_the_signature_date(built_kit, sample, kind, bleed):
    text = one_line(PdfReader(poster(built_kit, kind, bleed)).pages[0].extract_text())
    charter = load_quality_charter(ROOT)
    assert len(charter.commitments) >= 10
    assert one_line(charter.title) in text
    for commitment in charter.commitments:
        assert one_line(commitment.lead) in text
    assert sample.name in text
    assert str(sample.charter_signed) == "2024-03-12"
    assert "Signataire depuis le 12 mars 2024" in text


@pytest.mark.parametrize("kind", CHARTER_POSTERS, ids=[k.id for k in CHARTER_POSTERS])
def test_qr_code_opens_the_association_page_with_the_posters_source(built_kit, sample, site, kind):
    image = rasterize(poster(built_kit, kind, True), 100)[0]
    codes = zxingcpp.read_barcodes(image)
    assert [c.text for c in codes] == [f"{site.settings.site_url}/{sample.url}?source={CHARTER_SOURCE}"]


def test_the_poster_prints_what_the_charter_page_says(tmp_path, site, sample):
    """One source: reword a commitment on the page, and the poster says it the new way."""
    root = make_data_root(tmp_path, ROOT / "data" / "associations.yaml")
    (root / PAGE).parent.mkdir(parents=True, exist_ok=True)
    page = (ROOT / PAGE).read_text("utf-8")
    assert "**Vous répondre sous 48 heures.**" in page
    (root / PAGE).write_text(page.replace("**Vous répondre sous 48 heures.**", "**Vous rappeler le jour même.**"),
                             "utf-8")
    project = load_site(root)
    renderer = Renderer(project.brand, project.settings, project.reference)
    document = renderer.document(CHARTER_POSTERS[0], project.association(SAMPLE_AI), bleed=False)
    words = " ".join(box.text for box in text_boxes(document.pages[0]))
    assert "Vous rappeler le jour même." in words
    assert "Vous répondre sous 48" not in words


@pytest.fixture(scope="module")
def layout(renderer):
    cache = {}

    def laid_out(kind, association, bleed=False):
        key = (kind.id, association, bleed)
        if key not in cache:
            cache[key] = renderer.document(kind, association, bleed=bleed)
        return cache[key]
    return laid_out


@pytest.fixture(scope="module", params=["sample", "stress"])
def case(request, sample, stress):
    return sample if request.param == "sample" else stress


@pytest.mark.parametrize(("kind", "bleed"), VERSIONS, ids=IDS)
def test_text_stays_inside_the_safe_area_without_overlap(layout, case, kind, bleed):
    document = layout(kind, case, bleed)
    assert check_fits(document, kind) == []
    words = " ".join(" ".join(box.text for box in text_boxes(document.pages[0])).split())
    for word in case.name.split():  # the longest name is laid out whole, none of its words dropped
        assert word in words


@pytest.mark.parametrize(("kind", "bleed"), VERSIONS, ids=IDS)
def test_logo_seal_and_qr_code_stay_in_the_safe_area(layout, case, kind, bleed):
    page = layout(kind, case, bleed).pages[0]
    safe = kind.safe_mm * PX_PER_MM
    boxes = images(page)
    assert len(boxes) >= 3  # the logo, the charter's seal, the QR code
    for box in boxes:
        left, top = box.content_box_x(), box.content_box_y()
        assert safe - TOLERANCE <= left and left + box.width <= page.width - safe + TOLERANCE
        assert safe - TOLERANCE <= top and top + box.height <= page.height - safe + TOLERANCE


@pytest.mark.parametrize("kind", CHARTER_POSTERS, ids=[k.id for k in CHARTER_POSTERS])
def test_no_text_straddles_a_coloured_band(layout, case, kind):
    page = layout(kind, case).pages[0]
    problems = []
    for box in text_boxes(page):
        top, bottom = box.position_y, box.position_y + box.height
        left, right = box.position_x, box.position_x + box.width
        for x0, y0, x1, y1 in bands(page):
            overlap = min(right, x1) - max(left, x0) > TOLERANCE and min(bottom, y1) - max(top, y0) > TOLERANCE
            if overlap and not (y0 - TOLERANCE <= top and bottom <= y1 + TOLERANCE):
                problems.append(f"« {box.text} » déborde sur un bandeau")
    assert problems == []


def test_the_name_is_bigger_than_the_commitments_and_the_a3_is_the_a4_enlarged(layout, sample):
    """Read from across the room: the name stands out; the A3 is the A4 scaled by √2, not a sparser page."""
    def size_of(kind, text):
        return next(box.style["font_size"] for box in text_boxes(layout(kind, sample).pages[0]) if box.text == text)
    a4, a3 = CHARTER_POSTERS
    lead = load_quality_charter(ROOT).commitments[1].lead
    assert size_of(a4, sample.name) > size_of(a4, lead)
    assert size_of(a3, lead) == pytest.approx(size_of(a4, lead) * 297 / 210, rel=0.01)


@pytest.mark.parametrize("who", ["sample", "stress"])
@pytest.mark.parametrize("kind", CHARTER_POSTERS, ids=[k.id for k in CHARTER_POSTERS])
def test_no_large_empty_band(renderer, request, tmp_path, kind, who):
    path = tmp_path / kind.plain
    path.write_bytes(renderer.pdf(kind, request.getfixturevalue(who), bleed=False))
    image = rasterize(path, 20)[0]
    run = longest_run(blank_rows(image))
    assert run < EMPTY_BAND * image.height, f"bande vide de {run / image.height:.0%} de la hauteur"


def test_a_non_signatory_poster_is_refused(renderer, sample):
    """Only a signatory may hang the charter: asked for another's poster, the kit says so rather than print one."""
    with pytest.raises(ValueError, match="n’a pas signé la charte qualité"):
        renderer.pdf(CHARTER_POSTERS[0], dataclasses.replace(sample, charter_signed=None), bleed=False)


def test_the_posters_description_elides_before_the_name(renderer, sample):
    """The PDF's subject goes through the rulebook's elision and French date: « les engagements d’Emploi… »."""
    association = dataclasses.replace(sample, name="Emploi Services Bergeracois")
    kind = CHARTER_POSTERS[0]
    html = renderer.env.get_template(kind.template).render(
        kind=kind, bleed=False, **renderer.context(association, **renderer.charter_poster_context(association)))
    assert "les engagements d’Emploi Services Bergeracois, association intermédiaire" in html
    assert "signataire depuis le 12 mars 2024." in html
