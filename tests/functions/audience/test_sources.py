"""Landings per measured source (issue 25, item 3): counted from the CDN's log like referrers, checked against the
one list (rules/sources.py); an unknown ``?source=`` counts nowhere."""

from __future__ import annotations

import gzip
import io

from support_audience import ANDROID, DESKTOP, HOST, IPHONE, PARTNERS, SECRET, SITE, SyntheticLog, paris

from chalicelib.audience.figures import MonthFigures, month_figures
from rules.sources import KnownSources

KNOWN = KnownSources(communes=frozenset({"33394", "33063"}), partners=frozenset({"gironde"}))
AI_PAGE = "/association/ai-libournais/"


def landings() -> SyntheticLog:
    log = SyntheticLog()
    # A scans the flyer's QR code, reads the page, opens the order form (the link carries the source: counted once).
    a = ("198.51.100.31", IPHONE)
    log.page(paris(4, 9, 0), *a, AI_PAGE, query="source=kit-plaquette")
    log.page(paris(4, 9, 2), *a, AI_PAGE + "demande/", query="source=kit-plaquette", referrer=SITE + AI_PAGE)
    # B and C come by Saint-Émilion's town-hall card; D by a partner's banner; E by the flyer, another day.
    log.page(paris(5, 14, 0), "198.51.100.32", DESKTOP, "/commune/33394-saint-emilion/", query="source=mairie-33394",
             referrer="https://www.saint-emilion.fr/")
    log.page(paris(6, 14, 0), "198.51.100.33", ANDROID, "/commune/33394-saint-emilion/", query="source=mairie-33394")
    log.page(paris(7, 11, 0), "198.51.100.34", DESKTOP, "/", query="source=partenaire-gironde",
             referrer="https://www.gironde.fr/insertion")
    log.page(paris(20, 18, 0), "198.51.100.35", ANDROID, AI_PAGE, query="source=kit-plaquette&utm=x")
    # Unknown or forged sources count nowhere: a made-up slug, a commune outside the data, markup, two values.
    log.page(paris(8, 10, 0), "198.51.100.36", DESKTOP, "/", query="source=kit-inconnu")
    log.page(paris(8, 11, 0), "198.51.100.37", DESKTOP, "/", query="source=mairie-99999")
    log.page(paris(8, 12, 0), "198.51.100.38", DESKTOP, "/", query="source=%3Cscript%3E")
    log.page(paris(8, 13, 0), "198.51.100.39", DESKTOP, "/", query="source=presse&source=parrainage")
    # A robot following the flyer's link is not a landing; nor is a landing of another month.
    log.page(paris(9, 3, 0), "66.249.66.1", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
             AI_PAGE, query="source=kit-plaquette")
    log.page(paris(1, 0, 30, month=12), "198.51.100.40", DESKTOP, AI_PAGE, query="source=kit-plaquette")
    return log


def figures_of(lines) -> MonthFigures:
    return month_figures(lines, "2026-11", secret=SECRET, partners=PARTNERS, site_hosts=[HOST], sources=KNOWN)


def test_landings_are_counted_per_known_source_once_per_visit():
    figures = figures_of(landings().lines())
    assert figures.sources == {"kit-plaquette": 2, "mairie-33394": 2, "partenaire-gironde": 1}
    assert figures.visits == 9   # A (two pages), B, C, D, E and the four unknown sources


def test_from_cloudfronts_gzip_files_and_kept_with_the_months_figures():
    files = landings().cloudfront_files(files_per_hour=2)
    lines = (line for _, body in sorted(files.items())
             for line in io.TextIOWrapper(gzip.GzipFile(fileobj=io.BytesIO(body)), encoding="utf-8"))
    figures = figures_of(lines)
    again = MonthFigures.from_dict(figures.to_dict())
    assert again.sources == {"kit-plaquette": 2, "mairie-33394": 2, "partenaire-gironde": 1}


def test_without_the_data_only_the_fixed_slugs_count():
    figures = month_figures(landings().lines(), "2026-11", secret=SECRET, site_hosts=[HOST])
    assert figures.sources == {"kit-plaquette": 2}
