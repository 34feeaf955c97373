"""Content-Type and Cache-Control rules, without any server."""

import pytest

from deploy.headers import IMMUTABLE_CACHE, MEDIUM_CACHE, SHORT_CACHE, cache_control, content_type
from deploy.sync import invalidation_paths


@pytest.mark.parametrize(
    ("key", "ctype"),
    [
        ("a/index.html", "text/html; charset=utf-8"),
        ("theme/css/site.css", "text/css; charset=utf-8"),
        ("theme/js/app.js", "text/javascript; charset=utf-8"),
        ("x.json", "application/json; charset=utf-8"),
        ("sitemap.xml", "application/xml; charset=utf-8"),
        ("logo.svg", "image/svg+xml; charset=utf-8"),
        ("logo.PNG", "image/png"),
        ("f.woff2", "font/woff2"),
        ("kit.pdf", "application/pdf"),
        ("kit.zip", "application/zip"),
        ("site.webmanifest", "application/manifest+json; charset=utf-8"),
        ("robots.txt", "text/plain; charset=utf-8"),
        ("inconnu.bin", "application/octet-stream"),
    ],
)
def test_content_type(key, ctype):
    assert content_type(key) == ctype


@pytest.mark.parametrize(
    ("key", "cache"),
    [
        ("index.html", SHORT_CACHE),
        ("feeds/all.atom.xml", SHORT_CACHE),
        ("pagefind/pagefind-entry.json", SHORT_CACHE),
        ("theme/css/site.3f9a1c2b.css", IMMUTABLE_CACHE),
        ("theme/js/app-0a1b2c3d4e.js", IMMUTABLE_CACHE),
        ("theme/css/site.css", MEDIUM_CACHE),
        ("images/photo.png", MEDIUM_CACHE),
        ("images/decembre.png", MEDIUM_CACHE),
        ("presse/pdf/bilan-20250101.pdf", MEDIUM_CACHE),
        ("pagefind/fragment/fr_798c7ad.pf_fragment", IMMUTABLE_CACHE),
        ("pagefind/pagefind.fr_a0ea6b26f2.pf_meta", IMMUTABLE_CACHE),
        ("pagefind/pagefind.js", MEDIUM_CACHE),
    ],
)
def test_cache_control(key, cache):
    assert cache_control(key) == cache


def test_invalidation_paths_include_folder_urls_and_quote():
    assert invalidation_paths(["index.html", "a/b/index.html", "a/é t.png"]) == [
        "/", "/a/%C3%A9%20t.png", "/a/b/", "/a/b/index.html", "/index.html",
    ]
