"""Keeps the site on the graphic charter: ``data/brand.yaml`` → ``tokens.css`` and the logo files.

On ``initialized`` (before the theme's static files are copied) the derived files in
``theme/static/`` are regenerated when their content differs, so editors change a colour in one
YAML file and the site follows. The charter itself goes into the context as ``BRAND`` for the
« Charte graphique » page, with its contrast ratios, and ``KIT_DOCUMENTS`` lists the files that
``python -m kit`` writes under ``/kit/<ai-id>/`` for each association's page to link to.
Templates draw the charter's pictograms with ``{{ icon("phone") }}`` or ``{{ icon(service.icon) }}``.
"""

from __future__ import annotations

import logging
import sys
from functools import lru_cache
from pathlib import Path

from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals

logger = logging.getLogger(__name__)
REPO = Path(__file__).resolve().parents[2]  # the kit package sits there, beside model/

@pass_context
def icon(context, name: str, css_class: str = "icon"):
    """``{{ icon("phone") }}``: a pictogram (model.pictograms) drawn from the site's sprite file."""
    return _icon(name, context.get("SITEURL", ""), css_class)


@lru_cache(maxsize=1024)  # some twenty on each of the 35,648 commune pages of France
def _icon(name: str, siteurl: str, css_class: str) -> Markup:
    from model.pictograms import use_svg
    return Markup(use_svg(name, f"{siteurl}/theme/images/pictos.svg", css_class))


def project_root(settings: dict) -> Path:
    return Path(settings.get("DATA_ROOT") or Path(settings["PATH"]).parent).resolve()


def apply_charter(pelican) -> None:
    root = project_root(pelican.settings)
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from kit.brand import load_brand, write_generated
    from kit.documents import CHARTER_PDF, DOCUMENTS, zip_name
    from model.digest import digest

    site = pelican.settings.get("SITE_DATA")  # loaded by plugins/sitedata when it runs first
    # A broken data/brand.yaml already stopped the data model with French messages and lines.
    brand = site.brand if site else load_brand(root)
    cache = pelican.settings.get("CACHE_PATH")
    write_generated(brand, stamp=Path(cache) / "charter" / digest(str(root))[:12] if cache else None)
    pelican.settings["BRAND"] = brand
    pelican.settings["CHARTER_PDF_URL"] = f"kit/{CHARTER_PDF}"
    pelican.settings["KIT_DOCUMENTS"] = DOCUMENTS
    pelican.settings.setdefault("JINJA_FILTERS", {})["kit_zip"] = zip_name
    pelican.settings.setdefault("JINJA_GLOBALS", {})["icon"] = icon
    logger.info("Charter: %d colours, typeface %s", len(brand.colours),
                brand.typeface("body").family)


def register() -> None:
    signals.initialized.connect(apply_charter)
