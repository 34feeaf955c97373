"""Loads the data model into Pelican's context and renders the theme's standalone pages.

Every template then reads ``SITE_DATA`` (a ``model.SiteData``) instead of parsing YAML.
The build checks what ``make check`` checks — the data, then the contents' headers (warnings shown,
errors stop it) — and writes the form functions' routing table when ``ROUTING_TABLE`` names a file
(``make build`` does), so one process does it all.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from model import load_site
from model.content import check_content
from model.errors import DataError
from model.routing import write_routing_table
from rules.dates import french_date

logger = logging.getLogger(__name__)


def project_root(settings: dict) -> Path:
    """The repository root: the folder holding ``content/`` and ``data/``."""
    return Path(settings.get("DATA_ROOT") or Path(settings["PATH"]).parent)


# The data model of the last build of this process, with the dates of the files it was read from: a warm
# process (``make run``, plugins/pipeline/warm.py) reads data/ again only when a file of it changed.
_last: tuple[tuple, object] | None = None


def data_stamp(root: Path) -> tuple:
    """Path, date and size of every file the data model reads (data/, and the charter's fonts)."""
    folders = (root / "data", root / "theme" / "static" / "fonts")
    paths = sorted(p for folder in folders if folder.is_dir() for p in folder.rglob("*") if p.is_file())
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths)


def load_site_once(root: Path):
    global _last
    stamp = data_stamp(root)
    if _last is None or _last[0] != stamp:
        _last = None
        _last = (stamp, load_site(root))  # DataError stops the build with every problem.
    return _last[1]


def load_data(pelican) -> None:
    settings = pelican.settings
    site = load_site_once(project_root(settings))
    settings["SITE_DATA"] = site
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
