"""« Vos informations sont-elles à jour ? », twice a year (issue 27, item 2): the scheduled tick, as of an instant the
test moves, asks each association once per campaign, reminds those that have not answered once, then sends the
cell their list; « oui, tout est juste » opens a pull request on a local fake of GitHub (over a bare git
repository) that changes only the ``verified`` date of that association's block; its link is signed for one
association, expires, and a forged or expired one gets a French 4xx with nothing asked of GitHub."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from chalicelib.jobs import schedule as jobs
from chalicelib.details import campaign, check
from chalicelib.details.page import FIELDS
from support_backoffice import AI_B, OPERATOR, sign_in
from support_functions import TEST_DATA, Local, bodies, functions_app, plain
from support_github import FakeGitHub, bare_repository, git, served

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "github_pat_11CAMPAIGNSECRET0123456789"
FRIDAY_BEFORE = 1804842000    # Friday 12 March 2027, 10:00 in Paris: the September campaign is long over
MONDAY = 1805101200           # Monday 15 March 2027, 10:00: the day of the spring campaign (settings: 03-15)
REMINDER = 1806393600         # Tuesday 30 March 2027, 10:00: 14 days on (the Monday is Easter Monday)
CELL = 1807603200             # Tuesday 13 April 2027, 10:00: 14 more days
EXPIRED = 1810800000          # Thursday 20 May 2027, 10:00: past the links' expiry (8 weeks)


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
        local.service.clock = lambda: MONDAY
        functions_app.set_service(local.service)
        yield fake, local
        functions_app.set_service(None)


def _questions(local: Local, subject: str = campaign.SUBJECT) -> list:
    return [m for m in local.messages(everything=True) if m["Subject"] == subject]


def _link(message) -> str:
    """The path and query of « oui, tout est juste » in a message (the functions' address is configured)."""
    url = re.search(r"https://api\.example\.org(/mes-informations/confirmer/\S+)", bodies(message)[0])
    assert url, bodies(message)[0]
    return url.group(1)


def test_each_association_is_asked_once_reminded_once_then_the_cell_gets_the_list(world, client):
    fake, local = world
    associations = local.service.routing.associations
    assert len(associations) >= 2
    assert jobs.tick(local.service, FRIDAY_BEFORE).get("details_questions") is None
    assert _questions(local) == []

    assert jobs.tick(local.service, MONDAY)["details_questions"] == len(associations)
    jobs.tick(local.service, MONDAY + 900)   # the next tick: nothing twice
    asked = _questions(local)
    assert sorted(str(m["To"].addresses[0].addr_spec) for m in asked) == sorted(c.email for c in associations.values())
    text = plain(bodies(asked[0])[0])
    assert "Si tout est juste, un clic suffit" in text and "/espace/mes-informations?association=" in text

    first = next(m for m in asked if "libournais" in str(m["To"]))
    assert client.post(_link(first).split("?")[0], {"sig": _link(first).split("sig=")[1]}).status == 200
    # another association answers by changing its hours in « Mes informations »: answered too
    local.service.clock = lambda: MONDAY + 3600
    browser = sign_in(client, local, AI_B)
    form = browser.get("/espace/mes-informations").text
    fields = {"association": "ai-grand-perigueux", "services": re.findall(r'value="([a-z-]+)" checked', form),
              **{name: html.unescape(value) for name, value in re.findall(r'name="(\w+)" value="([^"]*)"', form)
                 if name in FIELDS}}
    sent = browser.post("/espace/mes-informations", {**fields, "horaires": "Du lundi au jeudi, de 9 h à 12 h"})
    assert sent.status == 200 and len(fake.pulls) == 2, sent.text

    reminders = jobs.tick(local.service, REMINDER)["details_reminders"]
    jobs.tick(local.service, REMINDER + 900)
    reminded = _questions(local, "Rappel : vos informations sont-elles à jour ?")
    assert reminders == len(reminded) == len(associations) - 2   # the associations that answered are left alone
    assert not any("libournais" in str(m["To"]) or AI_B in str(m["To"]) for m in reminded)

    assert jobs.tick(local.service, CELL)["details_to_cell"] == 1
    jobs.tick(local.service, CELL + 900)
    to_cell = [m for m in local.messages(everything=True)
               if str(m["Subject"]).startswith("Informations non confirmées")]
    assert len(to_cell) == 1 and local.service.routing.network.email in str(to_cell[0]["To"])
    listed = bodies(to_cell[0])[0]
    assert "AI du Libournais" not in listed and associations["ai-grand-perigueux"].name not in listed
    assert all(c.name in listed for i, c in associations.items() if i not in ("ai-libournais", "ai-grand-perigueux"))
    local.service.clock = lambda: CELL + 3600   # and the cell's week view lists them too
    week = plain(sign_in(client, local, OPERATOR).get("/espace/semaine").text)
    section = week.split("Informations non confirmées</h2>")[1].split("</section>")[0]
    assert "AI du Libournais" not in section
    assert all(c.name in section for i, c in associations.items() if i not in ("ai-libournais", "ai-grand-perigueux"))


def test_oui_tout_est_juste_opens_a_pull_request_that_changes_only_its_verified_date(world, client):
    fake, local = world
    jobs.tick(local.service, MONDAY)
    message = next(m for m in _questions(local) if "libournais" in str(m["To"]))
    link = _link(message)
    page = client.request("GET", link)
    assert page.status == 200 and "Oui, tout est juste" in page.text and "05 36 49 10 01" in page.text
    assert not fake.requests   # opening the link (a mail scanner does) changes nothing

    done = client.post(urlsplit(link).path, {"sig": link.split("sig=")[1]})
    assert done.status == 200 and "Merci, c'est noté" in plain(done.text), done.text
    pull = fake.pulls[0]
    assert pull["head"].startswith("mes-informations/ai-libournais-") and pull["base"] == "main"
    diff = git(fake.bare, "diff", "-U0", "main", pull["head"])
    assert [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))] == [
        "+    verified: 2027-03-15"]
    block = git(fake.bare, "show", f"{pull['head']}:{check.FILE}").split("- id: ai-entre-deux-mers")[0]
    assert block.rstrip().endswith("verified: 2027-03-15")   # in the Libournais' block, before the next one
    assert git(fake.bare, "log", "-1", "--format=%an", pull["head"]) == "AI du Libournais"
    assert TOKEN not in done.text

    again = client.post(urlsplit(link).path, {"sig": link.split("sig=")[1]})
    assert again.status == 200 and "déjà enregistrée" in again.text and len(fake.pulls) == 1


