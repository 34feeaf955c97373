"""The site search index: Pagefind, run on the finished output folder.

Pagefind indexes the ``<main data-pagefind-body>`` of each page (base.html) in French and
writes ``pagefind/`` (index chunks, WebAssembly, ``pagefind.js``) beside the pages: the
search runs in the visitor's browser, with nothing fetched from elsewhere.
Set ``SEARCH_INDEX = False`` to skip it (a quicker build when search is not needed).
"""

from __future__ import annotations

import logging
import subprocess
import sys
import time
from pathlib import Path

logger = logging.getLogger(__name__)


class SearchIndexError(RuntimeError):
    pass


def command(output: Path) -> list[str]:
    return [sys.executable, "-m", "pagefind", "--site", str(output), "--force-language", "fr"]


def build_index(output, settings: dict) -> None:
    if not settings.get("SEARCH_INDEX", True):
        logger.info("Search index skipped (SEARCH_INDEX = False)")
        return
    output = Path(output)
    started = time.perf_counter()
    result = subprocess.run(command(output), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SearchIndexError("Pagefind n'a pas pu construire l'index de recherche :\n"
                               + (result.stderr or result.stdout))
    pages = next((line.strip() for line in result.stdout.splitlines() if "Indexed" in line
                  and "pages" in line), "")
    logger.info("Search index: %s in %.1f s", pages or "done", time.perf_counter() - started)
