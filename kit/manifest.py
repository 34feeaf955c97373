"""What each association's kit was made from, so only the kits whose inputs changed are re-rendered.

A kit depends on the association's data, the settings (site address for the QR code, regional
phone…), the charter (colours, typefaces, logo rules), the templates, the font files and the kit's
own code; a signatory's kit also on the quality charter's page, whose commitments its charter
posters print (a reworded commitment re-renders the signatories' kits, not the others').
``output/kit/manifest.json`` keeps one digest of all that per association; an entry is
written only once that association's zip is complete, so an interrupted run redoes what it left.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
from pathlib import Path

import weasyprint

from model.charter import pictograms, theme_files
from model.digest import canonical
from model.associations import Association
from model import quality_charter
from rules import sources
from model.site import SiteData

logger = logging.getLogger(__name__)

MANIFEST = "manifest.json"
CHARTER_KEY = ""  # the charter PDF depends on the common inputs only
KIT_DIR = Path(__file__).resolve().parent
VERSION = 1


def common_digest(site: SiteData) -> str:
    """Everything every kit shares: settings, charter, templates, fonts, pictograms, commune names and the kit's
    code."""
    digest = hashlib.sha256()
    digest.update(f"weasyprint {weasyprint.__version__}\n".encode())
    digest.update(canonical(site.settings))
    digest.update(canonical({f.name: getattr(site.brand, f.name) for f in dataclasses.fields(site.brand)
                             if f.name != "root"}))
    files = sorted([*KIT_DIR.glob("*.py"), *(KIT_DIR / "templates").rglob("*")])
    files += theme_files.code_files()                            # the charter's logo, stylesheets and pictograms
    files += sorted(path for _, _, path, _ in site.brand.font_files)
    files += sorted(pictograms.ICONS_DIR.glob("*.svg"))        # the pictograms drawn in the documents
    files.append(Path(sources.__file__))                        # the QR codes' ?source= slugs
    files.append(site.root / "data" / "communes.json")          # the names of the communes a kit lists
    licence = site.brand.typeface("body").licence_file
    if licence:
        files.append(site.root / "theme" / "static" / "fonts" / licence)
    for path in files:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def quality_charter_digest(root: Path) -> str:
    """The quality charter's page and the code that reads it: what the charter posters print."""
    digest = hashlib.sha256()
    for path in (root / quality_charter.PAGE, Path(quality_charter.__file__)):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def association_digest(common: str, association: Association, quality: str = "") -> str:
    """One kit's inputs; ``quality`` (quality_charter_digest) counts for the charter's signatories only."""
    own = common.encode() + canonical(association)
    if association.charter_signed:
        own += quality.encode()
    return hashlib.sha256(own).hexdigest()


class Manifest:
    """``{ai id: digest}`` on disk, rewritten atomically after each finished kit."""

    def __init__(self, output: Path):
        self.path = output / MANIFEST
        self.entries: dict[str, str] = {}
        try:
            data = json.loads(self.path.read_text("utf-8"))
            if data.get("version") == VERSION:
                self.entries = dict(data.get("kits", {}))
        except (OSError, ValueError, AttributeError):
            logger.info("no usable kit manifest at %s: every kit is rendered", self.path)

    def fresh(self, key: str, digest: str, files: list[Path]) -> bool:
        return self.entries.get(key) == digest and all(path.is_file() for path in files)

    def record(self, key: str, digest: str) -> None:
        self.entries[key] = digest
        self.save()

    def forget(self, key: str) -> None:
        if self.entries.pop(key, None) is not None:
            self.save()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        scratch = self.path.with_suffix(".tmp")
        scratch.write_text(json.dumps({"version": VERSION, "kits": self.entries}, indent=1, sort_keys=True),
                           "utf-8")
        os.replace(scratch, self.path)
