"""plugins/pipeline/parallel.py: pages rendered by forked workers while the build goes on, and joined into
its ledger as if they had been written here."""

from __future__ import annotations

import multiprocessing
import threading

import pytest

from pipeline import parallel
from pipeline.files import OutputFiles

PAGES = [f"commune/{number:03d}/index.html" for number in range(40)]
WRITTEN = [rel for rel in PAGES if not rel.endswith("5/index.html")]  # see render_into


@pytest.fixture(autouse=True)
def few_pages_are_enough(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_PAGES", 2)
    yield
    parallel.abandon_leftovers()
    assert multiprocessing.active_children() == []


def render_into(files: OutputFiles, digests: dict | None = None):
    """Renders every page but those ending in 5 (kept as they are), noting each page's digest."""
    def render(rel: str) -> bool:
        if digests is not None:
            digests[rel] = f"digest of {rel}"
        if rel.endswith("5/index.html"):
            return False
        searchable = " data-pagefind-body" if rel.endswith("7/index.html") else ""
        files.write(rel, f"<main{searchable}>{rel}</main>")
        return True
    return render


def test_workers_write_what_this_process_would_and_their_ledger_joins_the_builds(tmp_path):
    alone, forked = OutputFiles(tmp_path / "alone"), OutputFiles(tmp_path / "forked")
    alone_digests, forked_digests = {}, {"index.html": "already here"}
    here = parallel.start("Pages", PAGES, render_into(alone, alone_digests), alone, workers=1,
                          records=(alone_digests,))
    here.join()

    rendering = parallel.start("Pages", PAGES, render_into(forked, forked_digests), forked, workers=2,
                               records=(forked_digests,))
    forked.write("departement/index.html", "<main>pendant ce temps</main>")  # the build goes on meanwhile
    rendering.join()

    assert here.rendered == rendering.rendered == 36  # 40 pages, 4 kept
    assert forked_digests == {"index.html": "already here", **alone_digests} and len(alone_digests) == 40
    assert forked.produced == alone.produced | {"departement/index.html"}
    assert forked.changed == forked.produced
    assert {rel: forked.pages[rel] for rel in WRITTEN} == {rel: alone.pages[rel] for rel in WRITTEN}
    assert [rel for rel in WRITTEN if forked.pages[rel].searchable] == ["commune/007/index.html",
                                                                      "commune/017/index.html",
                                                                      "commune/027/index.html",
                                                                      "commune/037/index.html"]
    for rel in WRITTEN:
        assert (tmp_path / "forked" / rel).read_bytes() == (tmp_path / "alone" / rel).read_bytes()
    assert multiprocessing.active_children() == []  # joined: no worker is left


def test_a_workers_error_stops_the_build_at_the_join(tmp_path):
    files = OutputFiles(tmp_path)

    def render(rel: str) -> bool:
        if rel.endswith("013/index.html"):
            raise ValueError(f"gabarit cassé : {rel}")
        return files.write(rel, "<main></main>")

    rendering = parallel.start("Pages", PAGES, render, files, workers=2)
    with pytest.raises(ValueError, match="013"):
        rendering.join()
    assert multiprocessing.active_children() == []


def test_workers_of_a_build_that_never_joined_them_are_stopped_by_the_next_build(tmp_path):
    files = OutputFiles(tmp_path)
    release = threading.Event()  # never set: the workers would wait for ever

    def render(rel: str) -> bool:
        return release.wait()

    parallel.start("Pages", PAGES, render, files, workers=2)  # a build that stopped on an error before its end
    assert len(multiprocessing.active_children()) == 2
    parallel.abandon_leftovers()
    assert multiprocessing.active_children() == []


def test_one_worker_or_few_pages_render_here_and_now(tmp_path, monkeypatch):
    files = OutputFiles(tmp_path)
    parallel.start("Pages", PAGES, render_into(files), files, workers=1)  # not joined: nothing is pending
    assert files.produced == set(WRITTEN)
    monkeypatch.setattr(parallel, "MIN_PAGES", len(PAGES) + 1)
    again = OutputFiles(tmp_path / "again")
    parallel.start("Pages", PAGES, render_into(again), again, workers=2)
    assert again.produced == files.produced and multiprocessing.active_children() == []
