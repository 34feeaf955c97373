"""Fixtures for the audience tests: the synthetic month, and the figures it must give."""

from __future__ import annotations

import functools
import http.server
import importlib.util
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from support_audience import DESKTOP, november_2026

from chalicelib.audience.cloudfront import LocalAccessLog


@pytest.fixture(scope="session")
def november():
    return november_2026()


@pytest.fixture(scope="session")
def expected_november() -> dict:
    """The synthetic month's figures, counted by hand from support_audience.november_2026's story."""
    return {
        "month": "2026-11",
        "visits": 8,                # A twice, B, C, D twice (midnight), E, F
        "page_views": 19,
        "visit_seconds": 4860.0,    # A 21 min + B 45 min + D 10 min + E 5 min
        "robot_page_views": 12,
        "pages": {
            "/": 3, "/actualites/jardinage-de-printemps/": 1, "/association/ai-bordeaux/": 1,
            "/association/ai-bordeaux/rappel/": 1, "/association/ai-libournais/": 2,
            "/association/ai-libournais/demande/": 1, "/carte/": 1, "/commune/33063-bordeaux/": 1,
            "/commune/33394-saint-emilion/": 1, "/merci/": 4, "/rappel/": 1, "/services/": 1, "/trouver/": 1,
        },
        "arrivals": {"direct": 3, "other": 1, "partner": 1, "search": 2, "social": 1},
        "referrer_domains": {"duckduckgo.com": 1, "facebook.com": 1, "gironde.fr": 1, "google.fr": 1,
                             "sudouest.fr": 1},
        "devices": {"desktop": 4, "mobile": 3, "tablet": 1},
        "association_views": {"ai-bordeaux": 1, "ai-libournais": 2},
        "commune_views": {"33063": 1, "33394": 1},
        "sources": {},
        "funnel": {"directory_views": 7, "form_views": 3, "form_posts": 3},
        "association_funnels": {
            "aai": {"directory_views": 0, "form_views": 1, "form_posts": 1},
            "ai-bordeaux": {"directory_views": 1, "form_views": 1, "form_posts": 1},
            "ai-libournais": {"directory_views": 2, "form_views": 1, "form_posts": 1},
        },
    }


SERVE = Path(__file__).resolve().parents[3] / "scripts" / "serve.py"
PAGES = ["index.html", "trouver/index.html", "commune/33063-bordeaux/index.html",
         "commune/33394-saint-emilion/index.html",
         "association/ai-bordeaux/index.html", "association/ai-bordeaux/rappel/index.html", "merci/index.html",
         "association/ai-libournais/index.html", "association/ai-libournais/demande/index.html"]


def load_serve():
    spec = importlib.util.spec_from_file_location("aai_serve_for_audience", SERVE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def local_site(tmp_path, monkeypatch):
    """serve.py's QuietHandler on a free port, over a small site, logging to a temporary var/access-logs."""
    serve = load_serve()
    site = tmp_path / "output"
    for page in PAGES:
        (site / page).parent.mkdir(parents=True, exist_ok=True)
        (site / page).write_text("<!doctype html><title>Page</title>", encoding="utf-8")
    (site / "theme" / "css").mkdir(parents=True)
    (site / "theme" / "css" / "site.css").write_text("body{}", encoding="utf-8")
    logs = tmp_path / "var" / "access-logs"
    monkeypatch.setattr(serve, "ACCESS_LOG", LocalAccessLog(logs))
    now = [0.0]
    monkeypatch.setattr(serve.QuietHandler, "clock", staticmethod(lambda: now[0]))
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(serve.QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"

    def fetch(when: float, path: str, agent: str = DESKTOP, referrer: str = "") -> int:
        now[0] = when
        headers = {"User-Agent": agent, **({"Referer": referrer} if referrer else {})}
        try:
            with urllib.request.urlopen(urllib.request.Request(base + path, headers=headers)) as answer:
                return answer.status
        except urllib.error.HTTPError as error:
            return error.code

    yield fetch, logs, base
    server.shutdown()
    server.server_close()
