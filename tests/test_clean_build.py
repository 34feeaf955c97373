"""`make build` on a fresh copy of the repository leaves `git status --porcelain` empty: a build writes into its
output and its cache (var/), never into a tracked file. The charter's stylesheets, logo and pictograms' sprite
used to be written into theme/ by the build; they are now made into the output (model/charter/theme_files.py).

The copy's data is the scaled-down one of the incremental builds' tests (support_builds: the five départements, a
few communes each plus the offices, the real associations, settings and charter), committed like the rest: where a
build writes depends on its code and settings, not on how many communes it renders, and a build of the whole
region here was half a minute of the suite."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from support_builds import load_script

ROOT = Path(__file__).resolve().parent.parent
GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]


def git(folder: Path, *args: str) -> str:
    return subprocess.run([*GIT, *args], cwd=folder, capture_output=True, text=True, check=True).stdout


def fresh_copy(target: Path, data: Path | None = None) -> Path:
    """The repository's files as a clone would have them (the working tree's, so the test checks this change),
    with ``data``'s files in place of data/'s when given, committed in a new repository."""
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    for rel in filter(None, listed):
        source, copy = ROOT / rel, target / rel
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the working tree, not yet committed
        copy.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            copy.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, copy)
    if data is not None:
        shutil.copytree(data, target / "data", dirs_exist_ok=True)  # the same files' names: replaced
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "fresh copy")
    return target


def test_make_build_leaves_git_status_empty(tmp_path):
    synthetic = load_script().make_synthetic_root(tmp_path / "synthetic", copies=1, communes=2)
    project = fresh_copy(tmp_path / "repo", data=synthetic / "data")
    assert git(project, "status", "--porcelain") == ""
    venv = Path(sys.prefix)
    # The venv is already installed: -o tells make not to install it again.
    result = subprocess.run(["make", f"VENV={venv}", "-o", f"{venv}/.installed-stamp", "build"], cwd=project,
                            capture_output=True, text=True,
                            env={**os.environ, "COLUMNS": "250", "AAI_BUILD_WORKERS": "1"})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert (project / "output" / "index.html").is_file()
    for name in ("css/tokens.css", "css/charte.css", "images/logo.svg", "images/logo-negatif.svg",
                 "images/pictos.svg"):
        assert (project / "output" / "theme" / name).is_file(), name  # made into the output…
        assert not (project / "theme" / "static" / name).exists(), name  # … and nowhere in the sources
    assert git(project, "status", "--porcelain", "--untracked-files=all") == ""
