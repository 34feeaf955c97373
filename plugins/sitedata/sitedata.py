"""Loads the data model into Pelican's context and renders the theme's standalone pages.

Every template then reads ``SITE_DATA`` (a ``model.SiteData``) instead of parsing YAML.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from model import load_site
from rules.dates import french_date

logger = logging.getLogger(__name__)


def project_root(settings: dict) -> Path:
    """The repository root: the folder holding ``content/`` and ``data/``."""
    return Path(settings.get("DATA_ROOT") or Path(settings["PATH"]).parent)


def load_data(pelican) -> None:
    settings = pelican.settings
    site = load_site(project_root(settings))  # DataError stops the build with every problem.
    settings["SITE_DATA"] = site
    # Every absolute URL of a build (canonical, Open Graph, JSON-LD, sitemap, robots.txt) starts here: the build's
    # own SITEURL (production, staging or preview); a local build, whose links are relative, names production.
    settings["PUBLIC_URL"] = (settings.get("SITEURL") or site.settings.site_url).rstrip("/")
    settings.setdefault("JINJA_FILTERS", {}).update({"french_date": french_date})
    logger.info("Loaded %d associations and %d communes", len(site.associations),
                len(site.reference.communes))


class ThemePagesGenerator(Generator):
    """Renders each ``THEME_PAGES`` template (theme path → output path) with the full context."""

    def generate_output(self, writer) -> None:
        for template, save_as in self.settings.get("THEME_PAGES", {}).items():
            url = save_as.removesuffix("index.html")
            writer.write_file(save_as, self.get_template(template.removesuffix(".html")),
                              self.context, url=url, page_url=url)


def get_generators(pelican):
    return ThemePagesGenerator


def register() -> None:
    signals.initialized.connect(load_data)
    signals.get_generators.connect(get_generators)
