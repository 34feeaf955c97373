"""The charter (model/charter/): one YAML file drives the site's CSS, the logo, the pictograms and the kit."""

from __future__ import annotations

import re
import subprocess

import pytest

from model import load_site
from model.charter import FONTS_DIR, contrast_ratio, parse_brand
from model.charter.logo import logo_svg, split_name
from model.charter.stylesheets import charter_css, tokens_css
from model.charter.theme_files import (LOGO_SVG, NAMES, TOKENS_CSS, cached_theme_files, code_files,
                                       theme_files)
from model.errors import DataError

from .conftest import ROOT


@pytest.fixture(scope="module")
def site():
    return load_site(ROOT)


@pytest.fixture(scope="module")
def brand(site):
    return site.brand


def test_wcag_contrast_formula():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#0b5563", "#0b5563") == pytest.approx(1)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic near-miss


def test_every_text_pair_is_readable(brand):
    for pair in brand.pairs:
        assert pair.ratio >= 4.5, f"{pair.text.name} sur {pair.background.name} : {pair.ratio:.2f}"


def test_the_built_site_serves_the_files_made_from_the_charter(brand, built_site):
    """Made by the build into its output (under /theme/, beside the theme's own static files), minified as the
    build writes every one of the site's stylesheets (MINIFY_ASSETS, on in the build the tests read)."""
    from pipeline.minify import minify_asset
    for name, text in theme_files(brand).items():
        expected = minify_asset(f"theme/{name}", text.encode("utf-8")).decode("utf-8")
        assert (built_site / "theme" / name).read_text("utf-8") == expected, name


def test_no_file_made_from_the_charter_lives_in_the_theme_or_in_git():
    """theme/ holds sources only: a build that wrote there would leave tracked files modified."""
    tracked = subprocess.run(["git", "ls-files", "theme"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.splitlines()
    assert len(tracked) > 20  # the templates, site.css, the fonts…: the listing works
    for name in NAMES:
        assert f"theme/static/{name}" not in tracked
        assert not (ROOT / "theme" / "static" / name).exists()


def test_tokens_define_every_variable_site_css_uses(brand):
    tokens = tokens_css(brand)
    defined = set(re.findall(r"(--[\w-]+)\s*:", tokens))
    sheets = {css.name: css.read_text("utf-8") for css in (ROOT / "theme/static/css").glob("*.css")}
    assert "site.css" in sheets
    for name, text in {**sheets, "tokens.css": tokens, "charte.css": charter_css(brand)}.items():
        used = set(re.findall(r"var\((--[\w-]+)", text))
        assert used <= defined, f"{name} : {sorted(used - defined)}"


def test_fonts_are_few_free_and_served(brand):
    woff2 = sorted((ROOT / FONTS_DIR).glob("*.woff2"))
    assert {name for face in brand.typefaces for _, name in face.files} == {f.name for f in woff2}
    assert len(brand.typeface("body").files) <= 2
    assert sum(f.stat().st_size for f in woff2) < 60_000
    for face in brand.typefaces:
        if face.files:
            assert "Open Font License" in face.licence
            assert (ROOT / FONTS_DIR / face.licence_file).read_text("utf-8").count("SIL OPEN FONT LICENSE")
    tokens = tokens_css(brand)
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
    tokens = tokens_css(brand)
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


def test_theme_files_are_made_again_only_when_an_input_or_a_cached_file_changed(tmp_path):
    """The cache spares every build the logo's drawing (0.13 s), never a needed regeneration; it lives in the
    build's cache folder, and the project's own files are left as they are."""
    import shutil

    (tmp_path / "data").mkdir()
    shutil.copy(ROOT / "data" / "brand.yaml", tmp_path / "data" / "brand.yaml")
    shutil.copytree(ROOT / FONTS_DIR, tmp_path / FONTS_DIR)
    cache = tmp_path / "cache" / "charter"
    project = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if "cache" not in p.parts)

    def charter():
        return parse_brand(tmp_path, "Associations intermédiaires d'Aquitaine")

    first = cached_theme_files(charter(), cache)
    assert first.made and sorted(first.files) == sorted(NAMES)
    assert first.files == {name: text.encode() for name, text in theme_files(charter()).items()}
    again = cached_theme_files(charter(), cache)
    assert not again.made and again.files == first.files

    folder = next(cache.iterdir())
    (folder / TOKENS_CSS).write_text("/* modifié à la main */\n", "utf-8")
    assert cached_theme_files(charter(), cache) == first._replace(made=True)
    (folder / LOGO_SVG).unlink()
    assert cached_theme_files(charter(), cache) == first._replace(made=True)
    assert not cached_theme_files(charter(), cache).made

    charter_file = tmp_path / "data" / "brand.yaml"
    old = re.search(r"#[0-9a-fA-F]{6}", charter_file.read_text("utf-8")).group(0)
    charter_file.write_text(charter_file.read_text("utf-8").replace(old, "#123456", 1), "utf-8")
    changed = cached_theme_files(charter(), cache)
    assert changed.made and b"#123456" in changed.files[TOKENS_CSS]
    assert not cached_theme_files(charter(), cache).made
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if "cache" not in p.parts) == project


def test_the_charters_code_is_part_of_what_the_theme_files_are_made_from():
    names = {path.name for path in code_files()}
    assert {"logo.py", "stylesheets.py", "pictograms.py", "theme_files.py", "definition.py"} <= names
