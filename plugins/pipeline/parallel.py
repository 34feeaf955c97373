"""Pages rendered by several processes: the commune pages are most of the site (35,648 for France) and each
is rendered alone, so they are shared among forked workers, one per core.

A worker is a fork of the build: it has the whole context and the compiled templates without pickling
anything, renders its share, writes it through its copy of the build's ``OutputFiles``, and sends back
only what it wrote and the facts of its pages, which join the build's ledger. Without ``fork`` (or with
one worker, or few pages) the pages are rendered here, in order.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Sequence

logger = logging.getLogger(__name__)

MIN_PAGES = 400  # below this, starting workers costs more than it saves

_job: tuple[Sequence, Callable, object] | None = None  # (pages, render, files), inherited by the workers


def workers_for(setting) -> int:
    """``BUILD_WORKERS``: 0 or unset → one per core."""
    count = int(setting or 0)
    return count if count > 0 else (os.cpu_count() or 1)


def render_all(pages: Sequence, render: Callable, files, workers: int) -> None:
    """``render(page)`` for every page, in ``workers`` processes when it is worth it."""
    global _job
    if workers <= 1 or len(pages) < MIN_PAGES or "fork" not in multiprocessing.get_all_start_methods():
        for page in pages:
            render(page)
        return
    _job = (pages, render, files)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = pool.map(_render_share, [(index, workers) for index in range(workers)])
    finally:
        _job = None
    for produced, changed, facts in results:
        files.produced.update(produced)
        files.changed.update(changed)
        files.pages.update(facts)
    logger.info("%d pages rendered by %d processes", len(pages), workers)


def _render_share(share: tuple[int, int]):
    """In a worker: every ``count``-th page from ``index``; what it wrote, for the ledger."""
    index, count = share
    pages, render, files = _job
    before_produced, before_changed = set(files.produced), set(files.changed)
    for page in pages[index::count]:
        render(page)
    produced = files.produced - before_produced
    facts = {rel: files.pages[rel] for rel in produced if rel in files.pages}
    return sorted(produced), sorted(files.changed - before_changed), facts
