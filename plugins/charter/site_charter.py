"""Keeps the site on the graphic charter: ``data/brand.yaml`` → ``tokens.css``, the logo and the pictograms.

On ``initialized`` the theme files made from the charter (model/charter/theme_files.py) are handed to the build
(``SiteBuild.theme_files``), which writes them into the output with the theme's static files: editors change a
colour in one YAML file and the site follows, and nothing is written into ``theme/``. They are read back from
the build's cache (``CACHE_PATH``) when their inputs did not change. The charter itself goes into the context as
``BRAND`` for the « Charte graphique » page, with its contrast ratios, and ``KIT_DOCUMENTS`` lists the files
that ``python -m kit`` writes under ``/kit/<ai-id>/`` for each association's page to link to
(``association | kit_documents``: with the quality charter posters for its signatories, ``KIT_CHARTER_POSTERS``).
Templates draw the charter's pictograms with ``{{ icon("phone") }}`` or ``{{ icon(service.icon) }}``.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals
from pipeline import site_build

from kit.documents import CHARTER_PDF, CHARTER_POSTERS, DOCUMENTS, documents_for, zip_name
from model.charter.pictograms import use_svg
from model.charter.theme_files import PICTOGRAMS_SVG, cached_theme_files

logger = logging.getLogger(__name__)
CACHE_FOLDER = "charter"  # under CACHE_PATH


@pass_context
def icon(context, name: str, css_class: str = "icon"):
    """``{{ icon("phone") }}``: a pictogram (model.charter.pictograms) drawn from the site's sprite file."""
    return _icon(name, context.get("SITEURL", ""), context.get("THEME_STATIC_DIR", "theme"), css_class)


@lru_cache(maxsize=1024)  # some twenty on each of the 35,648 commune pages of France
def _icon(name: str, siteurl: str, static_dir: str, css_class: str) -> Markup:
    return Markup(use_svg(name, f"{siteurl}/{static_dir}/{PICTOGRAMS_SVG}", css_class))


def apply_charter(pelican) -> None:
    settings = pelican.settings
    build = site_build(settings)
    # A broken data/brand.yaml already stopped the data model with French messages and lines.
    brand = build.site.brand
    cache = settings.get("CACHE_PATH")
    build.theme_files.update(cached_theme_files(brand, Path(cache) / CACHE_FOLDER if cache else None).files)
    settings["BRAND"] = brand
    settings["CHARTER_PDF_URL"] = f"kit/{CHARTER_PDF}"
    settings["KIT_DOCUMENTS"] = DOCUMENTS
    settings["KIT_CHARTER_POSTERS"] = CHARTER_POSTERS
    settings.setdefault("JINJA_FILTERS", {})["kit_zip"] = zip_name
    settings["JINJA_FILTERS"]["kit_documents"] = documents_for
    settings.setdefault("JINJA_GLOBALS", {})["icon"] = icon
    logger.info("Charter: %d colours, typeface %s", len(brand.colours), brand.typeface("body").family)


def register() -> None:
    signals.initialized.connect(apply_charter)
