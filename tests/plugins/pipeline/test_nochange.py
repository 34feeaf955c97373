"""plugins/pipeline/nochange.py: ``make build`` with nothing changed stops at once; any change builds.

The unit tests stamp a small project of their own (a settings file, content, data, theme, output) and pass the
time in: nothing sleeps. The last test builds a scaled-down site with ``make build``'s command: built, nothing
changed, edited, built again — byte for byte the cold build of the edited site."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pipeline import nochange

from support_builds import pelican, snapshot, synthetic_root

ROOT = Path(__file__).resolve().parents[3]
NOW = time.time()
OLD_NS = int((NOW - 3600) * 1e9)  # every file of the project was last modified an hour ago
SETTINGS = """\
PATH = "content"
THEME = "theme"
CACHE_PATH = "cache"
OUTPUT_PATH = "out"
OUTPUT_RETENTION = ["kit"]
WITH_FUTURE_DATES = False
ROUTING_TABLE = "functions/routing.json"
SITENAME = "Essai"
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    code = tmp_path / "code"
    for rel, text in {
        "site/settings.py": SETTINGS, "site/content/actualites/essai.md": "Title: Essai\n\nUn texte.\n",
        "site/data/associations.yaml": "associations: []\n", "site/theme/templates/base.html": "<html></html>\n",
        "site/out/index.html": "<p>Accueil</p>\n", "site/out/kit/kit.zip": "zip", "site/functions/routing.json": "{}",
        "code/plugins/pipeline/plugin.py": "x = 1\n", "code/pelicanconf.py": "A = 1\n",
    }.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    for path in tmp_path.rglob("*"):
        os.utime(path, ns=(OLD_NS, OLD_NS))
    monkeypatch.setattr(nochange, "CODE_ROOT", code)
    monkeypatch.delenv("AAI_MINIFY_ASSETS", raising=False)
    nochange.reset_expiry()
    yield tmp_path / "site"
    nochange.reset_expiry()


def command(*extra: str) -> list[str]:
    return ["--settings", "settings.py", "--output", "out", *extra]


def stamp(site: Path, *extra: str, now: float = NOW, warnings=()) -> nochange.Build:
    """What build.py does around a successful build: list the inputs first, then save the stamp."""
    build = nochange.Build.of(command(*extra), cwd=str(site))
    assert build is not None
    build.inputs(int(now * 1e9))
    build.save([list(w) for w in warnings], now=now)
    return build


def unchanged(site: Path, *extra: str, now: float = NOW + 60) -> bool:
    build = nochange.Build.of(command(*extra), cwd=str(site))
    assert build is not None
    return build.unchanged(now) is not None


def rewrite(path: Path, text: str, ns: int | None = None) -> None:
    path.write_text(text, "utf-8")
    if ns is not None:
        os.utime(path, ns=(ns, ns))


def test_nothing_changed_is_recognised_by_a_new_process(project):
    stamp(project)
    assert unchanged(project)
    assert unchanged(project, now=NOW + 86400 * 30)  # a month later, still nothing to do


@pytest.mark.parametrize("rel", ["content/actualites/essai.md", "data/associations.yaml", "theme/templates/base.html"])
def test_an_edited_input_builds(project, rel):
    stamp(project)
    rewrite(project / rel, (project / rel).read_text("utf-8") + "modifié\n")
    assert not unchanged(project)


def test_a_new_or_removed_input_builds(project):
    stamp(project)
    (project / "content" / "actualites" / "nouvelle.md").write_text("Title: Nouvelle\n\nTexte.\n", "utf-8")
    assert not unchanged(project)
    stamp(project)
    (project / "content" / "actualites" / "essai.md").unlink()
    assert not unchanged(project)


def test_an_edit_of_the_build_code_builds(project):
    stamp(project)
    rewrite(nochange.CODE_ROOT / "plugins" / "pipeline" / "plugin.py", "x = 2\n")
    assert not unchanged(project)


def test_python_caches_written_by_an_import_change_nothing(project):
    stamp(project)
    cache = nochange.CODE_ROOT / "plugins" / "pipeline" / "__pycache__"
    cache.mkdir()
    (cache / "plugin.cpython-311.pyc").write_bytes(b"\0")
    assert unchanged(project)


