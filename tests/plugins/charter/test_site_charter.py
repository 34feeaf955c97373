"""plugins/charter: the charter reaches the site through the build object, whichever plugin runs first."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from charter.site_charter import apply_charter
from pipeline.site_build import site_build

from model.charter.theme_files import NAMES, theme_files

ROOT = Path(__file__).resolve().parents[3]


def test_the_charter_plugin_needs_no_other_plugin_before_it(tmp_path):
    settings = {"PATH": str(ROOT / "content"), "CACHE_PATH": str(tmp_path / "cache")}
    apply_charter(SimpleNamespace(settings=settings))  # before sitedata: it loads the data model itself
    build = site_build(settings)
    assert settings["BRAND"] is build.site.brand
    assert build.theme_files == {name: text.encode() for name, text in theme_files(build.site.brand).items()}
    assert sorted(build.theme_files) == sorted(NAMES)
    assert any((tmp_path / "cache" / "charter").iterdir())  # kept in the build's cache, for the next build
    assert "icon" in settings["JINJA_GLOBALS"] and "kit_zip" in settings["JINJA_FILTERS"]
