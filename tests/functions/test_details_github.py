"""« Mes informations », step two: the pull request through a local fake of GitHub's REST API standing on a bare
git repository, the token read from Secrets Manager (moto in server mode), never logged nor answered."""

from __future__ import annotations

import datetime
import logging
from pathlib import Path

import pytest
from chalicelib.details import check, proposal
from chalicelib.details.github import Author, GitHub, GitHubError, token_from_secrets_manager
from support_github import FakeGitHub, bare_repository, git, served

ROOT = Path(__file__).resolve().parents[2]
FILES = {name: (ROOT / name).read_text("utf-8") for name in (check.FILE, *check.REFERENCE_FILES)}
TOKEN = "github_pat_11SECRETSECRETSECRET0123456789"
NOW = datetime.datetime(2026, 12, 6, 9, 30, 5, tzinfo=datetime.timezone.utc)
IDENT = "ai-bergeracois"
AUTHOR = Author("Emploi Services Bergeracois", "contact@bergeracois.example.org")


@pytest.fixture
def remote(tmp_path):
    fake = FakeGitHub(bare_repository(tmp_path, {**FILES, "data/associations.yaml": FILES[check.FILE].replace(
        "associations:\n", "# Relu par l'équipe AAI en novembre.\nassociations:\n")}))
    with served(fake) as api:
        yield fake, api


@pytest.fixture
def token(aws_env):
    import boto3
    boto3.client("secretsmanager").create_secret(Name="aai-github-token", SecretString=TOKEN)
    return lambda: token_from_secrets_manager("aai-github-token")


def test_an_edit_becomes_one_commit_on_its_own_branch_and_a_pull_request(remote, token, caplog):
    fake, api = remote
    caplog.set_level(logging.INFO)   # app.py's level; botocore's DEBUG would print the secret's answer whole
    github = GitHub(api, "aai/site", token)
    opened = proposal.submit(github, IDENT, AUTHOR, {"hours": "Du lundi au vendredi, de 9 h à 12 h"}, NOW)
    assert opened.branch == "mes-informations/ai-bergeracois-20261206-093005"
    assert opened.url == "https://github.com/aai/site/pull/1"
    bare = fake.bare
    assert git(bare, "rev-list", "--count", f"main..{opened.branch}") == "1"
    assert git(bare, "diff", "--name-only", "main", opened.branch) == check.FILE
    diff = git(bare, "diff", "-U0", "main", opened.branch)
    assert [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))] == [
        "-    hours: Du lundi au vendredi, de 9 h à 12 h et de 14 h à 17 h",
        "+    hours: Du lundi au vendredi, de 9 h à 12 h"]
    assert "# Relu par l'équipe AAI en novembre." in git(bare, "show", f"{opened.branch}:{check.FILE}")
    assert git(bare, "log", "-1", "--format=%an <%ae>", opened.branch) == \
        "Emploi Services Bergeracois <contact@bergeracois.example.org>"
    assert "Emploi Services Bergeracois" in git(bare, "log", "-1", "--format=%B", opened.branch)
    pull = fake.pulls[0]
    assert (pull["head"], pull["base"]) == (opened.branch, "main")
    assert "Emploi Services Bergeracois" in pull["body"] and "horaires" in pull["body"]
    # the token went to GitHub in the Authorization header, and nowhere else
    assert all(r["headers"]["Authorization"] == f"Bearer {TOKEN}" for r in fake.requests)
    assert all(TOKEN not in str(r["payload"]) and TOKEN not in r["path"] for r in fake.requests)
    assert any("pull request 1 opened" in record.getMessage() for record in caplog.records)   # logs were read
    assert not any(TOKEN in record.getMessage() for record in caplog.records)


def test_the_model_refuses_before_anything_is_pushed(remote, token):
    fake, api = remote
    verdict = proposal.submit(GitHub(api, "aai/site", token), IDENT, AUTHOR, {"phone": "12 34"}, NOW)
    assert verdict.by_field["phone"] == ["Le numéro « 12 34 » n'est pas valide ; écrivez un numéro français à "
                                         "10 chiffres, par exemple 05 36 49 12 34."]
    assert [r["method"] for r in fake.requests] == ["GET"] * len(fake.requests) and not fake.pulls
    assert git(fake.bare, "for-each-ref", "--format=%(refname)", "refs/heads") == "refs/heads/main"


def test_an_unchanged_form_opens_nothing(remote, token):
    fake, api = remote
    github = GitHub(api, "aai/site", token)
    same = proposal.submit(github, IDENT, AUTHOR, {"phone": "05 36 49 10 28"}, NOW)
    assert isinstance(same, proposal.Unchanged) and not fake.pulls


def test_a_refusal_names_the_call_and_never_the_token(remote, token, caplog):
    fake, api = remote
    with pytest.raises(GitHubError) as refused:
        GitHub(api, "aai/autre-depot", token).base_commit()
    assert "HTTP 404" in str(refused.value) and TOKEN not in str(refused.value)
    assert not any(TOKEN in record.getMessage() for record in caplog.records)


def test_without_the_model_nothing_is_pushed(remote, token, monkeypatch):
    """The Lambda package without model/ (test_lambda_package): the edit cannot be judged, so it never leaves."""
    import sys
    fake, api = remote
    monkeypatch.setitem(sys.modules, "model.associations", None)   # import fails as in a package without it
    with pytest.raises(check.ModelUnavailable):
        proposal.submit(GitHub(api, "aai/site", token), IDENT, AUTHOR, {"hours": "Le lundi"}, NOW)
    assert {r["method"] for r in fake.requests} == {"GET"} and not fake.pulls
