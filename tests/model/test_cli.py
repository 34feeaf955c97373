"""`make check` is `python -m model check`: short by default, annotations and a job summary in CI."""

import os
import subprocess
import sys

import pytest

from model.errors import Problem
from model.github import annotation

GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]


def run(root, *args, env=None):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    return subprocess.run([sys.executable, "-m", "model", *args, "--root", str(root)],
                          capture_output=True, text=True, env={**environ, **(env or {})})


@pytest.fixture
def repo(data_root):
    """The test data committed in a git repository, as CI checks it out."""
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=data_root, check=True)
    subprocess.run([*GIT, "add", "-A"], cwd=data_root, check=True)
    subprocess.run([*GIT, "commit", "-qm", "base"], cwd=data_root, check=True)
    return data_root


def edit(root, old, new):
    path = root / "data" / "associations.yaml"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def news(root, name, header):
    folder = root / "content" / "actualites"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(header + "\n\nTexte.\n", "utf-8")


NEWS = "Title: {title}\nDate: {date}\nSlug: {slug}\nCategory: Actualités\nSummary: Résumé."


def test_check_is_short_with_counts_per_departement(data_root):
    result = run(data_root, "check")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("Communes desservies par aucune association (le site y propose la ligne "
                               "régionale) : Dordogne (24) : ")
    assert "Gironde (33) : " in lines[0] and lines[0].endswith("(détail commune par commune : make check "
                                                               "CHECK_ARGS=--details).")
    assert lines[1].startswith("Données valides : 1 association, 2228 communes dont ")
    assert len(result.stdout) < 600


def test_details_list_the_uncovered_communes(data_root):
    result = run(data_root, "check", "--details")
    assert result.returncode == 0
    assert "attention : Dordogne (24) — " in result.stdout
    assert "Abjat-sur-Bandiat (24001)" in result.stdout


def test_check_fails_on_broken_data_with_every_message(data_root):
    edit(data_root, '"33394"', '"33999"')
    edit(data_root, "menage,", "plomberie,")
    result = run(data_root, "check")
    assert result.returncode == 1
    assert "2 erreurs dans les données du site" in result.stderr
    assert "data/associations.yaml:6 : l'association « ai-test » indique la commune 33999" in result.stderr
    assert "data/associations.yaml:13 :" in result.stderr
    assert "::error" not in result.stdout  # annotations only under GitHub Actions