def test_an_edit_of_the_settings_file_builds(project):
    stamp(project)
    rewrite(project / "settings.py", SETTINGS + 'SITENAME = "Autre"\n')
    assert not unchanged(project)


def test_another_setting_on_the_command_or_in_the_environment_builds(project, monkeypatch):
    stamp(project, "-e", 'SITEURL="https://exemple.org"')
    assert unchanged(project, "-e", 'SITEURL="https://exemple.org"')
    assert not unchanged(project, "-e", 'SITEURL="https://autre.exemple.org"')
    assert not unchanged(project)
    monkeypatch.setenv("AAI_MINIFY_ASSETS", "0")  # read by pelicanconf.py
    assert not unchanged(project, "-e", 'SITEURL="https://exemple.org"')


@pytest.mark.parametrize("change", ["deleted", "modified", "added", "routing table deleted"])
def test_a_change_in_the_output_builds(project, change):
    stamp(project)
    if change == "deleted":
        (project / "out" / "index.html").unlink()
    elif change == "modified":
        rewrite(project / "out" / "index.html", "<p>Modifié à la main</p>\n")
    elif change == "added":
        (project / "out" / "vieux.html").write_text("reste", "utf-8")
    else:
        (project / "functions" / "routing.json").unlink()
    assert not unchanged(project)


def test_the_folders_other_tools_fill_in_the_output_are_not_the_builds(project):
    stamp(project)
    rewrite(project / "out" / "kit" / "kit.zip", "un autre kit")
    assert unchanged(project)


def test_a_same_size_edit_within_two_seconds_of_the_build_is_caught_by_its_bytes(project):
    path = project / "content" / "actualites" / "essai.md"
    recent = int((NOW - 0.5) * 1e9)
    os.utime(path, ns=(recent, recent))
    stamp(project)
    assert unchanged(project)  # recent, but the same bytes: nothing to do
    rewrite(path, path.read_text("utf-8").replace("Un texte.", "Un autre."), ns=recent)  # same size, same date
    assert not unchanged(project)


def test_a_same_size_same_date_edit_older_than_two_seconds_is_not_seen_like_make(project):
    """The documented limit: only a tool that sets the date back does it."""
    path = project / "content" / "actualites" / "essai.md"
    stamp(project)
    rewrite(path, path.read_text("utf-8").replace("Un texte.", "Un autre."), ns=OLD_NS)
    assert unchanged(project)


def test_the_stamp_ends_when_a_future_dated_news_item_is_due(project):
    nochange.expires_at(NOW + 3600)
    nochange.expires_at(NOW + 7200)
    nochange.expires_at(NOW - 10)  # already published: no end
    stamp(project)
    assert unchanged(project, now=NOW + 3599)
    assert not unchanged(project, now=NOW + 3600)


def test_a_starting_build_removes_the_stamp_and_so_does_make_run(project):
    build = stamp(project)
    assert build.stamp.is_file()
    nochange.forget({"CACHE_PATH": str(project / "cache"), "OUTPUT_PATH": str(project / "out")})  # plugin's start
    assert not build.stamp.exists() and not unchanged(project)


def test_the_stamp_is_one_small_file_per_output_folder_without_absolute_paths_of_files(project):
    build = stamp(project)
    stamp(project, "-e", 'SITEURL="https://exemple.org"')  # the same output, other settings: replaced
    other = project / "autre-sortie"
    other.mkdir()
    nochange.Build.of(["--settings", "settings.py", "--output", str(other)], cwd=str(project)).save([])
    stamps = sorted((project / "cache" / "nochange").iterdir())
    assert [p.name for p in stamps] == sorted([build.stamp.name, nochange.stamp_path(project / "cache", other).name])
    text = build.stamp.read_text("utf-8")
    assert len(text) < 2000 and "essai.md" not in text and ".tmp" not in " ".join(p.name for p in stamps)
    other.rmdir()  # a test's or a benchmark's output, gone: its stamp goes at the next save
    stamp(project)
    assert [p.name for p in (project / "cache" / "nochange").iterdir()] == [build.stamp.name]


