"""``sitemap.xml`` and ``robots.txt``, from the pages the build produced.

The build's ledger (plugins/pipeline) knows every page whatever wrote it (Pelican, the directory
plugin, the theme pages, the forms), the commune pages included, and whether it asks not to be
indexed: no page is read again. Left out: the 404 page, the search index and noindex pages.
Past 50,000 pages (the protocol's limit for one file) ``sitemap.xml`` becomes a sitemap index
naming ``sitemap-1.xml``, ``sitemap-2.xml``…, so robots.txt always names the same file.
"""

from __future__ import annotations

import logging
from urllib.parse import quote
from xml.sax.saxutils import escape

logger = logging.getLogger(__name__)

SITEMAP = "sitemap.xml"
PART = "sitemap-{}.xml"
ROBOTS = "robots.txt"
EXCLUDED = {"404.html"}
EXCLUDED_FOLDERS = {"pagefind", "theme", "feeds"}
MAX_URLS = 50_000  # the protocol's limit for one file
NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def base_url(settings: dict) -> str:
    """The build's public address (plugins/sitedata): a staging build's sitemap names staging pages."""
    return settings.get("PUBLIC_URL") or settings.get("SITEURL", "").rstrip("/")


def page_paths(files) -> list[str]:
    """Output-relative URLs of the indexable HTML pages: ``commune/…/`` for ``commune/…/index.html``."""
    urls = []
    for rel, facts in files.pages.items():
        if rel not in files.produced or not facts.indexable:
            continue
        if rel.split("/", 1)[0] in EXCLUDED_FOLDERS or rel in EXCLUDED:
            continue
        urls.append(rel.removesuffix("index.html"))
    return sorted(urls, key=lambda u: (u.count("/"), u))


def _document(root: str, entries: list[str]) -> str:
    return "\n".join(['<?xml version="1.0" encoding="UTF-8"?>', f'<{root} xmlns="{NAMESPACE}">', *entries,
                      f"</{root}>\n"])


def write_sitemap(files, settings: dict, max_urls: int = MAX_URLS) -> list[str]:
    """Write the sitemap (an index and its parts past ``max_urls`` pages); return the files written."""
    base = base_url(settings)
    urls = page_paths(files)
    entries = [f"<url><loc>{escape(base + '/' + quote(url))}</loc></url>" for url in urls]
    if len(entries) <= max_urls:
        files.write(SITEMAP, _document("urlset", entries))
        logger.info("Sitemap: %d pages", len(urls))
        return [SITEMAP]
    names = []
    for start in range(0, len(entries), max_urls):
        name = PART.format(len(names) + 1)
        files.write(name, _document("urlset", entries[start:start + max_urls]))
        names.append(name)
    files.write(SITEMAP, _document("sitemapindex", [f"<sitemap><loc>{escape(base + '/' + name)}</loc></sitemap>"
                                                    for name in names]))
    logger.info("Sitemap: %d pages in %d files, named by the index %s", len(urls), len(names), SITEMAP)
    return [SITEMAP, *names]


def write_robots(files, settings: dict) -> str:
    """Everything may be crawled; the sitemap says where the pages are. An editor's
    ``content/extra/robots.txt`` copied by Pelican wins."""
    if ROBOTS in files.produced and "Sitemap:" in files.read_text(ROBOTS):
        return ROBOTS
    files.write(ROBOTS, f"User-agent: *\nDisallow:\n\nSitemap: {base_url(settings)}/{SITEMAP}\n")
    return ROBOTS
