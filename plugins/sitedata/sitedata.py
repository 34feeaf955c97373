"""Loads the data model into Pelican's context and renders the theme's standalone pages.

Every template then reads ``SITE_DATA`` (a ``model.SiteData``, the build's ``site_build(settings).site``)
instead of parsing YAML.
The build checks what ``make check`` checks — the data, then the contents' headers (warnings shown,
errors stop it) — and writes the form functions' routing table when ``ROUTING_TABLE`` names a file
(``make build`` does), so one process does it all.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pelican import signals
from pelican.generators import Generator
from pipeline import site_build

from model.content import check_content
from model.errors import DataError
from model.routing import write_routing_table
from rules.dates import french_date

logger = logging.getLogger(__name__)


def load_data(pelican) -> None:
    settings = pelican.settings
    site = site_build(settings).site
    settings["SITE_DATA"] = site  # for the templates; plugins read site_build(settings).site
    # Every absolute URL of a build (canonical, Open Graph, JSON-LD, sitemap, robots.txt) starts here: the build's
    # own SITEURL (production, staging or preview); a local build, whose links are relative, names production.
    settings["PUBLIC_URL"] = (settings.get("SITEURL") or site.settings.site_url).rstrip("/")
    settings.setdefault("JINJA_FILTERS", {}).update({"french_date": french_date})
    logger.info("Loaded %d associations and %d communes", len(site.associations),
                len(site.reference.communes))
    check_contents(settings, site)
    if settings.get("ROUTING_TABLE"):
        path = Path(settings["ROUTING_TABLE"])
        if write_routing_table(site, path):
            logger.info("Routing table written: %s", path)


def check_contents(settings: dict, site) -> None:
    """The checks of ``make check`` on the contents: warnings shown, errors stop the build."""
    problems = [*site.warnings, *check_content(Path(settings["PATH"]).parent, site)]
    for problem in problems:
        if problem.warning:
            logger.warning("%s", problem)
    errors = [p for p in problems if not p.warning]
    if errors:
        raise DataError(errors)


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