def test_only_a_plain_build_command_is_stamped(project):
    assert nochange.Build.of(["--settings", "settings.py", "--listen"], cwd=str(project)) is None
    assert nochange.Build.of(["--settings", "settings.py", "--autoreload"], cwd=str(project)) is None
    assert nochange.Build.of(["--output", "out"], cwd=str(project)) is None  # no settings file named
    assert nochange.Build.of(["--settings", "settings.py", "-e", "SITEURL=pas du JSON"], cwd=str(project)) is None


def test_the_last_builds_warnings_are_shown_again(project):
    recorder = nochange.Recorder()
    log = logging.getLogger("essai.nochange")
    log.addHandler(recorder)
    try:
        log.warning("%s : la date d'événement « %s » doit s'écrire AAAA-MM-JJ.", "actualites/x.md", "demain")
        log.info("rien de notable")
    finally:
        log.removeHandler(recorder)
    assert recorder.errors == 0
    build = stamp(project, warnings=recorder.records)
    shown = io.StringIO()
    nochange.report(build, build.unchanged(NOW + 60), shown)
    lines = shown.getvalue().splitlines()
    assert lines[0].startswith("Rien n’a changé depuis la dernière construction de ") and "rien à faire" in lines[0]
    assert "Avertissement : actualites/x.md : la date d'événement « demain » doit s'écrire AAAA-MM-JJ." in lines[-1]


def test_a_failed_build_leaves_no_stamp(tmp_path):
    (tmp_path / "data").mkdir()  # no data: the model stops the build
    cache = tmp_path / "cache"
    stale = nochange.stamp_path(cache, tmp_path / "out")
    stale.parent.mkdir(parents=True)
    stale.write_text("{}", "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.build", "--settings", "pelicanconf.py", "--output", str(tmp_path / "out"),
         "-e", f'DATA_ROOT="{tmp_path}"', f'CACHE_PATH="{cache}"', "--fatal", "errors"],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "plugins")})
    assert result.returncode == 1
    assert list((cache / "nochange").iterdir()) == []


def test_built_nothing_changed_edited_built_again_is_the_cold_build(tmp_path):
    site = synthetic_root(tmp_path / "site", communes=4)
    output, cache = tmp_path / "output", tmp_path / "cache"
    pelican(site, output, CACHE_PATH=str(cache))
    before = {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()}
    again = pelican(site, output, CACHE_PATH=str(cache))
    assert "Rien n’a changé depuis la dernière construction de" in again.stderr
    assert "Done:" not in again.stdout + again.stderr  # Pelican did not run
    assert {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()} == before
    news = sorted((site / "content" / "actualites").glob("*.md"))[0]
    news.write_text(news.read_text("utf-8").replace("Title: ", "Title: (modifiée) ", 1), "utf-8")
    edited = pelican(site, output, CACHE_PATH=str(cache))
    assert "Rien n’a changé" not in edited.stderr
    pelican(site, tmp_path / "cold", CACHE_PATH=str(tmp_path / "cold-cache"))
    assert snapshot(output) == snapshot(tmp_path / "cold")
    stamps = list((cache / "nochange").iterdir())
    assert len(stamps) == 1 and json.loads(stamps[0].read_text("utf-8"))["output"] == str(output)
    # make run's warm process never reads the stamp (every save is built) and removes it when it builds
    warm = subprocess.run(
        [sys.executable, "-m", "pipeline.warm", "--settings", "pelicanconf.py", "--output", str(output),
         "-e", f"PATH={json.dumps(str(site / 'content'))}", "-e", f"CACHE_PATH={json.dumps(str(cache))}",
         "-e", "BUILD_WORKERS=2", "-e", "BUILD_PARALLEL_MIN_PAGES=1"],
        input='{"build": 1}\n', cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "plugins")})
    assert json.loads(warm.stdout.splitlines()[-1])["ok"], warm.stderr[-3000:]
    assert list((cache / "nochange").iterdir()) == []
    assert "Rien n’a changé" not in pelican(site, output, CACHE_PATH=str(cache)).stderr
    assert snapshot(output) == snapshot(tmp_path / "cold")
