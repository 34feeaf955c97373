"""The print documents of one association: sizes, text, fonts, QR code, not blank, the zip."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile

import pytest
import zxingcpp
from PIL import Image, ImageStat
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from kit.__main__ import main
from kit.documents import BLEED_MM, CHARTER_PDF, CHARTER_POSTERS, DOCUMENTS, zip_name
from rules.sources import KnownSources

from .conftest import SAMPLE_AI

MM = 72 / 25.4
BLEED_PT = 2 * BLEED_MM * MM  # 17.01 pt added to each dimension
VERSIONS = [(kind, bleed) for kind in DOCUMENTS for bleed in (False, True)]
IDS = [kind.filename(bleed) for kind, bleed in VERSIONS]
CHARTER_FAMILIES = ("AtkinsonHyperlegibleNext", "AAIChiffres")


def pdf_path(built_kit, kind, bleed):
    return built_kit[0] / SAMPLE_AI / kind.filename(bleed)


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def rasterize(path, dpi: int, page: int | None = None) -> list[Image.Image]:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(["pdftoppm", "-r", str(dpi), "-png", *pages, str(path)],
                         capture_output=True, check=True)
    # pdftoppm writes concatenated PNGs on stdout when no output root is given.
    images, data = [], out.stdout
    while data:
        image = Image.open(io.BytesIO(data))
        image.load()
        images.append(image)
        end = data.find(b"IEND") + 8
        data = data[end:]
    return images


@pytest.mark.parametrize(("kind", "bleed"), VERSIONS, ids=IDS)
def test_page_count_and_exact_size(built_kit, kind, bleed):
    reader = PdfReader(pdf_path(built_kit, kind, bleed))
    assert len(reader.pages) == kind.pages
    extra = BLEED_PT if bleed else 0
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(kind.width_mm * MM + extra, abs=0.02)
        assert float(page.mediabox.height) == pytest.approx(kind.height_mm * MM + extra, abs=0.02)
        assert float(page.trimbox.width) == pytest.approx(kind.width_mm * MM, abs=0.02)


def test_a5_flyer_has_the_reference_sizes(built_kit):
    plain = PdfReader(pdf_path(built_kit, DOCUMENTS[0], False)).pages[0].mediabox
    printed = PdfReader(pdf_path(built_kit, DOCUMENTS[0], True)).pages[0].mediabox
    assert (round(float(plain.width), 2), round(float(plain.height), 2)) == (419.53, 595.28)
    assert (round(float(printed.width), 2), round(float(printed.height), 2)) == (436.54, 612.28)


@pytest.mark.parametrize(("kind", "bleed"), VERSIONS, ids=IDS)
def test_name_phone_and_regional_line_in_text(built_kit, sample, site, kind, bleed):
    reader = PdfReader(pdf_path(built_kit, kind, bleed))
    text = one_line(" ".join(page.extract_text() for page in reader.pages))
    assert sample.name in text
    assert sample.phone.display in text
    assert site.settings.regional_phone.display in text
    assert sample.email in text.replace(" ", "")
    for service in sample.services:
        assert service.name in text


def _fonts(resources, seen):
    """Every font dictionary reachable from a resources dictionary, form XObjects included."""
    if isinstance(resources, IndirectObject):
        resources = resources.get_object()
    if not resources:
        return
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        if id(font) not in seen:
            seen.add(id(font))
            yield font
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form" and id(xobject) not in seen:
            seen.add(id(xobject))
            yield from _fonts(xobject.get("/Resources"), seen)


@pytest.mark.parametrize(("kind", "bleed"), VERSIONS, ids=IDS)
def test_every_font_is_embedded(built_kit, kind, bleed):
    reader = PdfReader(pdf_path(built_kit, kind, bleed))
    fonts, seen = [], set()
    for page in reader.pages:
        fonts += list(_fonts(page.get("/Resources"), seen))
    assert fonts
    for font in fonts:
        descriptors = [font.get("/FontDescriptor")]
        descriptors += [d.get_object().get("/FontDescriptor") for d in font.get("/DescendantFonts", [])]
        descriptors = [d.get_object() for d in descriptors if d is not None]
        assert descriptors, font.get("/BaseFont")
        for descriptor in descriptors:
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font.get("/BaseFont")
        base = str(font.get("/BaseFont")).replace(" ", "").replace("-", "")
        assert any(family in base for family in CHARTER_FAMILIES), "une police de repli s'est glissée"


# (document, page holding the QR code, resolution, its measured source): 150 dpi, less for the poster's 8 cm code.
QR_PAGES = [("plaquette", 2, 150, "kit-plaquette"), ("depliant", 1, 150, "kit-depliant"),
            ("papier-en-tete", 1, 150, "kit-papier-en-tete"), ("affiche", 1, 50, "kit-affiche")]


@pytest.mark.parametrize(("doc", "page", "dpi", "source"), QR_PAGES, ids=[q[0] for q in QR_PAGES])
def test_qr_code_opens_the_association_page_with_the_documents_source(built_kit, sample, site, doc, page, dpi,
                                                                      source):
    """Issue 25: the visits a document brings are measured; its printed address stays the page's own."""
    kind = next(k for k in DOCUMENTS if k.id == doc)
    image = rasterize(pdf_path(built_kit, kind, True), dpi, page)[0]
    codes = zxingcpp.read_barcodes(image)
    assert [c.text for c in codes] == [f"{site.settings.site_url}/{sample.url}?source={source}"]
    assert KnownSources().clean(source) == source
    text = one_line(PdfReader(pdf_path(built_kit, kind, False)).pages[page - 1].extract_text())
    assert "source=" not in text


