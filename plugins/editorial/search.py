"""The site search index: Pagefind, given the pages people search, built only when one of them changed.

Pagefind indexes the ``<main data-pagefind-body>`` of a page (base.html) in French and writes
``pagefind/`` (index chunks, WebAssembly, ``pagefind.js``): the search runs in the visitor's browser,
with nothing fetched from elsewhere. Content pages, services, départements and associations carry a
body; commune pages do not: the finder's index finds communes (the search page asks it too,
theme/static/js/search.js), and 2,228 commune pages — 35,648 for France — would double Pagefind's time
and memory for nothing (``scripts/benchmark_scale.py`` measures both ways).

The build's ledger (plugins/pipeline) says which pages carry a body; only those are shown to Pagefind
(linked into a scratch folder: its command line reads a folder, and its Python API waits 0.1 s per page),
and its files come back through the ledger: unchanged files keep their dates, stale ones are removed.
When no indexed page changed, Pagefind does not run and the last index is kept.
``SEARCH_INDEX = False`` skips it altogether.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

from pipeline.files import STATE_DIR

from model.digest import digest

logger = logging.getLogger(__name__)

FOLDER = "pagefind"
NOTES = "search"  # the build state's part: the digest of the indexed pages and the files written
LANGUAGE = "fr"


class SearchIndexError(RuntimeError):
    pass


def indexed_pages(files) -> list[tuple[str, str]]:
    """(path, content hash) of every page with a search body, in path order."""
    return sorted((rel, facts.sha) for rel, facts in files.pages.items()
                  if facts.searchable and rel in files.produced)


def command(site: Path, output: Path) -> list[str]:
    """Pagefind's own binary (from the ``pagefind[bin]`` package): its Python launcher would add half a second."""
    from pagefind.service import get_executable

    binary = get_executable()
    launcher = [str(binary)] if binary else [sys.executable, "-m", "pagefind"]
    return [*launcher, "--site", str(site), "--output-path", str(output), "--force-language", LANGUAGE]


def build_index(pipeline, settings: dict) -> None:
    if not settings.get("SEARCH_INDEX", True):
        logger.info("Search index skipped (SEARCH_INDEX = False)")
        return
    files = pipeline.files
    pages = indexed_pages(files)
    key = digest(pages, metadata.version("pagefind"), LANGUAGE)
    notes = pipeline.notes(NOTES)
    if notes.get("input") == key and all(files.keep(rel) for rel in notes.get("files", [])):
        pipeline.remember(NOTES, notes)
        logger.info("Search index: %d pages, none changed: index kept", len(pages))
        return
    started = time.perf_counter()
    scratch = files.root / STATE_DIR / "search"
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        site, index = scratch / "pages", scratch / "index"
        for rel in (rel for rel, _ in pages):  # the indexed pages alone, as links to the built ones
            _link(files.root / rel, site / rel)
        result = subprocess.run(command(site, index), capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise SearchIndexError("Pagefind n'a pas pu construire l'index de recherche :\n"
                                   + (result.stderr or result.stdout))
        written = []
        for path in sorted(index.rglob("*")):
            if path.is_file():
                rel = f"{FOLDER}/{path.relative_to(index).as_posix()}"
                files.copy(path, rel)
                written.append(rel)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    pipeline.remember(NOTES, {"input": key, "files": written})
    logger.info("Search index: %d pages indexed in %.1f s", len(pages), time.perf_counter() - started)


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
