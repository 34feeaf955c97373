"""plugins/pipeline/parallel.py: pages rendered by forked workers while the build goes on, and joined into
its ledger as if they had been written here."""

from __future__ import annotations

import multiprocessing
import threading

import pytest

from pipeline import parallel
from pipeline.files import OutputFiles

PAGES = [f"commune/{number:03d}/index.html" for number in range(40)]


@pytest.fixture(autouse=True)
def few_pages_are_enough(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_PAGES", 2)
    yield
    parallel.abandon_leftovers()
    assert multiprocessing.active_children() == []


def render_into(files: OutputFiles):
    def render(rel: str) -> None:
        searchable = " data-pagefind-body" if rel.endswith("7/index.html") else ""
        files.write(rel, f"<main{searchable}>{rel}</main>")
    return render


def test_workers_write_what_this_process_would_and_their_ledger_joins_the_builds(tmp_path):
    alone, forked = OutputFiles(tmp_path / "alone"), OutputFiles(tmp_path / "forked")
    parallel.start(PAGES, render_into(alone), alone, workers=1).join()

    rendering = parallel.start(PAGES, render_into(forked), forked, workers=2)
    forked.write("departement/index.html", "<main>pendant ce temps</main>")  # the build goes on meanwhile
    rendering.join()

    assert forked.produced == alone.produced | {"departement/index.html"}
    assert forked.changed == forked.produced
    assert {rel: forked.pages[rel] for rel in PAGES} == {rel: alone.pages[rel] for rel in PAGES}
    assert [rel for rel in PAGES if forked.pages[rel].searchable] == ["commune/007/index.html",
                                                                      "commune/017/index.html",
                                                                      "commune/027/index.html",
                                                                      "commune/037/index.html"]
    for rel in PAGES:
        assert (tmp_path / "forked" / rel).read_bytes() == (tmp_path / "alone" / rel).read_bytes()
    assert multiprocessing.active_children() == []  # joined: no worker is left


def test_a_workers_error_stops_the_build_at_the_join(tmp_path):
    files = OutputFiles(tmp_path)

    def render(rel: str) -> None:
        if rel.endswith("013/index.html"):
            raise ValueError(f"gabarit cassé : {rel}")
        files.write(rel, "<main></main>")

    rendering = parallel.start(PAGES, render, files, workers=2)
    with pytest.raises(ValueError, match="013"):
        rendering.join()
    assert multiprocessing.active_children() == []


def test_workers_of_a_build_that_never_joined_them_are_stopped_by_the_next_build(tmp_path):
    files = OutputFiles(tmp_path)
    release = threading.Event()  # never set: the workers would wait for ever

    def render(rel: str) -> None:
        release.wait()

    parallel.start(PAGES, render, files, workers=2)  # a build that stopped on an error before its end
    assert len(multiprocessing.active_children()) == 2
    parallel.abandon_leftovers()
    assert multiprocessing.active_children() == []


def test_one_worker_or_few_pages_render_here_and_now(tmp_path, monkeypatch):
    files = OutputFiles(tmp_path)
    parallel.start(PAGES, render_into(files), files, workers=1)  # not joined: nothing is pending
    assert files.produced == set(PAGES)
    monkeypatch.setattr(parallel, "MIN_PAGES", len(PAGES) + 1)
    again = OutputFiles(tmp_path / "again")
    parallel.start(PAGES, render_into(again), again, workers=2)
    assert again.produced == set(PAGES) and multiprocessing.active_children() == []
