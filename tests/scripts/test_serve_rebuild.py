"""`make run` after an edit: what a change asks for, the warm build process, and the open page reloading by itself
(scripts/serve.py, plugins/pipeline/warm.py, scripts/live_reload.js). The warm process builds a scaled-down
synthetic site (scripts/synthetic_site.py) in a temporary folder; nothing of the repository is edited."""

from __future__ import annotations

import functools
import importlib.util
import json
import re
import shutil
import threading
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


serve = load("aai_serve_rebuild", ROOT / "scripts" / "serve.py")


@pytest.mark.parametrize("path, actions", [
    ("content/actualites/2026-02-09-jardinage-preparer-le-printemps.md", {"build"}),
    ("content/pages/charte-qualite.md", {"build", "kit"}),  # the signatories' charter posters print it
    ("data/associations.yaml", {"build", "kit"}),
    ("theme/templates/commune.html", {"build", "kit"}),
    ("plugins/directory/directory.py", {"restart", "build", "kit"}),
    ("rules/phone.py", {"restart", "build", "kit"}),
    ("pelicanconf.py", {"restart", "build", "kit"}),
])
def test_a_change_asks_for_a_build_a_kit_or_a_new_warm_process(path, actions):
    assert serve.classify({(2, str(ROOT / path))}) == actions


def test_the_page_the_kit_reads_is_the_charter_posters_page():
    from model.quality_charter import PAGE
    assert serve.KIT_PAGES == (PAGE.as_posix(),)


def test_the_reload_script_goes_into_the_response_before_the_end_of_the_body():
    page = b"<html><body><main>x</main></body></html>"
    assert serve.with_reload(page) == (b"<html><body><main>x</main>" + serve.RELOAD_TAG + b"</body></html>")
    assert serve.url_of("actualites/x/index.html") == "/actualites/x/"
    assert serve.url_of("index.html") == "/" and serve.url_of("theme/css/site.css") == "/theme/css/site.css"


# --- the warm process on a small synthetic site --------------------------------------------------------------

@pytest.fixture(scope="module")
def project(tmp_path_factory):
    synthetic = load("synthetic_site", ROOT / "scripts" / "synthetic_site.py")
    site = synthetic.make_synthetic_root(tmp_path_factory.mktemp("warm") / "site", copies=1, communes=6)
    shutil.copytree(ROOT / "content", site / "content", dirs_exist_ok=True)
    return site


@pytest.fixture(scope="module")
def warm(project):
    builder = serve.WarmBuild(project / "output", extra=["-e", f'PATH="{project / "content"}"'])
    yield builder
    builder.stop()


def test_the_warm_process_builds_only_what_an_edit_changed_and_says_which(warm, project):
    first = warm.build()
    assert first["ok"], first["error"]
    assert "index.html" in first["changed"] and len(first["changed"]) > 200
    assert warm.build()["changed"] == []  # nothing changed, nothing written

    news = sorted((project / "content" / "actualites").glob("*.md"))[0]
    news.write_text(re.sub(r"^Title: (.*)$", r"Title: \1 (modifiée)", news.read_text("utf-8"), count=1, flags=re.M),
                    "utf-8")
    answer = warm.build()
    assert answer["ok"], answer["error"]
    slug = re.search(r"^Slug: (.*)$", news.read_text("utf-8"), re.M).group(1).strip()
    assert f"actualites/{slug}/index.html" in answer["changed"]
    assert not any(rel.startswith(("commune/", "association/")) for rel in answer["changed"])
    assert "(modifiée)" in (project / "output" / "actualites" / slug / "index.html").read_text("utf-8")


def test_a_broken_edit_is_reported_in_french_and_the_next_good_one_builds(warm, project):
    warm.build()
    data = project / "data" / "associations.yaml"
    good = data.read_text("utf-8")
    data.write_text(re.sub(r"(?m)^(  phone: ).*$", r"\g<1>06 00", good, count=1), "utf-8")
    answer = warm.build()
    assert not answer["ok"] and answer["changed"] == []
    assert "data/associations.yaml" in answer["error"] and "n'est pas valide" in answer["error"]
    data.write_text(good, "utf-8")
    assert warm.build()["ok"]


def test_a_dead_warm_process_is_replaced(warm):
    warm.build()
    warm.process.kill()
    warm.process.wait()
    assert warm.build()["ok"]


# --- the open page reloads by itself ------------------------------------------------------------------------

@pytest.fixture
def dev_server(tmp_path):
    """scripts/serve.py's site server on a free port, serving two pages, with its own build events."""
    for name in ("un", "deux"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text(f"<!doctype html><html><body><h1>{name}</h1></body></html>")
    reload = serve.LiveReload()
    handler = functools.partial(type("Handler", (serve.QuietHandler,), {"live_reload": reload,
                                                                       "log_request": lambda *a: None}),
                                directory=str(tmp_path))
    server = serve.http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", reload, tmp_path
    reload.close()
    server.shutdown()


def test_the_events_name_the_urls_a_build_changed(dev_server):
    url, reload, _ = dev_server
    with urllib.request.urlopen(f"{url}{serve.RELOAD_EVENTS}", timeout=10) as events:
        assert events.headers["Content-Type"] == "text/event-stream"
        assert events.readline() == b"retry: 1000\n"
        events.readline()
        threading.Timer(0.2, reload.publish, [["un/index.html", "theme/css/site.css"]]).start()
        assert json.loads(events.readline().removeprefix(b"data: ")) == ["/un/", "/theme/css/site.css"]


@pytest.fixture
def bare_page(browser):
    """A page without request routing: routing runs in this process, which the waits below block (the pages
    only load from the local server)."""
    context = browser.new_context(locale="fr-FR")
    tab = context.new_page()
    tab.errors = []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    yield tab
    context.close()


@pytest.mark.browser
def test_the_open_page_reloads_when_a_build_changes_it_and_only_then(bare_page, dev_server):
    page = bare_page
    url, reload, _ = dev_server
    page.goto(f"{url}/un/")
    assert reload.wait_for_listeners(1, timeout=30)  # the page's script listens
    page.evaluate("window.untouched = true; window.heard = 0; window.events = new EventSource('/__aai/builds');"
                  "window.events.onmessage = () => { window.heard += 1; }; true")
    page.wait_for_function("window.events.readyState === EventSource.OPEN")
    assert reload.wait_for_listeners(2, timeout=30)
    reload.publish(["deux/index.html", "sitemap.xml"])  # another page, and no style sheet or script
    page.wait_for_function("window.heard === 1")
    assert page.evaluate("window.untouched") is True
    with page.expect_event("load"):
        reload.publish(["un/index.html"])
    assert page.evaluate("window.untouched") is None  # a new page: it was reloaded
    assert page.locator("h1").inner_text() == "un"
    assert page.errors == []
