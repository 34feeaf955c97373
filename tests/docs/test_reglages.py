"""docs/reglages.md is the one table of settings: every AAI_* variable the code reads is there, and nothing else;
the functions' defaults it states are the ones their Settings class holds."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from chalicelib.config import PREFIX, Settings

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("*.py", "*.yml", "*.yaml", "*.json", "Makefile", "*.sh")
SKIPPED = {".venv", ".git", "node_modules", "output", "var", "tests"}
VARIABLE = re.compile(r"\bAAI_[A-Z][A-Z0-9_]*[A-Z0-9]\b")
ROW = re.compile(r"^\| `(AAI_[A-Z0-9_]+)` \| ([^|]*) \|", re.M)


def table() -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {}
    for name, default in ROW.findall((ROOT / "docs" / "reglages.md").read_text("utf-8")):
        rows.setdefault(name, []).append(default.strip())
    return rows


def variables_in_code() -> set[str]:
    found = {PREFIX + field.name.upper() for field in dataclasses.fields(Settings)}
    for pattern in SOURCES:
        for path in ROOT.rglob(pattern):
            if not SKIPPED & set(path.relative_to(ROOT).parts) and path.is_file():
                found |= set(VARIABLE.findall(path.read_text("utf-8", errors="replace")))
    return found


def test_every_variable_is_documented_once_per_side_and_none_is_invented():
    documented = table()
    assert sorted(variables_in_code() - set(documented)) == []
    assert sorted(set(documented) - variables_in_code()) == []


def test_the_functions_defaults_are_the_ones_documented():
    documented = table()
    for field in dataclasses.fields(Settings):
        default = field.default if not isinstance(field.default, tuple) else ",".join(field.default)
        words = documented[PREFIX + field.name.upper()][-1]
        if default in ("", None):
            assert words.startswith("vide"), field.name
        elif field.name == "secret":
            assert "développement" in words
        else:
            assert f"`{default}`".replace(str(ROOT) + "/", "") in words, field.name
