"""One page of every kind passes the W3C Nu HTML checker (vnu, run locally with Java)."""

from __future__ import annotations

import shutil

from support_html import html_errors

PAGES = [
    "index.html", "trouver/index.html", "commune/33394-saint-emilion/index.html", "commune/24004-ajat/index.html",
    "departement/33-gironde/index.html", "association/index.html", "association/ai-libournais/index.html",
    "association/ai-libournais/demande/index.html", "association/ai-libournais/rappel/index.html",
    "association/ai-libournais/demande-pro/index.html", "professionnels/index.html",
    "rappel/index.html", "merci/index.html", "carte/index.html", "services/index.html",
    "charte-qualite/index.html", "charte-graphique/index.html", "actualites/index.html",
    "revue-de-presse/index.html", "partenaires/index.html", "plan-du-site/index.html", "recherche/index.html",
    "donnees-personnelles/index.html", "accessibilite/index.html", "404.html",
]


def test_pages_are_valid_html5(built_site, tmp_path):
    for page in PAGES:
        target = tmp_path / page
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(built_site / page, target)
    article = next((built_site / "actualites").glob("*/index.html"))
    shutil.copy(article, tmp_path / "article.html")
    assert html_errors(tmp_path, "--skip-non-html") == ""
