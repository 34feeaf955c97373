"""A data error makes `make check` — the gate's first step — fail, so nothing is deployed."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
IGNORE = shutil.ignore_patterns(
    ".venv", ".git", "output", "var", "node_modules", "__pycache__", ".pytest_cache"
)


def test_make_check_fails_on_broken_data(tmp_path):
    makefile = ROOT / "Makefile"
    if not makefile.exists() or not re.search(r"^check:", makefile.read_text(), re.M):
        pytest.skip("pas de cible « check » dans le Makefile")
    repo = tmp_path / "repo"
    shutil.copytree(ROOT, repo, ignore=IGNORE)
    data = repo / "data" / "associations.yaml"
    text = data.read_text(encoding="utf-8")
    match = re.search(r'postal_code: "(\d)(\d{4})"', text)
    assert match
    # A letter slipped into the postal code: the kind of typo an editor makes.
    broken = text[: match.start()] + f'postal_code: "{match[1]}O{match[2]}"' + text[match.end():]
    data.write_text(broken, encoding="utf-8")
    line = text[: match.start()].count("\n") + 1

    result = subprocess.run(
        ["make", "check", f"PY={sys.executable}", "STAMP="],
        cwd=repo, capture_output=True, text=True,
    )

    assert result.returncode != 0
    assert f"data/associations.yaml:{line}" in result.stdout + result.stderr
