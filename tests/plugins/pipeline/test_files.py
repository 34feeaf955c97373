"""plugins/pipeline/files.py: write only what changed, keep the rest, remove exactly the stale files."""

from __future__ import annotations

import os

import pytest

from pipeline.files import STATE_DIR, OutputFiles, PageFacts

OLD = (1_000_000, 1_000_000)  # a date no build would give a file


def aged(path):
    os.utime(path, OLD)
    return path


def test_same_bytes_leave_the_file_and_its_date_alone(tmp_path):
    (tmp_path / "a").mkdir()
    page = tmp_path / "a" / "index.html"
    page.write_text("<p>bonjour</p>")
    aged(page)
    files = OutputFiles(tmp_path)
    assert files.write("a/index.html", "<p>bonjour</p>") is False
    assert page.stat().st_mtime == OLD[1]
    assert files.changed == set() and files.produced == {"a/index.html"}


def test_new_or_different_bytes_are_written_whole(tmp_path):
    files = OutputFiles(tmp_path)
    assert files.write("deep/er/page.html", "<p>un</p>") is True
    assert files.write("deep/er/page.html", "<p>deux</p>") is True
    assert (tmp_path / "deep/er/page.html").read_text() == "<p>deux</p>"
    assert [p.name for p in (tmp_path / "deep/er").iterdir()] == ["page.html"]  # no scratch file left
    assert files.changed == {"deep/er/page.html"}


def test_the_first_change_is_announced_once_and_only_a_change(tmp_path):
    (tmp_path / "same.txt").write_text("x")
    calls = []
    files = OutputFiles(tmp_path, on_first_write=lambda: calls.append(1))
    files.write("same.txt", "x")
    assert calls == []
    files.write("new.txt", "y")
    files.write("other.txt", "z")
    assert calls == [1]


def test_pages_carry_their_facts_and_kept_pages_those_of_the_last_build(tmp_path):
    files = OutputFiles(tmp_path)
    files.write("a/index.html", '<main data-pagefind-body><h1>A</h1></main>')
    files.write("b/index.html", '<meta name="robots" content="noindex"><main></main>')
    assert files.pages["a/index.html"].indexable and files.pages["a/index.html"].searchable
    assert not files.pages["b/index.html"].indexable and not files.pages["b/index.html"].searchable

    remembered = PageFacts(indexable=False, searchable=True, sha="remembered")
    later = OutputFiles(tmp_path, previous_pages={"a/index.html": remembered})
    assert later.keep("a/index.html") and later.keep("b/index.html")
    assert later.pages["a/index.html"] == remembered  # not read again
    assert later.pages["b/index.html"] == files.pages["b/index.html"]  # unknown: read
    assert later.keep("missing/index.html") is False and "missing/index.html" not in later.produced


def test_exactly_the_files_not_produced_are_removed_with_their_empty_folders(tmp_path):
    for rel in ("keep.html", "gone.html", "old/deep/gone.css", "kit/ai/flyer.pdf", f"{STATE_DIR}/state.json",
                "mixed/keep.js", "mixed/gone.js"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(rel)
    files = OutputFiles(tmp_path)
    files.keep("keep.html")
    files.write("mixed/keep.js", "mixed/keep.js")
    assert files.remove_stale(owned=["kit"]) == ["gone.html", "mixed/gone.js", "old/deep/gone.css"]
    left = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert left == [f"{STATE_DIR}/state.json", "keep.html", "kit/ai/flyer.pdf", "mixed/keep.js"]
    assert not (tmp_path / "old").exists()


def test_a_renamed_file_replaces_an_identical_one_without_touching_it(tmp_path):
    files = OutputFiles(tmp_path)
    files.write("theme/site.css", "body{}")
    target = tmp_path / "theme/site.1234.css"
    target.write_text("body{}")
    aged(target)
    files.rename("theme/site.css", "theme/site.1234.css")
    assert target.stat().st_mtime == OLD[1] and not (tmp_path / "theme/site.css").exists()
    assert files.produced == {"theme/site.1234.css"}


def test_a_folder_in_the_way_is_an_error_not_a_silent_loss(tmp_path):
    (tmp_path / "page.html").mkdir()
    with pytest.raises(IsADirectoryError):
        OutputFiles(tmp_path).write("page.html", "x")


def test_a_page_whose_folder_was_a_file_replaces_it(tmp_path):
    (tmp_path / "actualites").write_text("an old file")
    files = OutputFiles(tmp_path)
    assert files.write("actualites/index.html", "<p>liste</p>")
    assert (tmp_path / "actualites" / "index.html").read_text() == "<p>liste</p>"
