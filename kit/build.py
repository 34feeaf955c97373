"""Writes the kit to disk: per association, every document (plain and print) and a zip of it all.

Associations are shared out over a small process pool; each worker builds one ``Renderer`` and
reuses its parsed fonts and CSS for every document it renders.
"""

from __future__ import annotations

import logging
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from model import load_site

from .brand import FONTS_DIR, LOGO_NEGATIVE_SVG, LOGO_SVG, logo_svg
from .documents import CHARTER_PDF, DOCUMENTS, zip_name
from .render import Renderer

logger = logging.getLogger(__name__)

ZIP_DATE = (2024, 1, 1, 0, 0, 0)  # fixed, so a zip only changes when its content does
_worker: tuple[Renderer, object] | None = None  # (renderer, site data) of this process


def _init_worker(root: Path) -> None:
    global _worker
    site = load_site(root)
    _worker = (Renderer(site.brand, site.settings, site.reference), site)


def _build_one(args: tuple[Path, str, Path, bytes]) -> tuple[str, dict[str, int]]:
    root, ai_id, output, charter = args
    assert _worker is not None
    renderer, site = _worker
    association = site.association(ai_id)
    folder = output / ai_id
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {}
    for kind in DOCUMENTS:
        for bleed in (False, True):
            files[kind.filename(bleed)] = renderer.pdf(kind, association, bleed)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    brand = renderer.brand
    extras = {LOGO_SVG.name: logo_svg(brand).encode(),
              LOGO_NEGATIVE_SVG.name: logo_svg(brand, negative=True).encode(),
              CHARTER_PDF: charter}
    for face in brand.typefaces:  # every font embedded in the PDFs travels with its licence
        if face.licence_file:
            extras[face.licence_file] = (root / FONTS_DIR / face.licence_file).read_bytes()
    zip_path = folder / zip_name(ai_id)
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted({**files, **extras}.items()):
            info = zipfile.ZipInfo(f"{ai_id}/{name}", ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    sizes = {name: len(data) for name, data in files.items()}
    sizes[zip_path.name] = zip_path.stat().st_size
    logger.info("Kit : %s (%d fichiers)", ai_id, len(sizes))
    return ai_id, sizes


def build_kit(root: Path, output: Path, only: list[str] | None = None,
              jobs: int = 2) -> dict[str, dict[str, int]]:
    """Render the kit; returns {ai id: {file name: size in bytes}} (plus the charter under "")."""
    site = load_site(root)
    known = {a.id for a in site.associations}
    ids = list(only) if only else [a.id for a in site.associations]
    for ai_id in ids:
        if ai_id not in known:
            raise KeyError(ai_id)
    output.mkdir(parents=True, exist_ok=True)
    renderer = Renderer(site.brand, site.settings, site.reference)
    charter = renderer.charter_pdf()
    (output / CHARTER_PDF).write_bytes(charter)
    tasks = [(root, ai_id, output.resolve(), charter) for ai_id in ids]
    report: dict[str, dict[str, int]] = {}
    if jobs <= 1 or len(ids) <= 1:
        global _worker
        _worker = (renderer, site)
        report.update(map(_build_one, tasks))
    else:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                                 initargs=(root,)) as pool:
            report.update(pool.map(_build_one, tasks))
    report[""] = {CHARTER_PDF: len(charter)}
    return report
