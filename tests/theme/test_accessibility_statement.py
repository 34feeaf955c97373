"""The accessibility statement says exactly what the product does: it covers the back office as well as the public
site, names the back-office pages the tests check, states the session's time limit as the code sets it, and
makes no unqualified claim about working without JavaScript or at 320 pixels that the known defects contradict."""

from __future__ import annotations

from pathlib import Path

from chalicelib.backoffice import auth

ROOT = Path(__file__).resolve().parents[2]
STATEMENT = (ROOT / "content" / "pages" / "accessibilite.md").read_text(encoding="utf-8")
TEXT = STATEMENT.replace("\u00a0", " ").replace("\u202f", " ")


def section(title: str) -> str:
    return TEXT.split(title, 1)[1].split("\n## ", 1)[0]


def test_the_statement_covers_the_back_office_and_the_pages_checked_there():
    scope = TEXT.split("## État de conformité", 1)[0]
    assert "**espace de gestion** (`/espace/`)" in scope
    tested = section("### Pages ayant fait l’objet de contrôles automatiques")
    for page in ("dans l’espace de gestion", "la connexion", "le tableau de bord", "la liste des demandes",
                 "la fiche d’une demande", "la file d’appels", "la fiche de liaison", "les chiffres du mois"):
        assert page in tested, page


def test_the_statement_gives_the_session_limit_the_code_sets():
    state = section("## État de conformité")
    assert f"sa session dure {auth.SESSION_SECONDS // 3600} heures" in state
    assert "« Rester connecté »" in state and "un formulaire envoyé après la fin n’est pas perdu" in state
    assert auth.SESSION_LIMIT_SECONDS >= 20 * 3600   # past 20 hours, WCAG 2.2.1 asks for no extension


def test_no_claim_about_javascript_or_320_pixels_that_the_product_does_not_keep():
    """The December review's defects (issue 22) are fixed and tested: the statement says so, and names what now
    works without JavaScript, at 320 pixels and in the back office, instead of listing them as open."""
    assert "navigation complète au clavier" not in TEXT   # the map stays hard to use with a keyboard
    known = section("### Non-conformités connues")
    assert "en cours de correction" not in known and "sont corrigés depuis le 6 décembre 2026" in known
    assert "**Sans JavaScript** : la page de remerciement affiche la référence" in known
    assert "**Sur un écran de 320 pixels**" in known and "**Espace de gestion**" in known
    assert "avec les limites décrites plus" not in TEXT and "en dehors des défauts décrits plus haut" not in TEXT
