"""« Mes informations », step three: an association signed in changes its details over HTTP; the form answers with
the model's French message beside the field, or with the pull request opened on a local fake of GitHub (over a
bare git repository), the token read from Secrets Manager on moto and shown nowhere."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from chalicelib.details import check
from support_backoffice import AI_A, OPERATOR, sign_in
from support_functions import TEST_DATA, Local, functions_app
from support_github import FakeGitHub, bare_repository, git, served

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "github_pat_11PAGESECRETPAGESECRET987654"
DEC_6 = 1796549400   # Sunday 6 December 2026, 10:30 in Paris
PATH = "/espace/mes-informations"


@pytest.fixture
def world(client, tmp_path, aws_env):
    import boto3
    boto3.client("secretsmanager").create_secret(Name="aai-github-token", SecretString=TOKEN)
    files = {name: (ROOT / name).read_text("utf-8") for name in check.REFERENCE_FILES}
    files[check.FILE] = "# Les associations du réseau, relues par AAI.\n" + \
        (TEST_DATA / "associations.yaml").read_text("utf-8")
    fake = FakeGitHub(bare_repository(tmp_path / "git", files))
    with served(fake) as api:
        local = Local(tmp_path, github_repository="aai/site", github_api=api)
        local.service.clock = lambda: DEC_6
        functions_app.set_service(local.service)
        yield fake, local
        functions_app.set_service(None)


def test_an_association_changes_its_hours_and_aai_gets_a_pull_request(world, client, caplog):
    fake, local = world
    caplog.set_level(logging.INFO)
    browser = sign_in(client, local, AI_A)
    form = browser.get(PATH)
    assert form.status == 200
    assert 'name="telephone" value="05 36 49 10 01"' in form.text   # from the repository's current file
    assert 'value="jardinage" checked' in form.text
    fields = {"association": "ai-libournais", "adresse": "3 place Abel Surchamp", "telephone": "05 36 49 10 01",
              "email": "demandes@libournais.example.org", "contact": "M. Jean Lafon",
              "horaires": "Du lundi au vendredi, de 9 h à 12 h et de 14 h à 17 h",
              "site": "https://libournais.example.org", "prix": "", "services": ["menage", "repassage", "jardinage"]}

    refused = browser.post(PATH, {**fields, "telephone": "12 34"})
    assert refused.status == 400
    assert ('<p class="error" id="f-telephone-erreur">Le numéro «\xa012 34\xa0» n’est pas valide\xa0; écrivez un '
            'numéro français à 10 chiffres, par exemple 05 36 49 12 34.</p>') in refused.text   # the build's words
    assert '<a href="#f-telephone">Le numéro' in refused.text   # and in the summary, linked to the field
    emptied = browser.post(PATH, {**fields, "horaires": ""})
    assert emptied.status == 400 and '<p class="error" id="f-horaires-erreur">' in emptied.text
    assert not fake.pulls and git(fake.bare, "for-each-ref", "--format=%(refname)") == "refs/heads/main"

    sent = browser.post(PATH, fields)
    assert sent.status == 200, sent.text
    assert "Votre modification a été proposée" in sent.text
    assert "AAI la vérifiera avant sa mise en ligne" in sent.text
    assert "github.com" not in sent.text   # the pull request is AAI's to read, not the association's
    pull = fake.pulls[0]
    assert pull["head"] == "mes-informations/ai-libournais-20261206-093000" and pull["base"] == "main"
    diff = git(fake.bare, "diff", "-U0", "main", pull["head"])
    assert [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))] == [
        "-    hours: Du lundi au vendredi, de 9 h à 12 h",
        "+    hours: Du lundi au vendredi, de 9 h à 12 h et de 14 h à 17 h"]
    assert git(fake.bare, "log", "-1", "--format=%an <%ae>", pull["head"]) == \
        "AI du Libournais <demandes@libournais.example.org>"
    for reply in (form, refused, sent):
        assert TOKEN not in reply.text and TOKEN not in str(reply.headers)
    assert any("pull request 1" in record.getMessage() for record in caplog.records)
    assert not any(TOKEN in record.getMessage() for record in caplog.records)


def test_another_associations_details_are_not_yours_to_change(world, client):
    fake, local = world
    browser = sign_in(client, local, AI_A)
    assert browser.get(PATH + "?association=ai-entre-deux-mers").status == 404
    assert browser.post(PATH, {"association": "ai-entre-deux-mers", "telephone": "05 36 49 99 00"}).status == 404
    assert not fake.requests   # refused before GitHub is asked anything


def test_the_cell_cannot_edit_an_associations_details(world, client):
    fake, local = world
    operator = sign_in(client, local, OPERATOR)
    assert operator.post(PATH, {"association": "ai-libournais", "telephone": "05 36 49 99 00"}).status == 403
    assert not fake.requests


def test_the_preview_shows_the_edited_details_as_the_page_will_and_pushes_nothing(world, client):
    fake, local = world
    browser = sign_in(client, local, AI_A)
    fields = {"association": "ai-libournais", "adresse": "3 place Abel Surchamp", "telephone": "0536491001",
              "email": "demandes@libournais.example.org", "contact": "M. Jean Lafon",
              "horaires": "Du lundi au samedi, de 8 h 30 à 12 h", "site": "https://libournais.example.org",
              "prix": "22,50", "services": ["menage", "jardinage"], "action": "apercu"}
    shown = browser.post(PATH, fields)
    assert shown.status == 200, shown.text
    preview = shown.text.split('<section class="preview"')[1].split("</section>")[0]
    assert "Horaires&nbsp;: Du lundi au samedi, de 8 h 30 à 12 h" in preview   # the edited hours
    assert "Téléphone&nbsp;: 05 36 49 10 01" in preview   # as the site writes it, not as typed
    assert "33500 Libourne" in preview and "Site&nbsp;: libournais.example.org" in preview
    assert "22,50\xa0€ de l’heure, soit 11,25\xa0€ après le crédit d’impôt de 50\xa0%" in preview
    assert "la page d&#39;AI du Libournais" in preview
    assert "<li>Jardinage</li>" in preview and "Repassage" not in preview
    assert shown.text.index('id="apercu"') < shown.text.index(">Proposer ces modifications</button>")
    assert 'value="Du lundi au samedi, de 8 h 30 à 12 h"' in shown.text   # the fields kept as typed

    refused = browser.post(PATH, {**fields, "telephone": "12 34"})
    assert refused.status == 400 and 'class="preview"' not in refused.text
    assert ('<p class="error" id="f-telephone-erreur">Le numéro «\xa012 34\xa0» n’est pas valide\xa0; écrivez un '
            'numéro français à 10 chiffres, par exemple 05 36 49 12 34.</p>') in refused.text   # the build's words
    assert not fake.pulls and git(fake.bare, "for-each-ref", "--format=%(refname)") == "refs/heads/main"
    assert not [r for r in fake.requests if r["method"] != "GET"]   # nothing pushed