def test_github_actions_get_an_annotation_on_each_line(data_root):
    edit(data_root, 'commune: "33394"', 'commune: "40000"')
    result = run(data_root, "check", env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 1
    assert annotations[0].startswith("::error file=data/associations.yaml,line=6,title=make check::"
                                     "l'association « ai-test » indique la commune 40000")


def test_warnings_and_content_errors_are_annotated_too(data_root):
    edit(data_root, 'communes: ["33529"]', 'communes: ["33529", "33330"]')
    news(data_root, "faute.md", NEWS.format(title="T", date="2026-03-02", slug="t").replace("Summary", "Sumary"))
    result = run(data_root, "check", "--annotations")
    assert result.returncode == 1
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert annotations[0].startswith("::warning file=data/associations.yaml,line=17,title=make check::"
                                     "la zone de l'association « ai-test » : le code 33330 est lu")
    assert annotations[1] == ("::error file=content/actualites/faute.md,line=5,title=make check::« Sumary » "
                              "n'est pas un champ connu de l'en-tête ; le site l'ignorerait. Vouliez-vous "
                              "dire « Summary » ?")
    assert run(data_root, "check", "--no-annotations", env={"GITHUB_ACTIONS": "true"}).stdout.count("::") == 0


def test_annotation_escapes_what_github_would_misread():
    text = annotation(Problem("data/a,b:c.yaml", 3, "50 % de\nla zone"))
    assert text == "::error file=data/a%2Cb%3Ac.yaml,line=3,title=make check::50 %25 de%0Ala zone"
    assert annotation(Problem("data/x.yaml", 0, "m", warning=True)) == "::warning file=data/x.yaml,title=make check::m"


def test_job_summary_says_what_changes_for_visitors(repo, tmp_path):
    edit(repo, "phone: 05 36 49 10 01", "phone: 05 36 49 10 09")
    edit(repo, 'communes: ["33529"]', 'communes: ["33529", "33063"]')
    news(repo, "a.md", NEWS.format(title="Déjà là", date="2026-05-01 10:00", slug="deja-la"))
    news(repo, "b.md", NEWS.format(title="Plus tard", date="2026-07-14 09:30", slug="plus-tard"))
    summary = tmp_path / "summary.md"
    summary.write_text("Partie d'une autre étape\n", "utf-8")
    result = run(repo, "check", "--base", "main", "--now", "2026-06-01T12:00",
                 env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 0, result.stderr
    text = summary.read_text("utf-8")
    assert text.startswith("Partie d'une autre étape\n## Vérification des données et des contenus")
    assert "✅ Données valides : 1 association" in text
    assert "### Ce que la modification change pour les visiteurs (par rapport à `main`)" in text
    assert "- Association intermédiaire de test (`ai-test`) : téléphone, zone desservie" in text
    assert "**Communes dont l'association change (1)**" in text
    assert "| Bordeaux (33063) | Gironde | aucune (ligne régionale) | Association intermédiaire de test |" in text
    assert "**Publiées ou modifiées dès la fusion (1)**" in text
    assert "- « Déjà là » (actualité, `content/actualites/a.md`) — datée du 1er mai 2026 à 10 h 00\n" in text
    assert "- « Plus tard » (actualité, `content/actualites/b.md`) — le 14 juillet 2026 à 9 h 30" in text
    assert "Associations ajoutées" not in text


def test_job_summary_lists_added_and_removed_associations(repo, tmp_path):
    path = repo / "data" / "associations.yaml"
    text = path.read_text("utf-8")
    second = text.split("\n", 1)[1].replace("ai-test", "ai-autre").replace("10 01", "10 02") \
        .replace('epci: ["200035533"]', 'epci: []').replace('except: ["33014"]', "except: []")
    path.write_text(text + second, "utf-8")
    summary = tmp_path / "summary.md"
    assert run(repo, "check", "--base", "main", "--summary", str(summary)).returncode == 0
    assert "**Associations ajoutées (1)**\n\n- Association intermédiaire de test (`ai-autre`), " \
           "Saint-Émilion : 1 commune desservie\n" in summary.read_text("utf-8")
    assert "**Communes dont l'association change (1)**" in summary.read_text("utf-8")

    subprocess.run([*GIT, "commit", "-qam", "second"], cwd=repo, check=True)
    path.write_text(text, "utf-8")
    summary.unlink()
    assert run(repo, "check", "--base", "main", "--summary", str(summary)).returncode == 0
    assert "**Associations retirées (1)**\n\n- Association intermédiaire de test (`ai-autre`)" in \
        summary.read_text("utf-8")


def test_job_summary_of_broken_data_lists_the_errors(repo, tmp_path):
    edit(repo, 'commune: "33394"', 'commune: "33999"')
    summary = tmp_path / "summary.md"
    assert run(repo, "check", "--base", "main", "--summary", str(summary)).returncode == 1
    text = summary.read_text("utf-8")
    assert "❌ **1 erreur** : le site ne peut pas être publié" in text
    assert "- `data/associations.yaml` ligne 6 : l'association « ai-test » indique la commune 33999" in text
    assert "Ce que la modification change" not in text


def test_unknown_base_is_said_in_the_summary_not_a_traceback(repo, tmp_path):
    summary = tmp_path / "summary.md"
    result = run(repo, "check", "--base", "origin/nulle-part", "--summary", str(summary))
    assert result.returncode == 0, result.stderr
    assert "Comparaison impossible : la référence « origin/nulle-part » est introuvable" in \
        summary.read_text("utf-8")


@pytest.mark.parametrize("with_filter", [True, False], ids=["python-3.11.4+", "debian-12-python-3.11.2"])
def test_the_base_is_extracted_safely_with_or_without_tarfiles_filter(repo, tmp_path, monkeypatch, with_filter):
    """Debian 12's Python predates tarfile's « data » filter: the same refusals are made by hand."""
    import tarfile

    from model.changes import BaseUnavailable, extract_base
    if not with_filter:
        monkeypatch.delattr(tarfile, "data_filter", raising=False)
    extract_base(repo, "main", tmp_path / "base")
    assert (tmp_path / "base" / "data" / "associations.yaml").is_file()
    (repo / "data" / "escape").symlink_to("/etc/passwd")
    subprocess.run([*GIT, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*GIT, "commit", "-qm", "a link out"], cwd=repo, check=True)
    with pytest.raises((BaseUnavailable, tarfile.TarError)):
        extract_base(repo, "HEAD", tmp_path / "other")
