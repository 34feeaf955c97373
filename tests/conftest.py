"""Shared fixtures: the whole site built once per test session, served over HTTP, and a browser.

Built with the real Pelican settings and plugins, exactly as `make build` does, into a
temporary folder so tests never touch output/.
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
from pathlib import Path

import pytest

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


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("site") / "output"
    result = build_site(output)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site_url(built_site) -> str:
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


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