def test_a_forged_or_expired_link_is_refused_in_french_and_an_association_confirms_only_its_own(world, client):
    fake, local = world
    jobs.tick(local.service, MONDAY)
    link = _link(next(m for m in _questions(local) if "libournais" in str(m["To"])))
    path, sig = urlsplit(link).path, link.split("sig=")[1]
    expires, holder, mac = sig.split(".")
    assert holder == "ai-libournais"

    for forged in (f"{expires}.ai-entre-deux-mers.{mac}",      # another association's details with its link
                   f"{int(expires) + 86400 * 365}.{holder}.{mac}",   # a longer life
                   f"{expires}.{holder}.{mac[:-2]}xx", ""):
        for reply in (client.request("GET", f"{path}?sig={forged}"), client.post(path, {"sig": forged})):
            assert reply.status == 403 and "Lien non valide" in reply.text and "rien n'a été enregistré" in \
                plain(reply.text)
    assert client.post("/mes-informations/confirmer/2027-03-16", {"sig": sig}).status == 403   # not a campaign

    local.service.clock = lambda: EXPIRED
    for reply in (client.request("GET", link), client.post(path, {"sig": sig})):
        assert reply.status == 410 and "Lien expiré" in reply.text and "Mes informations" in reply.text
    assert not fake.requests and not fake.pulls


def test_nothing_is_asked_while_mes_informations_is_closed(tmp_path, client):
    local = Local(tmp_path)   # no repository: the one-click answer would have nowhere to go
    assert "details_questions" not in jobs.tick(local.service, MONDAY)
    assert _questions(local) == []
