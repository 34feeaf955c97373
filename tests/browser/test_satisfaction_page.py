"""The household answers the satisfaction questions (issue 24, item 2) in headless Chromium on a 390-pixel phone:
one click in the message opens the page with the first answer chosen, its button records it, then the second
question and a comment. No script, the functions' strict Content-Security-Policy, axe finds nothing serious, no
horizontal scrolling, targets of 24 pixels at least."""

from __future__ import annotations

import datetime
import email
import re
from dataclasses import replace
from email import policy

import pytest

from support_axe import serious
from support_chalice import load_app, served

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def asked(tmp_path_factory, site_data):
    """A household became a client, its first mission today; the tick sent the questions three working days on."""
    from chalicelib.jobs import schedule as jobs
    from chalicelib.config import Settings
    from chalicelib.requests.enums import ActorKind
    from chalicelib.requests.lifecycle import actor
    from chalicelib.service import FormService
    from model.routing import write_routing_table
    from rules.dates import PARIS
    from rules.working_days import add_working_days, next_office_time

    app = load_app("aai_functions_app_satisfaction")
    tmp = tmp_path_factory.mktemp("satisfaction")
    with served(app) as endpoint:
        write_routing_table(site_data, tmp / "routing.json")
        settings = replace(Settings(), outbox_dir=str(tmp / "outbox"), sqlite_path=str(tmp / "db.sqlite3"),
                           routing=str(tmp / "routing.json"), secret="satisfaction-page", forms_endpoint=endpoint)
        service = FormService.from_settings(settings)
        ai = next(a for a in site_data.associations if a.zone)
        fields = {"association": [ai.id], "nom": ["Jeanne Martin"], "telephone": ["05 36 49 12 34"],
                  "email": ["jeanne.martin@example.org"], "consentement": ["oui"], "website": [""],
                  "mode_contact": ["telephone"], "commune": [next(iter(ai.zone))]}
        ref = service.submit("rappel", fields, "192.0.2.8").reference
        today = datetime.date.today()
        service.act(ref, actor(ActorKind.AI, ai.id), "handled", outcome="client", first_visit=today.isoformat())
        start = datetime.datetime.combine(today, datetime.time(10), PARIS)
        jobs.tick(service, next_office_time(add_working_days(start, 4)).timestamp())
        app.set_service(service)
        messages = [email.message_from_bytes(p.read_bytes(), policy=policy.default)
                    for p in (tmp / "outbox").glob(f"*-{ref}-*.eml")]
        [question] = [m for m in messages if "Votre avis" in str(m["Subject"])]
        text = question.get_body(("plain",)).get_content()
        yield service, ref, re.search(r"(http://\S+/avis/\S+accueil=4\S*)", text).group(1)
        app.set_service(None)


def test_the_household_answers_on_a_390_pixel_phone(browser, asked):
    service, ref, four = asked
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        page.goto(four)
        assert page.locator("h1").inner_text() == "Votre avis sur la première mission"
        assert page.get_by_label("4 – Satisfait").first.is_checked()
        assert "Jeanne" not in page.content()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        for selector in ("input[type=radio]", "button", "textarea"):
            box = page.locator(selector).first.bounding_box()
            assert box["width"] >= 24 and box["height"] >= 24, selector
        assert serious(page) == []
        assert service.store.get(ref).satisfaction_welcome is None, "opening the link records nothing"

        page.get_by_role("button", name="Envoyer mon avis").click()   # the one click's answer, confirmed
        assert "Votre réponse est enregistrée" in page.locator(".done").inner_text()
        assert service.store.get(ref)["satisfaction_welcome"] == 4
        page.locator("#f-suivi-5").check()
        page.get_by_label(re.compile("Un commentaire")).fill("Très bon accueil au téléphone.")
        page.get_by_role("button", name="Envoyer mon avis").click()
        assert page.locator("h1").inner_text() == "Merci pour votre avis"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        record = service.store.get(ref)
        assert (record["satisfaction_relationship"], record["satisfaction_comment"]) == \
            (5, "Très bon accueil au téléphone.")
        assert violations == []
    finally:
        context.close()


def test_the_new_pages_are_valid_html5(asked, tmp_path):
    """The satisfaction page (with its errors) and the association's page of the 72 hours, as served, through the
    W3C Nu HTML checker."""
    import urllib.error
    import urllib.parse
    import urllib.request

    from chalicelib.mission.sending import mission_url
    from support_html import pages_errors

    service, ref, four = asked

    def fetch(url: str, data: dict | None = None) -> str:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with urllib.request.urlopen(urllib.request.Request(url, data=body)) as answer:
                return answer.read().decode()
        except urllib.error.HTTPError as refusal:   # 400, 403: French pages too
            return refusal.read().decode()

    base, query = four.split("?", 1)
    sig = urllib.parse.parse_qs(query)["sig"][0]
    mission = mission_url(service, service.store.get(ref))
    mission_base, mission_query = mission.split("?", 1)
    mission_sig = urllib.parse.parse_qs(mission_query)["sig"][0]
    pages = {"avis": fetch(four), "avis-errors": fetch(base, {"sig": sig, "accueil": "9", "commentaire": "x" * 1200}),
             "mission": fetch(mission),
             "mission-errors": fetch(mission_base, {"sig": mission_sig, "action": "date",
                                                    "premiere_intervention": "31/02/2020"})}
    assert "Votre avis n'a pas pu être enregistré" in pages["avis-errors"]
    assert "La date n'a pas pu être enregistrée" in pages["mission-errors"]
    assert pages_errors(pages, tmp_path) == ""
