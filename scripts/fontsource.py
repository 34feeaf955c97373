"""What the two font scripts share (update_text_font.py, update_figures_font.py): where the site's fonts live, and
a Fontsource package fetched from npm at a pinned version (its ``files/`` folder and its ``LICENSE``)."""

from __future__ import annotations

import subprocess
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "theme" / "static" / "fonts"
WEIGHTS = (400, 700)
NAME_IDS = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # the names a subset keeps: with the licence and its address


def fetch_package(package: str, version: str, workdir: Path) -> Path:
    """``npm pack`` of ``package@version`` unpacked in ``workdir``; returns the package's folder."""
    subprocess.run(["npm", "pack", f"{package}@{version}", "--silent"], cwd=workdir, check=True,
                   stdout=subprocess.DEVNULL)
    with tarfile.open(next(workdir.glob("*.tgz"))) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package"
