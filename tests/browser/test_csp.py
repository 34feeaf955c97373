"""Pages keep working under the production Content-Security-Policy of infra/site.yaml.

The policy forbids inline scripts and styles: a page that relied on them would work
locally and break behind CloudFront. Served here with the same header, in Chromium.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["", "carte/", "association/ai-libournais/", "departement/33-gironde/",
         "association/ai-libournais/demande/", "rappel/", "recherche/?q=jardinage", "trouver/"]


def production_policy(forms_endpoint: str) -> str:
    text = (ROOT / "infra" / "site.yaml").read_text("utf-8")
    block = re.search(r"ContentSecurityPolicy: !Sub >-\n((?:\s{14,}.*\n)+)", text).group(1)
    policy = " ".join(line.strip() for line in block.splitlines())
    return (policy.replace("${TilesUrl}", "https://tile.openstreetmap.org")
            .replace("${FormsEndpoint}", forms_endpoint))


@pytest.fixture(scope="module")
def csp_site_url(built_site):
    policy = production_policy("http://localhost:8001")

    class Handler(http.server.SimpleHTTPRequestHandler):
        def end_headers(self):
            self.send_header("Content-Security-Policy", policy)
            super().end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(Handler, directory=str(built_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_policy_forbids_inline_code():
    policy = production_policy("https://formulaires.example.org")
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy  # only 'wasm-unsafe-eval', for the search index


@pytest.mark.parametrize("path", PAGES)
def test_no_policy_violation(page, csp_site_url, path):
    page.add_init_script("""
        window.cspViolations = [];
        document.addEventListener('securitypolicyviolation', e =>
            window.cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));
    """)
    page.goto(f"{csp_site_url}/{path}")
    page.wait_for_load_state("networkidle")
    violations = [v for v in page.evaluate("window.cspViolations")
                  if "tile.openstreetmap.org" not in v]
    assert violations == [], violations
    assert page.errors == []


def test_map_markers_appear_under_the_policy(page, csp_site_url, site_data):
    page.goto(f"{csp_site_url}/association/ai-libournais/")
    page.locator(".leaflet-marker-icon").first.wait_for()
    assert page.locator(".leaflet-marker-icon").count() == 1


def test_search_works_under_the_policy(page, csp_site_url):
    page.goto(f"{csp_site_url}/recherche/?q=jardinage")
    page.locator("#search-results li").first.wait_for(timeout=15000)
    assert page.locator("#search-results a[href$='/services/']").count() >= 1
