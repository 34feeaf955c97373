"""The French strings of the theme's scripts: a non-breaking space (\\u00a0) before « : ; ? ! » and
inside « », as in the templates. A static check of the sources (no browser needed)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

JS = Path(__file__).resolve().parents[2] / "theme" / "static" / "js"
FILES = ["communes.js", "finder.js", "map.js", "forms.js", "search.js", "shapes.js", "territory.js", "around.js",
         "copy-code.js", "source.js"]
STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
BAD = re.compile(r"[A-Za-zÀ-ÿ0-9)»] [:;?!]| [:;?!]$|« | »")


def strings(source):
    """Double-quoted string literals, line by line, skipping comments and regular expressions."""
    for number, line in enumerate(source.splitlines(), 1):
        code = line.split("//")[0] if "://" not in line else line
        if code.lstrip().startswith(("/*", "*")) or re.search(r"/\[[^\]]*\"", code):
            continue
        for match in STRING.finditer(code):
            yield number, match.group(1)


@pytest.mark.parametrize("name", FILES)
def test_visitor_strings_use_non_breaking_spaces(name):
    problems = [(n, text) for n, text in strings((JS / name).read_text("utf-8")) if BAD.search(text)]
    assert problems == []


def test_the_check_catches_a_plain_space():
    bad = 'x.textContent = "Vous pouvez vous adresser à elle :";\nvar q = "«\\u00a0" + s + " »";'
    assert [n for n, text in strings(bad) if BAD.search(text)] == [1, 2]
    good = 'x.textContent = "Adresse\\u00a0: " + a ? "true" : "false";'
    assert [n for n, text in strings(good) if BAD.search(text)] == []
