"""Editors' Markdown metadata is checked in French before Pelican sees it."""

from model import load_site
from model.content import check_content


def article(root, name, header):
    folder = root / "content" / "actualites"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(header + "\n\nTexte.\n", "utf-8")


def test_content_problems_name_file_and_line(data_root):
    article(data_root, "ok.md", "Title: Bien\nDate: 2026-03-02 10:00")
    article(data_root, "date.md", "Title: Mauvaise date\nDate: 02/03/2026")
    article(data_root, "ai.md", "Title: Mise en avant\nDate: 2026-03-02\nAssociation: ai-inconnue")
    article(data_root, "notitle.md", "Date: 2026-03-02")
    problems = [str(p) for p in check_content(data_root, load_site(data_root))]
    assert "content/actualites/date.md:2 : la date « 02/03/2026 » n'est pas comprise ; écrivez-la " \
           "AAAA-MM-JJ ou AAAA-MM-JJ HH:MM, par exemple 2026-03-02 10:00." in problems
    assert any(p.startswith("content/actualites/ai.md:3 : l'association « ai-inconnue » n'existe pas")
               for p in problems)
    assert any(p.startswith("content/actualites/notitle.md:1 : il manque la ligne « Title: »")
               for p in problems)
    assert not any("ok.md" in p for p in problems)
