"""Shared fixtures: the whole site built once per test session, served over HTTP, and a browser.

Built with the real Pelican settings and plugins, exactly as `make build` does, into a
temporary folder so tests never touch output/.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from support_infra import serve_as_in_production

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def build_site(output: Path, *extra: str) -> subprocess.CompletedProcess:
    """Run Pelican as `make build` does; return the finished process (check its returncode)."""
    return subprocess.run(
        [sys.executable, "-m", "pelican", "--settings", "pelicanconf.py", "--output", str(output),
         "--delete-output-directory", *extra],
        cwd=ROOT, capture_output=True, text=True,
    )


@pytest.fixture(scope="session")
def build():
    """The build function itself, for tests that build a variant of the site."""
    return build_site


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def site_data():
    from model import load_site
    return load_site(ROOT)


def once_per_run(tmp_path_factory, worker_id: str, name: str, make) -> Path:
    """``make(folder)`` once for the whole run even when pytest-xdist runs several workers: the first to ask
    makes it in their shared temporary folder while the others wait on a file lock. What it makes is read-only."""
    from filelock import FileLock
    shared = tmp_path_factory.getbasetemp() if worker_id == "master" else tmp_path_factory.getbasetemp().parent
    folder, done = shared / name, shared / f"{name}.done"
    with FileLock(str(shared / f"{name}.lock")):
        if not done.exists():
            make(folder)
            done.write_text("done\n")
    return folder


@pytest.fixture(scope="session")
def once(tmp_path_factory, worker_id):
    """``once(name, make)``: once_per_run for the fixtures of a folder of tests (the print kit…)."""
    return lambda name, make: once_per_run(tmp_path_factory, worker_id, name, make)


def _build_into(folder: Path, *extra: str, settings: str = "pelicanconf.py", env: dict | None = None) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pelican", "--settings", settings, "--output", str(folder),
         "--delete-output-directory", "--fatal", "errors", *extra],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, worker_id) -> Path:
    """The site as `make build` makes it, once for the whole run."""
    return once_per_run(tmp_path_factory, worker_id, "site", _build_into)


PRODUCTION = {"AAI_SITEURL": "https://www.ai-aquitaine.example.org",
              "AAI_FORMS_ENDPOINT": "https://formulaires.ai-aquitaine.example.org",
              "AAI_TILES_URL": "https://tile.openstreetmap.org"}


@pytest.fixture(scope="session")
def publish_builds(tmp_path_factory, worker_id) -> tuple[Path, Path]:
    """Two production builds (publishconf.py, fingerprints, search index) of the same commit, once for the whole
    run: the deploy's reproducibility and the maps' byte-identical pages are checked on them."""
    def make(folder: Path) -> None:
        for name in ("a", "b"):
            _build_into(folder / name, settings="publishconf.py", env=PRODUCTION)
    folder = once_per_run(tmp_path_factory, worker_id, "publish", make)
    return folder / "a", folder / "b"


@pytest.fixture(scope="session")
def site_url(built_site) -> str:
    """The session's site over HTTP, under production's Content-Security-Policy: every browser test runs
    under it."""
    from pelicanconf import FORMS_ENDPOINT

    with serve_as_in_production(built_site, FORMS_ENDPOINT, FORMS_ENDPOINT) as origin:
        yield origin


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def _local_only(route):
    url = route.request.url
    if url.startswith(("http://127.0.0.1", "http://localhost", "data:", "blob:")):
        return route.continue_()
    return route.abort()


@pytest.fixture
def page(browser):
    """A fresh page that can reach only this machine, with JS errors collected in ``page.errors``."""
    context = browser.new_context(locale="fr-FR")
    context.route("**/*", _local_only)
    tab = context.new_page()
    tab.errors = []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    yield tab
    context.close()


@pytest.fixture
def page_nojs(browser):
    """A page with JavaScript disabled, for the no-JS paths."""
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    context.route("**/*", _local_only)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def strict_page(browser):
    """A page that keeps the functions' Content-Security-Policy (no route rewriting) and reports its violations
    in ``page.violations``."""
    context = browser.new_context(locale="fr-FR")
    tab = context.new_page()
    tab.violations = []
    tab.on("console", lambda m: tab.violations.append(m.text) if "Content Security Policy" in m.text else None)
    yield tab
    context.close()
