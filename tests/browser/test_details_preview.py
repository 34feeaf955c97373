"""« Mes informations » in headless Chromium on a 390-pixel phone, without JavaScript: an association signs in from
the link in its mailbox, changes its hours, presses « Voir l'aperçu » and reads its page's details as the site will
show them, above « Proposer ces modifications », on a local fake of GitHub (nothing is pushed by a preview)."""

from __future__ import annotations

import email
import re
from dataclasses import replace
from email import policy
from pathlib import Path

import pytest

from support_chalice import load_app, served
from support_github import FakeGitHub, bare_repository, git
from support_github import served as github_served

APP = load_app("aai_functions_app_details")
ROOT = Path(__file__).resolve().parents[2]
AI_A = "demandes@libournais.example.org"
HOURS = re.compile(r"^Horaires d.ouverture")   # the page sets its typography: d’ouverture

pytestmark = pytest.mark.browser


@pytest.fixture
def espace(tmp_path, monkeypatch):
    import boto3
    from scripts.benchmarking import moto_endpoint
    from chalicelib.config import Settings
    from chalicelib.details import check
    from chalicelib.mail.mailers import OutboxMailer
    from chalicelib.routing import load_routing
    from chalicelib.service import FormService
    from chalicelib.store import SqliteStore
    from support_functions import ROUTING, TEST_DATA

    files = {name: (ROOT / name).read_text("utf-8") for name in check.REFERENCE_FILES}
    files[check.FILE] = (TEST_DATA / "associations.yaml").read_text("utf-8")
    fake = FakeGitHub(bare_repository(tmp_path / "git", files))
    with moto_endpoint() as moto, github_served(fake) as github, served(APP) as api:
        for name, value in {"AWS_ENDPOINT_URL": moto, "AWS_ACCESS_KEY_ID": "testing",
                            "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "eu-west-3"}.items():
            monkeypatch.setenv(name, value)
        # moto keeps one state per process, shared by every moto server in it: another module's secret of the
        # default name may already be there, so this test's token has a name of its own.
        secret = f"token-{tmp_path.name}"
        boto3.client("secretsmanager").create_secret(Name=secret, SecretString="github_pat_11BROWSER")
        settings = replace(Settings(), outbox_dir=str(tmp_path / "outbox"), sqlite_path=str(tmp_path / "db.sqlite3"),
                           routing=ROUTING, secret="details-browser", forms_endpoint=api,
                           site_pages=str(tmp_path / "no-site-pages.json"), github_repository="aai/site",
                           github_api=github, github_token_secret=secret)
        APP.set_service(FormService(settings, load_routing(ROUTING), SqliteStore(settings.sqlite_path),
                                    OutboxMailer(settings.outbox_dir)))
        yield api, tmp_path / "outbox", fake
        APP.set_service(None)


def _sign_in_link(outbox: Path) -> str:
    for path in sorted(outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns, reverse=True):
        msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        if "connexion" in str(msg["Subject"]):
            return re.search(r"(http://\S+/espace/connexion\?jeton=\S+)",
                             msg.get_body(("plain",)).get_content()).group(1)
    raise AssertionError("no sign-in link")


def test_an_association_edits_its_hours_on_a_phone_and_sees_the_preview(browser, espace):
    api, outbox, fake = espace
    context = browser.new_context(locale="fr-FR", java_script_enabled=False, viewport={"width": 390, "height": 844})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1")
                  else route.abort())
    page = context.new_page()
    page.goto(f"{api}/espace/")
    page.get_by_label("Adresse e-mail").fill(AI_A)
    page.get_by_role("button", name="Recevoir un lien de connexion").click()
    page.goto(_sign_in_link(outbox))
    page.get_by_role("button", name="Me connecter").click()

    page.goto(f"{api}/espace/mes-informations")
    page.get_by_label(HOURS).fill("Du lundi au samedi, de 8 h 30 à 12 h")
    page.get_by_role("button", name=re.compile(r"^Voir l.aperçu$")).click()

    preview = page.locator("#apercu")
    assert preview.is_visible()
    assert "Horaires : Du lundi au samedi, de 8 h 30 à 12 h" in preview.inner_text().replace("\xa0", " ")
    assert page.get_by_label(HOURS).input_value() == "Du lundi au samedi, de 8 h 30 à 12 h"
    send = page.get_by_role("button", name="Proposer ces modifications")
    assert preview.bounding_box()["y"] < send.bounding_box()["y"]   # read before sending
    box = preview.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390   # no sideways scrolling on the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not fake.pulls and git(fake.bare, "for-each-ref", "--format=%(refname)") == "refs/heads/main"
    context.close()
