"""The site's theme files made from the charter: its stylesheets, the logo in two versions and the pictograms'
sprite, for the build to write into its output (``/theme/…`` of the site).

They are never written into the repository: ``theme/`` holds only sources (the fonts, the vendored pictograms),
so a build cannot leave tracked files modified, and ``make build`` leaves ``git status`` clean. Drawing the logo's
letters from the WOFF2 fonts took 0.13 s of every build, a third of a build with nothing to do: the files are
kept in a cache folder named after the digest of everything they are made from, and a build with the same
inputs reads them back instead of making them again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
from pathlib import Path
from typing import NamedTuple

from ..digest import digest
from .definition import Brand
from .logo import logo_svg
from .pictograms import ICONS_DIR, sprite
from .stylesheets import charter_css, tokens_css

logger = logging.getLogger(__name__)

# Paths under the theme's static folder, which the site serves as /theme/ (pelicanconf THEME_STATIC_DIR).
TOKENS_CSS = "css/tokens.css"
CHARTER_CSS = "css/charte.css"
LOGO_SVG = "images/logo.svg"
LOGO_NEGATIVE_SVG = "images/logo-negatif.svg"
PICTOGRAMS_SVG = "images/pictos.svg"  # the site's pictograms, one <symbol> each
NAMES = (TOKENS_CSS, CHARTER_CSS, LOGO_SVG, LOGO_NEGATIVE_SVG, PICTOGRAMS_SVG)
CODE_DIR = Path(__file__).resolve().parent  # this package: the code that turns the charter into files
SEAL = "complete"  # written last in a cache folder: the digest of its files, as they were made


class ThemeFiles(NamedTuple):
    files: dict[str, bytes]  # path under the theme's static folder → bytes
    made: bool  # made now, rather than read back from the cache


def theme_files(brand: Brand) -> dict[str, str]:
    """Every file of the site's theme that is made from the charter, by path under the theme's static folder."""
    return {TOKENS_CSS: tokens_css(brand), CHARTER_CSS: charter_css(brand), LOGO_SVG: logo_svg(brand),
            LOGO_NEGATIVE_SVG: logo_svg(brand, negative=True), PICTOGRAMS_SVG: sprite()}


def code_files() -> list[Path]:
    """The charter's code: a change to it makes the theme files and the print kits again."""
    return sorted(CODE_DIR.glob("*.py"))


def inputs_digest(brand: Brand) -> str:
    """A digest of everything the theme files are made from: the charter (wherever its project lies), its fonts,
    the vendored pictograms and the code that turns them into files."""
    charter = {field.name: getattr(brand, field.name) for field in dataclasses.fields(brand) if field.name != "root"}
    sources = [*((f"code/{p.name}", p) for p in code_files()),
               *((f"icons/{p.relative_to(ICONS_DIR).as_posix()}", p) for p in sorted(ICONS_DIR.rglob("*"))
                 if p.is_file()),
               *((f"fonts/{path.name}", path) for _, _, path, _ in brand.font_files)]
    return digest(charter, [(name, hashlib.sha256(path.read_bytes()).hexdigest()) for name, path in sources])


def _files_digest(files: dict[str, bytes]) -> str:
    hasher = hashlib.sha256()
    for name in NAMES:
        hasher.update(name.encode() + b"\0" + files[name] + b"\0")
    return hasher.hexdigest()


def _read_back(folder: Path) -> dict[str, bytes] | None:
    """The files of a cache folder, when it is complete and none was changed or removed since it was made."""
    try:
        seal = (folder / SEAL).read_text("utf-8")
        files = {name: (folder / name).read_bytes() for name in NAMES}
    except OSError:
        return None
    return files if seal == _files_digest(files) else None


def _store(folder: Path, files: dict[str, bytes]) -> None:
    """Each file replaced whole, the seal last: a build running at the same time reads a complete folder or none."""
    for name, data in [*files.items(), (SEAL, _files_digest(files).encode())]:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        scratch.write_bytes(data)
        os.replace(scratch, path)


def cached_theme_files(brand: Brand, cache: Path | None) -> ThemeFiles:
    """The theme files, read back from ``cache`` (a folder of the build's cache) when they were made from the same
    inputs, made otherwise (and kept there). Without a cache they are made every time."""
    folder = cache / inputs_digest(brand) if cache is not None else None
    if folder is not None and (files := _read_back(folder)) is not None:
        return ThemeFiles(files, made=False)
    files = {name: text.encode("utf-8") for name, text in theme_files(brand).items()}
    if folder is not None:
        try:
            _store(folder, files)
        except OSError as error:  # a read-only cache only costs time
            logger.debug("charter cache not written: %s", error)
    logger.info("Charter: theme files made (%s)", ", ".join(NAMES))
    return ThemeFiles(files, made=True)
