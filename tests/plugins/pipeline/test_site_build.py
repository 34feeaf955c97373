"""plugins/pipeline/site_build.py: what the plugins of one build share, typed, whatever their order in PLUGINS."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from pipeline.plugin import Pipeline, copy_static
from pipeline.site_build import SETTING, SiteBuild, site_build

from model import SiteData

ROOT = Path(__file__).resolve().parents[3]


def test_one_build_object_per_build_made_by_the_first_plugin_asking(tmp_path):
    settings = {"PATH": str(tmp_path / "project" / "content")}
    build = site_build(settings)
    assert isinstance(build, SiteBuild) and settings[SETTING] is build and site_build(settings) is build
    assert build.root == tmp_path / "project" and build.theme_files == {}
    assert site_build({"PATH": "ailleurs/content", "DATA_ROOT": str(tmp_path)}).root == tmp_path
    assert site_build({"PATH": str(tmp_path / "content")}) is not build  # each build reads its settings afresh


def test_the_data_model_is_loaded_by_whoever_reads_it_first_and_once():
    build = site_build({"PATH": str(ROOT / "content")})
    assert build._site is None  # nothing read yet: no plugin has to run before another to make it
    site = build.site
    assert isinstance(site, SiteData) and site.brand is not None and build.site is site


def test_theme_files_made_by_plugins_are_written_into_the_output_never_into_the_theme(tmp_path):
    theme = tmp_path / "theme"
    (theme / "static" / "css").mkdir(parents=True)
    (theme / "static" / "css" / "site.css").write_text("a { color: var(--brand-text); }\n", "utf-8")
    settings = {"PATH": str(tmp_path / "content"), "THEME_STATIC_DIR": "theme", "THEME_STATIC_PATHS": ["static"],
                "IGNORE_FILES": []}
    settings["PIPELINE"] = Pipeline(settings, tmp_path / "output")
    site_build(settings).theme_files["css/tokens.css"] = b":root { --brand-text: #1f2328; }\n"
    generator = SimpleNamespace(settings=settings, theme=str(theme), path=str(tmp_path), context={"staticfiles": []})
    copy_static(generator)
    assert (tmp_path / "output" / "theme" / "css" / "tokens.css").read_bytes() == b":root { --brand-text: #1f2328; }\n"
    assert (tmp_path / "output" / "theme" / "css" / "site.css").is_file()
    assert sorted(p.relative_to(theme).as_posix() for p in theme.rglob("*") if p.is_file()) == ["static/css/site.css"]
