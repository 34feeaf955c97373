"""Fixtures for the audience tests: the synthetic month, and the figures it must give."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support_audience import november_2026  # noqa: E402


@pytest.fixture(scope="session")
def november():
    return november_2026()


@pytest.fixture(scope="session")
def expected_november() -> dict:
    """The synthetic month's figures, counted by hand from support_audience.november_2026's story."""
    return {
        "month": "2026-11",
        "visits": 8,                # A twice, B, C, D twice (midnight), E, F
        "page_views": 19,
        "visit_seconds": 4860.0,    # A 21 min + B 45 min + D 10 min + E 5 min
        "robot_page_views": 12,
        "pages": {
            "/": 3, "/actualites/jardinage-de-printemps/": 1, "/association/ai-bordeaux/": 1,
            "/association/ai-bordeaux/rappel/": 1, "/association/ai-libournais/": 2,
            "/association/ai-libournais/demande/": 1, "/carte/": 1, "/commune/33063-bordeaux/": 1,
            "/commune/33394-saint-emilion/": 1, "/merci/": 4, "/rappel/": 1, "/services/": 1, "/trouver/": 1,
        },
        "arrivals": {"direct": 3, "other": 1, "partner": 1, "search": 2, "social": 1},
        "referrer_domains": {"duckduckgo.com": 1, "facebook.com": 1, "gironde.fr": 1, "google.fr": 1,
                             "sudouest.fr": 1},
        "devices": {"desktop": 4, "mobile": 3, "tablet": 1},
        "association_views": {"ai-bordeaux": 1, "ai-libournais": 2},
        "commune_views": {"33063": 1, "33394": 1},
        "funnel": {"directory_views": 7, "form_views": 3, "form_posts": 3},
        "association_funnels": {
            "aai": {"directory_views": 0, "form_views": 1, "form_posts": 1},
            "ai-bordeaux": {"directory_views": 1, "form_views": 1, "form_posts": 1},
            "ai-libournais": {"directory_views": 2, "form_views": 1, "form_posts": 1},
        },
    }
