"""The charter: one YAML file drives the site's CSS, the logo and the kit."""

from __future__ import annotations

import re

import pytest

from kit.brand import (FONTS_DIR, contrast_ratio, generated_files, load_brand, logo_svg,
                       parse_brand, split_name)
from model.errors import DataError

from .conftest import ROOT


@pytest.fixture(scope="module")
def brand():
    return load_brand(ROOT)


def test_wcag_contrast_formula():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#0b5563", "#0b5563") == pytest.approx(1)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic near-miss


def test_every_text_pair_is_readable(brand):
    for pair in brand.pairs:
        assert pair.ratio >= 4.5, f"{pair.text.name} sur {pair.background.name} : {pair.ratio:.2f}"


def test_committed_theme_files_match_brand_yaml(brand):
    """The site build regenerates them; the committed copies must not lag behind brand.yaml."""
    for relative, text in generated_files(brand).items():
        assert (ROOT / relative).read_text("utf-8") == text, f"{relative} : relancez la construction"


def test_tokens_define_every_variable_site_css_uses(brand):
    tokens = (ROOT / "theme/static/css/tokens.css").read_text("utf-8")
    defined = set(re.findall(r"(--[\w-]+)\s*:", tokens))
    for css in (ROOT / "theme/static/css").glob("*.css"):
        used = set(re.findall(r"var\((--[\w-]+)", css.read_text("utf-8")))
        assert used <= defined, f"{css.name} : {sorted(used - defined)}"


def test_fonts_are_few_free_and_served(brand):
    woff2 = sorted((ROOT / FONTS_DIR).glob("*.woff2"))
    assert {name for face in brand.typefaces for _, name in face.files} == {f.name for f in woff2}
    assert len(brand.typeface("body").files) <= 2
    assert sum(f.stat().st_size for f in woff2) < 60_000
    for face in brand.typefaces:
        if face.files:
            assert "Open Font License" in face.licence
            assert (ROOT / FONTS_DIR / face.licence_file).read_text("utf-8").count("SIL OPEN FONT LICENSE")
    tokens = (ROOT / "theme/static/css/tokens.css").read_text("utf-8")
    for font in woff2:
        assert f'url("../fonts/{font.name}")' in tokens


def test_digits_come_from_a_face_without_a_slashed_zero(brand):
    """Atkinson's only zero is slashed: the figures face draws 0–9 (and the spaces between them)."""
    from fontTools.ttLib import TTFont
    from fontTools.pens.recordingPen import RecordingPen

    figures = brand.figures
    assert figures is not None and figures.unicode_range == "U+0030-0039"
    for weight, name in figures.files:
        font = TTFont(ROOT / FONTS_DIR / name)
        assert sorted(set(font.getBestCmap()) - {0x20, 0xA0, 0x202F}) == list(range(0x30, 0x3A))
        pen = RecordingPen()
        font.getGlyphSet()[font.getBestCmap()[0x30]].draw(pen)
        contours = [op for op, _ in pen.value if op == "closePath"]
        assert len(contours) == 2, f"{name} : le zéro doit être un anneau (2 contours), pas {len(contours)}"
        text = TTFont(ROOT / FONTS_DIR / dict(brand.typeface("body").files)[weight])
        cap = lambda f: f["OS/2"].sCapHeight / f["head"].unitsPerEm  # noqa: E731
        assert cap(font) == pytest.approx(cap(text), rel=0.02)  # same height as the capitals
    tokens = (ROOT / "theme/static/css/tokens.css").read_text("utf-8")
    assert re.search(r'--font-body: "AAI Chiffres", "Atkinson Hyperlegible Next"', tokens)


def test_logo_carries_the_regional_name_as_outlines(brand, site):
    svg = logo_svg(brand)
    assert site.settings.site_name.replace("'", "’") in svg  # accessible name
    assert "<text" not in svg  # outlines: the same drawing without the font installed
    assert logo_svg(brand, negative=True) != svg


def test_split_name_keeps_the_territory_together():
    assert split_name("Associations intermédiaires d'Aquitaine") == (
        "Associations intermédiaires", "d’Aquitaine")
    assert split_name("Réseau Solidaire") == ("Réseau", "Solidaire")


def broken_charter(tmp_path, old: str, new: str) -> str:
    """A project root whose data/brand.yaml has ``old`` replaced by ``new``, fonts included."""
    (tmp_path / "data").mkdir()
    text = (ROOT / "data/brand.yaml").read_text("utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    (tmp_path / "data/brand.yaml").write_text(text, "utf-8")
    (tmp_path / FONTS_DIR).mkdir(parents=True)
    for font in (ROOT / FONTS_DIR).iterdir():
        (tmp_path / FONTS_DIR / font.name).write_bytes(font.read_bytes())
    return text


def test_errors_name_the_file_and_line(tmp_path):
    text = broken_charter(tmp_path, 'hex: "#0b5563"', 'hex: "bleu"')
    with pytest.raises(DataError) as caught:
        parse_brand(tmp_path, "Réseau test")
    line = text.splitlines().index('    hex: "bleu"') + 1
    assert f"data/brand.yaml:{line}" in caught.value.report()
    assert "#0b5563" in caught.value.report()  # says how to write it


@pytest.mark.parametrize("old, new, words", [
    ("  - [text, background]", "  - [[text], background]", "chaque association de couleurs s'écrit [texte, fond]"),
    ("      400: atkinson", "      regular: atkinson", "« regular » n'est pas une graisse"),
])
def test_odd_charter_values_get_french_messages(tmp_path, old, new, words):
    text = broken_charter(tmp_path, old, new)
    with pytest.raises(DataError) as caught:
        parse_brand(tmp_path, "Réseau test")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith(new.split(":")[0]) or row == new)
    assert f"data/brand.yaml:{line} : " in caught.value.report() and words in caught.value.report()


def test_derived_files_are_made_again_only_when_an_input_or_a_file_changed(tmp_path):
    """The stamp spares every build the logo's drawing (0.13 s), never a needed regeneration."""
    import shutil

    from kit.brand import LOGO_SVG, TOKENS_CSS, write_generated

    (tmp_path / "data").mkdir()
    shutil.copy(ROOT / "data" / "brand.yaml", tmp_path / "data" / "brand.yaml")
    shutil.copytree(ROOT / FONTS_DIR, tmp_path / FONTS_DIR)
    stamp = tmp_path / "cache" / "charter"

    def charter():
        return parse_brand(tmp_path, "Associations intermédiaires d'Aquitaine")

    assert len(write_generated(charter(), stamp)) == 5
    assert write_generated(charter(), stamp) == []

    (tmp_path / TOKENS_CSS).write_text("/* modifié à la main */\n", "utf-8")
    (tmp_path / LOGO_SVG).unlink()
    assert sorted(write_generated(charter(), stamp)) == sorted([TOKENS_CSS, LOGO_SVG])
    assert write_generated(charter(), stamp) == []

    charter_file = tmp_path / "data" / "brand.yaml"
    old = re.search(r"#[0-9a-fA-F]{6}", charter_file.read_text("utf-8")).group(0)
    charter_file.write_text(charter_file.read_text("utf-8").replace(old, "#123456", 1), "utf-8")
    assert TOKENS_CSS in write_generated(charter(), stamp)
    assert "#123456" in (tmp_path / TOKENS_CSS).read_text("utf-8")