@pytest.mark.parametrize(("kind", "bleed"), VERSIONS, ids=IDS)
def test_no_page_is_blank(built_kit, kind, bleed):
    images = rasterize(pdf_path(built_kit, kind, bleed), 10 if kind.id == "affiche" else 24)
    assert len(images) == kind.pages
    for image in images:
        spread = ImageStat.Stat(image.convert("L")).stddev[0]
        assert spread > 10, f"page presque uniforme (écart type {spread:.1f})"


def test_zip_holds_the_whole_kit(built_kit):
    output, report = built_kit
    path = output / SAMPLE_AI / zip_name(SAMPLE_AI)
    names = set(zipfile.ZipFile(path).namelist())
    expected = {f"{SAMPLE_AI}/{kind.filename(bleed)}" for kind, bleed in VERSIONS}
    expected |= {f"{SAMPLE_AI}/{kind.filename(bleed)}" for kind in CHARTER_POSTERS for bleed in (False, True)}
    expected |= {f"{SAMPLE_AI}/{n}" for n in ("logo.svg", "logo-negatif.svg", CHARTER_PDF,
                                               "OFL-atkinson-hyperlegible-next.txt", "OFL-inter.txt")}
    assert names == expected
    assert (output / CHARTER_PDF).stat().st_size == report[""][CHARTER_PDF]
    assert len(PdfReader(output / CHARTER_PDF).pages) >= 2


def test_cli_refuses_an_unknown_association(tmp_path, capsys):
    assert main(["--output", str(tmp_path), "--only", "ai-inconnue"]) == 1
    assert "Association inconnue : ai-inconnue" in capsys.readouterr().err


@pytest.mark.parametrize("name, expected", [("Emploi Services Bergeracois", "d’Emploi Services Bergeracois"),
                                            ("Haut-Béarn Emploi", "de Haut-Béarn Emploi"),
                                            ("Pays de Nay Services", "de Pays de Nay Services")])
def test_the_description_elides_before_the_name(renderer, sample, name, expected):
    """The documents' description (a PDF's subject) goes through the rulebook's elision, never « de Emploi »."""
    import dataclasses
    association = dataclasses.replace(sample, name=name)
    for kind in DOCUMENTS:
        html = renderer.env.get_template(kind.template).render(kind=kind, bleed=False,
                                                                **renderer.context(association))
        assert f'content="{kind.title} {expected}, association intermédiaire' in html, kind.id
