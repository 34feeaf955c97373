"""Pages keep working under the production Content-Security-Policy of infra/site.yaml.

The policy forbids inline scripts and styles: a page that relied on them would work locally and break
behind CloudFront. The session's site server (tests/conftest.py) sends the same header, so every browser
test runs under it; each page type is checked for violations in test_mobile.py's visit of it.
"""

from __future__ import annotations

import urllib.request

import pytest
from pelicanconf import FORMS_ENDPOINT

from support_infra import production_policy

pytestmark = pytest.mark.browser


def test_policy_forbids_inline_code():
    policy = production_policy("https://formulaires.example.org")
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy  # only 'wasm-unsafe-eval', for the search index


def test_the_test_server_sends_production_policy(site_url):
    with urllib.request.urlopen(f"{site_url}/carte/") as answer:
        assert answer.headers["Content-Security-Policy"] == production_policy(FORMS_ENDPOINT)


def test_map_markers_appear_under_the_policy(page, site_url, site_data):
    page.goto(f"{site_url}/association/ai-libournais/")
    page.locator(".leaflet-marker-icon").first.wait_for()
    assert page.locator(".leaflet-marker-icon").count() == 1


def test_search_works_under_the_policy(page, site_url):
    page.goto(f"{site_url}/recherche/?q=jardinage")
    page.locator("#search-results li").first.wait_for(timeout=15000)
    assert page.locator("#search-results a[href$='/services/']").count() >= 1
