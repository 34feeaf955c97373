"""Vendor the pictograms the site uses from the npm package ``@tabler/icons`` (MIT).

Only the drawings in use are copied, unchanged, into ``theme/static/vendor/tabler-icons/``:
those already there, the key actions of ``model/charter/pictograms.py`` and any name given on the
command line (a new service's pictogram, chosen on the Tabler Icons catalogue).

Usage::

    python scripts/update_icons.py                 # refresh the vendored drawings (new VERSION)
    python scripts/update_icons.py watering-can    # add a drawing, then name it in services.yaml
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from model.charter.pictograms import ACTIONS, ICONS_DIR, available

ROOT = Path(__file__).resolve().parent.parent

logger = logging.getLogger(__name__)

PACKAGE = "@tabler/icons"
VERSION = "3.52.0"


def fetch_package(workdir: Path) -> tuple[Path, str]:
    """Download the npm tarball; return the unpacked package folder and the tarball's sha256."""
    subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}", "--silent"], cwd=workdir, check=True,
                   stdout=subprocess.DEVNULL)
    tarball = next(workdir.glob("*.tgz"))
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    with tarfile.open(tarball) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package", digest


def vendor(package: Path, names: set[str]) -> list[str]:
    """Copy the outline drawings named, and the licence; refuse names the set does not have."""
    source = package / "icons" / "outline"
    missing = sorted(n for n in names if not (source / f"{n}.svg").is_file())
    if missing:
        raise SystemExit(f"Pictogramme(s) absent(s) de {PACKAGE} {VERSION} : {', '.join(missing)} "
                         "(voir le catalogue de Tabler Icons, variante « outline »).")
    if ICONS_DIR.exists():
        shutil.rmtree(ICONS_DIR)
    ICONS_DIR.mkdir(parents=True)
    for name in sorted(names):
        shutil.copyfile(source / f"{name}.svg", ICONS_DIR / f"{name}.svg")
    shutil.copyfile(package / "LICENSE", ICONS_DIR / "LICENSE")
    return sorted(names)


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    names = set(available()) | set(ACTIONS.values()) | set(argv[1:])
    with tempfile.TemporaryDirectory() as tmp:
        package, digest = fetch_package(Path(tmp))
        copied = vendor(package, names)
    logger.info("%s %s (sha256 %s): %d drawings in %s", PACKAGE, VERSION, digest, len(copied),
                ICONS_DIR.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
