"""The graphic charter, in one package for the site and the print kit: colours, typefaces, logo, pictograms.

Its source is ``data/brand.yaml`` (with the fonts of ``theme/static/fonts/`` and the pictograms vendored in
``theme/static/vendor/tabler-icons/``). Everything made from it is made here, so the pages and the PDFs cannot
disagree on a colour, a typeface or the regional name in the logo:

- ``definition``: the charter as typed objects (``Brand``), read and checked with the rest of the data;
- ``contrast``: the WCAG contrast of two colours (the charter's pairs, the map's zone colours);
- ``stylesheets``: ``tokens.css`` (custom properties, @font-face) and the charter page's ``charte.css``;
- ``logo``: the regional logo, drawn as outlines of the charter's typeface;
- ``pictograms``: which drawing stands for which service or action, inline or from one sprite;
- ``theme_files``: the files the site serves under ``/theme/``, made into the build's cache and output, never
  into ``theme/``.

The package lives in ``model/`` because the charter is data the site is built from: it is loaded and checked by
the data model (``SiteData.brand``), with the same French messages naming file and line. Only ``definition``
and ``contrast`` are imported here: the rest (fontTools for the logo) loads when a build or the kit asks for it.
"""

from .contrast import contrast_ratio, relative_luminance
from .definition import FONTS_DIR, Brand, Colour, LogoRules, Pair, Typeface, load_brand, parse_brand

__all__ = ["FONTS_DIR", "Brand", "Colour", "LogoRules", "Pair", "Typeface", "contrast_ratio", "load_brand",
           "parse_brand", "relative_luminance"]
