"""Pages rendered by several processes: the commune pages are most of the site (35,648 for France) and each
is rendered alone, so they are shared among forked workers, one per core.

A worker is a fork of the build: it has the whole context and the compiled templates without pickling
anything, renders its share, writes it through its copy of the build's ``OutputFiles``, and sends back
only what it wrote, the facts of its pages and what it recorded (their input digests), which join the
build's ledger. Without ``fork`` (or with
one worker, or few pages) the pages are rendered here, in order.

``start`` returns at once: while the workers render, the build goes on with the pages it renders itself
(départements, associations and their maps, forms, the map page), and ``Rendering.join`` (called by the
pipeline before its finishing steps at the latest) merges the workers' ledgers. For France this keeps
both cores busy for the whole build instead of one core for the maps.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Sequence

logger = logging.getLogger(__name__)

MIN_PAGES = 400  # below this, starting workers costs more than it saves

_job: tuple | None = None  # (pages, render, files, records), inherited by the workers
_running: list[Rendering] = []  # not joined yet: a build that failed half-way leaves its workers here


def workers_for(setting) -> int:
    """``BUILD_WORKERS``: 0 or unset → one per core."""
    count = int(setting or 0)
    return count if count > 0 else (os.cpu_count() or 1)


class Rendering:
    """Pages being rendered by workers; ``join`` waits for them and adds what they wrote to the ledger."""

    def __init__(self, label: str, pages: Sequence, files, records: Sequence[dict] = (), rendered: int = 0,
                 pool=None, results=None):
        self.label = label
        self.count = len(pages)
        self.rendered = rendered  # how many ``render`` said it rendered (the others were kept as they were)
        self._files = files
        self._records = records
        self._pool = pool
        self._results = results

    def join(self) -> None:
        if self._pool is None:
            return
        try:
            results = self._results.get()  # a worker's exception is raised here, in the build
        finally:
            self.abandon()
        for produced, changed, facts, added, rendered in results:
            self._files.produced.update(produced)
            self._files.changed.update(changed)
            self._files.pages.update(facts)
            for record, entries in zip(self._records, added):
                record.update(entries)
            self.rendered += rendered
        self.report(len(results))

    def report(self, processes: int) -> None:
        logger.info("%s: %d of %d rendered by %d %s", self.label, self.rendered, self.count, processes,
                    "process" if processes == 1 else "processes")

    def abandon(self) -> None:
        """Stop the workers (done or not) and forget them."""
        pool, self._pool = self._pool, None
        if self in _running:
            _running.remove(self)
        if pool is not None:
            pool.terminate()
            pool.join()


def abandon_leftovers() -> None:
    """Called as a build starts: the workers of an earlier build of this process that stopped on an error
    (``make run``'s warm process goes on) are stopped, not left waiting."""
    for rendering in list(_running):
        logger.info("Stopping the workers of an unfinished build")
        rendering.abandon()


def start(label: str, pages: Sequence, render: Callable, files, workers: int,
          records: Sequence[dict] = (), min_pages: int | None = None) -> Rendering:
    """``render(page)`` for every page: in ``workers`` forked processes when it is worth it (returns at once,
    ``join`` the result), else here and now. ``render`` returns True when it rendered the page (False: kept
    as it was). ``records``: dicts ``render`` adds to (the digests of the pages' inputs), whose new entries
    the workers send back. ``min_pages``: fewer pages are rendered here (``MIN_PAGES`` by default)."""
    global _job
    few = len(pages) < (MIN_PAGES if min_pages is None else min_pages)
    if workers <= 1 or few or "fork" not in multiprocessing.get_all_start_methods():
        rendering = Rendering(label, pages, files, records, sum(1 for page in pages if render(page)))
        rendering.report(1)
        return rendering
    _job = (pages, render, files, records)
    try:
        pool = multiprocessing.get_context("fork").Pool(workers)  # the workers are forked here, with _job
    finally:
        _job = None
    shares = [(index, workers) for index in range(workers)]
    rendering = Rendering(label, pages, files, records, 0, pool,
                          pool.map_async(_render_share, shares, chunksize=1))
    _running.append(rendering)
    return rendering


def _render_share(share: tuple[int, int]):
    """In a worker: every ``count``-th page from ``index``; what it wrote and recorded, for the build."""
    index, count = share
    pages, render, files, records = _job  # as it was when this worker was forked
    before_produced, before_changed = set(files.produced), set(files.changed)
    before_records = [set(record) for record in records]
    rendered = sum(1 for page in pages[index::count] if render(page))
    produced = files.produced - before_produced
    facts = {rel: files.pages[rel] for rel in produced if rel in files.pages}
    added = [{key: record[key] for key in record.keys() - before} for record, before in zip(records, before_records)]
    return sorted(produced), sorted(files.changed - before_changed), facts, added, rendered
