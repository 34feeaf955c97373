"""One installable distribution: `pip install -e .` exposes every import root the code runs with (the
repository's packages, each Pelican plugin, the functions' chalicelib), so no code outside the tests edits
sys.path to find another part of the project."""

from __future__ import annotations

import ast
import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = ["rules", "model", "kit", "deploy", "plugins", "functions", "scripts", "pelicanconf.py", "publishconf.py"]
SKIPPED = {"vendor", "__pycache__"}


def python_files() -> list[Path]:
    files = []
    for name in CODE:
        path = ROOT / name
        for file in [path] if path.is_file() else sorted(path.rglob("*.py")):
            if not SKIPPED.intersection(file.relative_to(ROOT).parts):
                files.append(file)
    return files


def sys_path_uses(file: Path) -> list[int]:
    """Lines naming ``sys.path`` (read, insert, assign: any of them means the layout is patched by hand)."""
    tree = ast.parse(file.read_bytes(), str(file))
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr == "path"
            and isinstance(node.value, ast.Name) and node.value.id == "sys"]


def test_no_code_outside_the_tests_edits_sys_path():
    files = python_files()
    assert len(files) > 100 and ROOT / "scripts" / "serve.py" in files  # the scan sees the scripts
    found = {str(f.relative_to(ROOT)): lines for f in files if (lines := sys_path_uses(f))}
    assert found == {}, "importez depuis la distribution installée (pyproject.toml), sans toucher sys.path"


def test_the_scan_finds_a_sys_path_edit(tmp_path):
    script = tmp_path / "script.py"
    script.write_text("import sys\nsys.path.insert(0, 'functions')\nimport app\n", "utf-8")
    assert sys_path_uses(script) == [2]


def packages() -> set[str]:
    """The packages pyproject.toml's setuptools configuration puts in the distribution: under each ``where``
    folder, every folder of Python files whose dotted name an ``include`` pattern matches (as setuptools finds
    them)."""
    found = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    names = set()
    for where in found["where"]:
        base = ROOT / where
        for folder in base.rglob("*"):
            if folder.is_dir() and "__pycache__" not in folder.parts and any(folder.glob("*.py")):
                name = ".".join(folder.relative_to(base).parts)
                if any(fnmatch.fnmatchcase(name, pattern) for pattern in found["include"]):
                    names.add(name)
    return names


def test_the_distribution_holds_every_import_root_of_the_code():
    names = packages()
    plugins = {p.name for p in (ROOT / "plugins").iterdir() if (p / "__init__.py").is_file()}
    assert len(plugins) >= 9 and "charter" in plugins
    missing = {*plugins, "rules", "model", "model.charter", "kit", "deploy", "chalicelib",
               "chalicelib.audience", "chalicelib.backoffice", "chalicelib.store"} - names
    assert not missing, f"ajoutez-les à [tool.setuptools.packages.find] de pyproject.toml : {sorted(missing)}"
    assert not {name for name in names if name.split(".")[0] in ("tests", "scripts", "vendor", "functions",
                                                                 "plugins", "content", "data", "theme")}
