"""model/quality_charter.py: the charter page's commitments, read where the editors write them."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.errors import DataError
from model.quality_charter import PAGE, load_quality_charter

ROOT = Path(__file__).resolve().parents[2]


def test_the_pages_title_and_its_numbered_commitments():
    charter = load_quality_charter(ROOT)
    assert charter.title == "Charte qualité de la relation client"
    leads = [c.lead for c in charter.commitments]
    assert len(leads) == 12
    assert leads[1] == "Vous répondre sous 48 heures."
    assert leads[2] == "Vous proposer un intervenant sous 72 heures."
    assert leads[-1] == "Former nos intervenants."
    assert all("**" not in c.lead + c.detail for c in charter.commitments)


def test_a_link_is_reduced_to_its_text(tmp_path):
    page = tmp_path / PAGE
    page.parent.mkdir(parents=True)
    page.write_text("Title: Charte\n\n## Nos engagements\n\n1. **Protéger vos données.** Voir la page "
                    "[Données personnelles]({filename}donnees-personnelles.md).\n\n## Ensuite\n\n"
                    "2. **Pas un engagement.** Hors de la section.\n", "utf-8")
    charter = load_quality_charter(tmp_path)
    assert charter.title == "Charte"
    assert [(c.lead, c.detail) for c in charter.commitments] == [
        ("Protéger vos données.", "Voir la page Données personnelles.")]


@pytest.mark.parametrize("text", [None, "Title: Charte\n\n## Nos engagements\n\nÀ venir.\n"],
                         ids=["no-page", "no-commitment"])
def test_a_page_without_commitments_stops_with_a_french_message(tmp_path, text):
    if text is not None:
        (tmp_path / PAGE).parent.mkdir(parents=True)
        (tmp_path / PAGE).write_text(text, "utf-8")
    with pytest.raises(DataError) as error:
        load_quality_charter(tmp_path)
    assert "charte" in error.value.report() and "content/pages/charte-qualite.md" in error.value.report()
