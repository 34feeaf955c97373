"""The editorial side of the site: news vs press review, structured data, sitemap and search.

Wires the modules of this package to Pelican's signals:

- ``news``: press items leave the news flow (list, feed, pages) and feed the press review page;
  news naming an association (``Association:``) get its card, and its page lists them.
- ``jsonld``: schema.org data for every page (a Jinja global used by ``_jsonld.html``).
- ``sitemap``: ``sitemap.xml`` and ``robots.txt``, from the finished output folder.
- ``search``: the Pagefind index, built once every page is written.
"""

from __future__ import annotations

import logging

from pelican import signals

from . import jsonld, news, search, sitemap

logger = logging.getLogger(__name__)

# Theme template → output path, rendered by the sitedata plugin with the full context.
THEME_PAGES = {"recherche.html": "recherche/index.html"}


def initialized(pelican) -> None:
    settings = pelican.settings
    for template, save_as in THEME_PAGES.items():
        settings.setdefault("THEME_PAGES", {}).setdefault(template, save_as)
    settings.setdefault("JINJA_GLOBALS", {})["jsonld"] = jsonld.render


def finalized(pelican) -> None:
    sitemap.write_sitemap(pelican.output_path, pelican.settings)
    sitemap.write_robots(pelican.output_path, pelican.settings)
    search.build_index(pelican.output_path, pelican.settings)


def register() -> None:
    signals.initialized.connect(initialized)
    signals.article_generator_pretaxonomy.connect(news.split_press)
    signals.article_generator_finalized.connect(news.link_associations)
    signals.finalized.connect(finalized)
