"""Builds of a scaled-down copy of the site, as ``make build`` makes them, for the tests of incremental builds.

``synthetic_root`` makes the copy (scripts/synthetic_site.py: the five départements, a few communes each plus
the offices, with the real content); ``pelican`` builds it into an output folder with ``make build``'s command;
``snapshot`` is what two builds are compared by.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "synthetic_site.py"


def load_script():
    spec = importlib.util.spec_from_file_location("synthetic_site", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def synthetic_root(target: Path, communes: int = 12) -> Path:
    """A project root with ``communes`` communes per département (plus the offices) and the real content."""
    site = load_script().make_synthetic_root(target, copies=1, communes=communes)
    shutil.copytree(ROOT / "content", site / "content", dirs_exist_ok=True)
    return site


def pelican(site: Path, output: Path, *options: str, settings_file: str = "pelicanconf.py",
            environment: dict[str, str] | None = None, **settings) -> subprocess.CompletedProcess:
    """``make build``'s command (``make publish``'s with ``settings_file="publishconf.py"`` and its
    ``environment``), its commune pages rendered by two forked workers as on a large site.

    ``settings``: more of Pelican's settings (``THEME``, ``CACHE_PATH``…), as ``-e`` gives them."""
    overrides = {"PATH": str(site / "content"), "BUILD_WORKERS": 2, "BUILD_PARALLEL_MIN_PAGES": 1, **settings}
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.build", "--settings", settings_file, "--output", str(output),
         "-e", *(f"{name}={json.dumps(value)}" for name, value in overrides.items()),
         "--fatal", "errors", *options],
        cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, **(environment or {}), "PYTHONPATH": str(ROOT / "plugins"),
             "COLUMNS": "250"})  # log lines unwrapped
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def snapshot(output: Path) -> dict[str, str]:
    """Every file of a build, by path: its bytes' hash."""
    return {p.relative_to(output).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(output.rglob("*")) if p.is_file()}
