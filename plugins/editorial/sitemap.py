"""``sitemap.xml`` and ``robots.txt``, written from the finished output folder.

Walking the output on ``finalized`` lists every page whatever wrote it (Pelican, the
directory plugin, the theme pages, the forms), the 2,228 commune pages included.
Left out: the 404 page, the search index and pages that ask not to be indexed.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

logger = logging.getLogger(__name__)

SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
EXCLUDED = {"404.html"}
EXCLUDED_FOLDERS = {"pagefind", "theme", "feeds"}
NOINDEX = re.compile(r"<meta\s+name=[\"']robots[\"']\s+content=[\"'][^\"']*noindex", re.I)
MAX_URLS = 50_000  # the protocol's limit for one file


def base_url(settings: dict) -> str:
    """The build's public address (plugins/sitedata): a staging build's sitemap names staging pages."""
    return settings.get("PUBLIC_URL") or settings.get("SITEURL", "").rstrip("/")


def page_paths(output: Path) -> list[str]:
    """Output-relative URLs of the indexable HTML pages: ``commune/…/`` for ``commune/…/index.html``."""
    urls = []
    for path in output.rglob("*.html"):
        relative = path.relative_to(output)
        if relative.parts[0] in EXCLUDED_FOLDERS or relative.as_posix() in EXCLUDED:
            continue
        if NOINDEX.search(path.read_text("utf-8", errors="replace")):
            continue
        text = relative.as_posix()
        urls.append(text.removesuffix("index.html"))
    return sorted(urls, key=lambda u: (u.count("/"), u))


def write_sitemap(output, settings: dict) -> Path:
    output = Path(output)
    base = base_url(settings)
    urls = page_paths(output)
    if len(urls) > MAX_URLS:
        logger.warning("sitemap.xml: %d URLs, more than the %d one file may hold", len(urls), MAX_URLS)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"<url><loc>{escape(base + '/' + quote(url))}</loc></url>" for url in urls]
    lines.append("</urlset>\n")
    path = output / SITEMAP
    path.write_text("\n".join(lines), encoding="utf-8")
    logger.info("Sitemap: %d pages", len(urls))
    return path


def write_robots(output, settings: dict) -> Path:
    """Everything may be crawled; the sitemap says where the pages are. An editor's
    ``content/extra/robots.txt`` copied by Pelican wins."""
    path = Path(output) / ROBOTS
    if path.exists() and "Sitemap:" in path.read_text("utf-8"):
        return path
    path.write_text(f"User-agent: *\nDisallow:\n\nSitemap: {base_url(settings)}/{SITEMAP}\n",
                    encoding="utf-8")
    return path
