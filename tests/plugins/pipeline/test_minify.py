"""The site's scripts and stylesheets minified as the build writes them (plugins/pipeline/minify.py)."""

from __future__ import annotations

import pytest
from pipeline import minify
from pipeline.files import OutputFiles

SCRIPT = "/* Why this script exists. */\nfunction add(first, second) {\n  // the sum\n  return first + second;\n}\n"
STYLE = "/*! licence kept */\n/* the page */\nbody {\n  margin: 0;\n  color: #123456;\n}\n"


def test_own_scripts_and_styles_lose_comments_and_spaces_and_keep_licences():
    script = minify.minify_asset("theme/js/sum.js", SCRIPT.encode())
    assert script == b"function add(first,second){return first+second;}"
    style = minify.minify_asset("theme/css/site.css", STYLE.encode())
    assert style == b"/*! licence kept */body{margin:0;color:#123456}"


def test_vendored_scripts_pages_and_data_are_left_as_they_are():
    for rel in ("theme/vendor/leaflet/leaflet.js", "theme/vendor/x/y.min.js", "index.html", "carte/apercu-33.json"):
        assert minify.minify_asset(rel, SCRIPT.encode()) == SCRIPT.encode()
    assert minify.minify_asset("theme/vendor/leaflet/leaflet.css", STYLE.encode()) != STYLE.encode()


def test_the_setting_is_a_boolean_and_off_unless_set():
    assert minify.enabled({}) is False
    assert minify.enabled({"MINIFY_ASSETS": True}) is True
    with pytest.raises(TypeError):
        minify.enabled({"MINIFY_ASSETS": "yes"})


def test_output_files_minify_what_they_write_and_leave_an_unchanged_file_alone(tmp_path):
    files = OutputFiles(tmp_path)
    files.assets = minify.minify_asset
    assert files.write("theme/js/sum.js", SCRIPT) is True
    assert files.write("carte/carte.js", SCRIPT.encode()) is True
    assert (tmp_path / "theme/js/sum.js").read_bytes() == (tmp_path / "carte/carte.js").read_bytes() \
        == minify.minify_js(SCRIPT).encode()
    again = OutputFiles(tmp_path)
    again.assets = minify.minify_asset
    assert again.write("theme/js/sum.js", SCRIPT) is False  # the same bytes as the last build: not written
