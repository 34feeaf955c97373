"""Writes the kit to disk: per association, every document (plain and print) and a zip of it all.

Associations are shared out over a small process pool; each worker builds one ``Renderer`` and
reuses its parsed fonts and CSS for every document it renders. Only the kits whose inputs changed
since the last run are rendered (``kit.manifest``); ``force`` renders them all.
"""

from __future__ import annotations

import logging
import shutil
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path, PurePosixPath

from model import load_site
from model.associations import Association
from model.charter import FONTS_DIR
from model.charter.logo import logo_svg
from model.charter.theme_files import LOGO_NEGATIVE_SVG, LOGO_SVG
from model.quality_charter import load_quality_charter

from .documents import CHARTER_PDF, CHARTER_POSTERS, documents_for, zip_name
from .manifest import CHARTER_KEY, Manifest, association_digest, common_digest, quality_charter_digest
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
    for kind in documents_for(association):
        for bleed in (False, True):
            files[kind.filename(bleed)] = renderer.pdf(kind, association, bleed)
    for kind in CHARTER_POSTERS:  # an association that no longer signs the charter keeps no poster of it
        for bleed in (False, True):
            if kind.filename(bleed) not in files:
                (folder / kind.filename(bleed)).unlink(missing_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    brand = renderer.brand
    extras = {PurePosixPath(LOGO_SVG).name: logo_svg(brand).encode(),
              PurePosixPath(LOGO_NEGATIVE_SVG).name: logo_svg(brand, negative=True).encode(),
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


class KitReport(dict):
    """{ai id: {file name: size in bytes}} for every kit on disk (the charter under ""), and which
    of them this run rendered."""

    def __init__(self):
        super().__init__()
        self.rendered: list[str] = []
        self.unchanged: list[str] = []


def kit_files(output: Path, association: Association) -> list[Path]:
    """The files one association's kit is made of: the charter posters for a signatory only."""
    folder = output / association.id
    return [folder / kind.filename(bleed) for kind in documents_for(association) for bleed in (False, True)] + \
        [folder / zip_name(association.id)]


def build_kit(root: Path, output: Path, only: list[str] | None = None,
              jobs: int = 2, force: bool = False) -> KitReport:
    """Render the kits whose inputs changed (all with ``force``); see KitReport."""
    site = load_site(root)
    known = {a.id for a in site.associations}
    ids = list(only) if only else [a.id for a in site.associations]
    for ai_id in ids:
        if ai_id not in known:
            raise KeyError(ai_id)
    output = output.resolve()
    output.mkdir(parents=True, exist_ok=True)
    manifest = Manifest(output)
    common = common_digest(site)
    report = KitReport()
    if not only:
        _remove_departed(output, known, manifest)

    charter_path = output / CHARTER_PDF
    renderer = None
    if force or not manifest.fresh(CHARTER_KEY, common, [charter_path]):
        renderer = Renderer(site.brand, site.settings, site.reference)
        manifest.forget(CHARTER_KEY)
        charter_path.write_bytes(renderer.charter_pdf())
        manifest.record(CHARTER_KEY, common)
    charter = charter_path.read_bytes()

    quality = quality_charter_digest(site.root)
    digests = {ai_id: association_digest(common, site.association(ai_id), quality) for ai_id in ids}
    todo = [ai_id for ai_id in ids
            if force or not manifest.fresh(ai_id, digests[ai_id], kit_files(output, site.association(ai_id)))]
    report.unchanged = [ai_id for ai_id in ids if ai_id not in todo]
    if any(site.association(ai_id).charter_signed for ai_id in todo):
        load_quality_charter(site.root)  # a charter page without its commitments stops here, in French
    for ai_id in todo:  # until its zip is complete, a kit being rendered is not up to date
        manifest.entries.pop(ai_id, None)
    if todo:
        manifest.save()
    tasks = [(root, ai_id, output, charter) for ai_id in todo]
    if todo and (jobs <= 1 or len(todo) <= 1):
        global _worker
        _worker = (renderer or Renderer(site.brand, site.settings, site.reference), site)
        results = map(_build_one, tasks)
        _collect(results, digests, manifest, report)
    elif todo:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                                 initargs=(root,)) as pool:
            _collect(pool.map(_build_one, tasks), digests, manifest, report)
    for ai_id in report.unchanged:
        report[ai_id] = {path.name: path.stat().st_size for path in kit_files(output, site.association(ai_id))}
    report[""] = {CHARTER_PDF: len(charter)}
    logger.info("kit: %d rendered, %d unchanged", len(report.rendered), len(report.unchanged))
    return report


def _collect(results, digests, manifest: Manifest, report: KitReport) -> None:
    """Record each kit as soon as it is complete, so an interrupted run keeps what it finished."""
    for ai_id, sizes in results:
        manifest.record(ai_id, digests[ai_id])
        report[ai_id] = sizes
        report.rendered.append(ai_id)


def _remove_departed(output: Path, known: set[str], manifest: Manifest) -> None:
    """An association removed from the data takes its kit with it: no page links it any more."""
    for ai_id in [key for key in manifest.entries if key and key not in known]:
        shutil.rmtree(output / ai_id, ignore_errors=True)
        manifest.forget(ai_id)
        logger.info("kit: %s removed (association no longer in the data)", ai_id)
