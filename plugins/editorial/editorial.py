"""The editorial side of the site: news vs press review, structured data, sitemap and search.

Wires the modules of this package to Pelican's signals:

- ``news``: press items leave the news flow (list, feed, pages) and feed the press review page;
  news naming an association (``Association:``) get its card, and its page lists them.
- ``jsonld``: schema.org data for every page (a Jinja global used by ``_jsonld.html``).
- ``sitemap``: ``sitemap.xml`` and ``robots.txt``, from the pages the build produced.
- ``search``: the Pagefind index, built once every page is written, when an indexed page changed.
"""

from __future__ import annotations

import logging

from pelican import signals
from pipeline import finishing_step

from . import jsonld, news, search, sitemap

logger = logging.getLogger(__name__)

# Theme template → output path, rendered by the sitedata plugin with the full context.
THEME_PAGES = {"recherche.html": "recherche/index.html"}


def initialized(pelican) -> None:
    settings = pelican.settings
    for template, save_as in THEME_PAGES.items():
        settings.setdefault("THEME_PAGES", {}).setdefault(template, save_as)
    settings.setdefault("JINJA_GLOBALS", {})["jsonld"] = jsonld.render


def write_sitemap(pelican, pipeline) -> None:
    sitemap.write_sitemap(pipeline.files, pelican.settings)
    sitemap.write_robots(pipeline.files, pelican.settings)


def build_search_index(pelican, pipeline) -> None:
    search.build_index(pipeline, pelican.settings)


def register() -> None:
    signals.initialized.connect(initialized)
    signals.article_generator_pretaxonomy.connect(news.split_press)
    signals.article_generator_finalized.connect(news.link_associations)
    finishing_step("sitemap", 20, write_sitemap)
    finishing_step("search index", 30, build_search_index)
