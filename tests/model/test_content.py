"""Editors' Markdown metadata is checked in French before Pelican sees it."""

import pytest

from model import load_site
from model.content import check_content

NEWS = ("Title: Bien\nDate: 2026-03-02 10:00\nSlug: bien\nCategory: Actualités\n"
        "Summary: Une phrase de résumé.")
PRESS = ("Title: Un article\nDate: 2026-03-03 08:00\nSlug: presse-un-article\nCategory: Revue de presse\n"
         "Publication: La Voix des Gaves\nLink: https://voix.example.org/a\nSummary: Un résumé.")
PAGE = "Title: Mentions\nSlug: mentions\nSummary: Qui édite le site."


def write(root, folder, name, header):
    path = root / "content" / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + "\n\nTexte.\n\n## Un intertitre\n", "utf-8")


def problems(root) -> list[str]:
    return [str(p) for p in check_content(root, load_site(root))]


def test_content_problems_name_file_and_line(data_root):
    write(data_root, "actualites", "ok.md", NEWS)
    write(data_root, "actualites", "date.md", NEWS.replace("2026-03-02 10:00", "02/03/2026"))
    write(data_root, "actualites", "ai.md", NEWS + "\nAssociation: ai-inconnue")
    write(data_root, "actualites", "notitle.md", NEWS.replace("Title: Bien\n", ""))
    found = problems(data_root)
    assert "content/actualites/date.md:2 : la date « 02/03/2026 » n'est pas comprise ; écrivez-la " \
           "AAAA-MM-JJ ou AAAA-MM-JJ HH:MM, par exemple 2026-03-02 10:00." in found
    assert "content/actualites/ai.md:6 : l'association « ai-inconnue » n'existe pas dans " \
           "data/associations.yaml ; recopiez son champ « id »." in found
    assert any(p.startswith("content/actualites/notitle.md:1 : il manque la ligne « Title: »") for p in found)
    assert not any("ok.md" in p for p in found)


def test_valid_news_press_and_page_pass(data_root):
    write(data_root, "actualites", "a.md", NEWS)
    write(data_root, "presse", "b.md", PRESS)
    write(data_root, "presse", "c.md", PRESS.replace("Link: https://voix.example.org/a", "Pdf: {static}/x.pdf"))
    write(data_root, "pages", "c.md", PAGE)
    assert problems(data_root) == []


@pytest.mark.parametrize("typed, meant", [
    ("Sumary", "Summary"), ("summary_", "Summary"), ("Titel", "Title"), ("Categorie", "Category"),
    ("Event_dat", "Event_date"), ("Assocation", "Association"),
])
def test_misspelled_key_is_an_error_with_a_suggestion(data_root, typed, meant):
    write(data_root, "actualites", "faute.md", NEWS + f"\n{typed}: valeur")
    assert f"content/actualites/faute.md:6 : « {typed} » n'est pas un champ connu de l'en-tête ; le site " \
           f"l'ignorerait. Vouliez-vous dire « {meant} » ?" in problems(data_root)


def test_the_issue_case_sumary_instead_of_summary(data_root):
    write(data_root, "actualites", "faute.md", NEWS.replace("Summary:", "Sumary:"))
    # One error, on the misspelled line; not a second one saying Summary is missing.
    assert problems(data_root) == [
        "content/actualites/faute.md:5 : « Sumary » n'est pas un champ connu de l'en-tête ; le site "
        "l'ignorerait. Vouliez-vous dire « Summary » ?",
    ]


def test_missing_summary_says_why_it_matters(data_root):
    write(data_root, "actualites", "court.md", NEWS.replace("Summary: Une phrase de résumé.", ""))
    assert problems(data_root) == [
        "content/actualites/court.md:1 : il manque la ligne « Summary: » en tête du fichier, obligatoire pour "
        "une actualité : une phrase de résumé, affichée dans la liste à la place du texte entier.",
    ]


def test_unknown_key_with_no_close_match_lists_the_fields(data_root):
    write(data_root, "pages", "p.md", PAGE + "\nCouleur: bleu")
    (problem,) = problems(data_root)
    assert problem.startswith("content/pages/p.md:4 : « Couleur » n'est pas un champ connu")
    assert "Champs possibles : Title, Date, Modified, Slug, Category, Summary" in problem


@pytest.mark.parametrize("folder, header, removed, words", [
    ("actualites", NEWS, "Slug: bien\n", "il manque la ligne « Slug: » en tête du fichier, obligatoire pour "
                                        "une actualité"),
    ("actualites", NEWS, "Category: Actualités\n", "il manque la ligne « Category: »"),
    ("presse", PRESS, "Publication: La Voix des Gaves\n", "obligatoire pour un article de presse : le nom "
                                                         "du journal"),
    ("presse", PRESS, "Link: https://voix.example.org/a\n", "il manque la ligne « Link: » (l'adresse de "
                                                           "l'article en ligne) ou « Pdf: »"),
    ("pages", PAGE, "Slug: mentions\n", "il manque la ligne « Slug: » en tête du fichier, obligatoire pour "
                                        "une page"),
])
def test_required_metadata_per_content_type(data_root, folder, header, removed, words):
    assert removed in header
    write(data_root, folder, "x.md", header.replace(removed, ""))
    found = problems(data_root)
    assert any(p.startswith(f"content/{folder}/x.md:1 : ") and words in p for p in found), found


def test_pages_need_no_date_nor_summary(data_root):
    write(data_root, "pages", "p.md", "Title: Plan\nSlug: plan-du-site")
    assert problems(data_root) == []


def test_status_event_dates_and_long_summary(data_root):
    write(data_root, "actualites", "x.md", NEWS.replace("Une phrase de résumé.", "x" * 161)
          + "\nStatus: brouillon\nEvent_date: 16/05/2026")
    found = [p for p in check_content(data_root, load_site(data_root))]
    by_line = {p.line: p for p in found}
    assert "le statut « brouillon » n'est pas connu ; écrivez « Status: draft »" in by_line[6].message
    assert "la date « 16/05/2026 » de « Event_date » n'est pas comprise" in by_line[7].message
    assert by_line[5].warning and "le résumé fait 161 caractères" in by_line[5].message
