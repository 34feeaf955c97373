"""The pages behind the e-mails' signed links, in headless Chromium as a person uses them: the AI records the
outcome of a request, the household answers « Avez-vous été recontacté ? ». No script, the functions' strict
Content-Security-Policy, axe finds nothing serious, focus goes to the errors, and the page reflows at 320 pixels."""

from __future__ import annotations

import email
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import replace
from email import policy

import pytest
from playwright.sync_api import expect

from support_chalice import load_app, served
from support_axe import serious
from support_html import pages_errors

pytestmark = pytest.mark.browser



@pytest.fixture(scope="module")
def functions(tmp_path_factory, site_data):
    """The functions over HTTP with local backends, a request stored and e-mailed, and the household asked."""
    from chalicelib.jobs import schedule as jobs
    from chalicelib.config import Settings
    from chalicelib.service import FormService
    from model.routing import write_routing_table

    app = load_app("aai_functions_app_signed_pages")
    tmp = tmp_path_factory.mktemp("signed")
    with served(app) as endpoint:
        write_routing_table(site_data, tmp / "routing.json")
        settings = replace(Settings(), outbox_dir=str(tmp / "outbox"), sqlite_path=str(tmp / "db.sqlite3"),
                           routing=str(tmp / "routing.json"), secret="signed-pages", forms_endpoint=endpoint)
        service = FormService.from_settings(settings)
        ai = next(a for a in site_data.associations if a.zone)
        fields = {"association": [ai.id], "nom": ["Jeanne Martin"], "telephone": ["05 36 49 12 34"],
                  "email": ["jeanne.martin@example.org"], "consentement": ["oui"], "suivi": ["oui"], "website": [""],
                  "mode_contact": ["telephone"], "commune": [next(iter(ai.zone))]}
        ref = service.submit("rappel", fields, "192.0.2.7").reference
        jobs.tick(service, service.store.get(ref)["created_at"] + 6 * 86400)   # reminder… and the question
        app.set_service(service)
        messages = [email.message_from_bytes(p.read_bytes(), policy=policy.default)
                    for p in sorted((tmp / "outbox").glob(f"*-{ref}-*.eml"))]
        texts = [m.get_body(("plain",)).get_content() for m in messages]
        links = {"handled": next(re.search(r"(http://\S+/traite/\S+)", t).group(1) for t in texts if "/traite/" in t),
                 "non": next(re.search(r"(http://\S+/suivi/\S+reponse=non\S*)", t).group(1) for t in texts
                             if "reponse=non" in t)}
        yield service, ref, links
        app.set_service(None)


def test_the_ai_records_the_outcome_and_errors_take_the_focus(strict_page, functions):
    service, ref, links = functions
    page = strict_page
    page.goto(links["handled"])
    assert page.locator("h1").inner_text() == "Marquer la demande comme traitée"
    assert ref in page.content() and "Jeanne" not in page.content()
    assert serious(page) == [] and page.violations == []
    page.get_by_label("Sans suite").check()
    page.get_by_role("button", name=re.compile("Confirmer")).click()
    expect(page.locator("#erreurs")).to_be_focused()  # the summary takes the focus (once the answer is in)
    assert "Choisissez le motif" in page.locator("#erreurs").inner_text()
    assert serious(page) == []
    page.locator("#erreurs a").first.click()
    page.get_by_label("Motif").select_option("tarif")
    page.get_by_role("button", name=re.compile("Confirmer")).click()
    assert page.locator("h1").inner_text() == "Résultat enregistré"
    record = service.store.get(ref)
    assert (record["outcome"], record["outcome_reason"]) == ("sans-suite", "tarif")
    assert page.violations == []


def test_the_household_confirms_its_answer_with_a_button(strict_page, functions):
    service, ref, links = functions
    page = strict_page
    page.goto(links["non"])
    assert page.locator("h1").inner_text() == "Avez-vous été recontacté\u00a0?"   # French spacing
    assert not service.store.get(ref).get("followup_answer")     # opening the link changed nothing
    assert serious(page) == [] and page.violations == []
    page.get_by_role("button", name="Confirmer ma réponse").click()
    assert page.locator("h1").inner_text() == "Réponse enregistrée"
    assert "La cellule régionale va vous rappeler" in page.locator("main").inner_text().replace("\u00a0", " ")
    assert service.store.get(ref)["followup_answer"] == "non"
    assert "household" in service.store.get(ref)["escalations"]


def test_the_pages_reflow_at_320_pixels_with_24_pixel_targets(browser, functions):
    _, _, links = functions
    context = browser.new_context(locale="fr-FR", viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        page.goto(links["handled"])
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        for selector in ("input[type=radio]", "button", "select"):
            box = page.locator(selector).first.bounding_box()
            assert box["width"] >= 24 and box["height"] >= 24, selector
        page.keyboard.press("Tab")
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"
    finally:
        context.close()


def test_the_pages_are_valid_html5(functions, tmp_path):
    """Every template of the functions, as served (with errors, after a change, when refused), through the W3C
    Nu HTML checker."""
    service, ref, links = functions
    base, query = links["handled"].split("?", 1)
    sig = urllib.parse.parse_qs(query)["sig"][0]

    def fetch(url: str, data: dict | None = None) -> str:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with urllib.request.urlopen(urllib.request.Request(url, data=body)) as answer:
                return answer.read().decode()
        except urllib.error.HTTPError as refusal:   # 400, 403…: French pages too
            return refusal.read().decode()

    pages = {"handled": fetch(links["handled"]), "handled-errors": fetch(base, {"sig": sig, "resultat": "x"}),
             "followup": fetch(links["non"].replace("reponse=non", "reponse=oui").split("&sig")[0] + "&sig=x"),
             "followup-form": fetch(links["non"]), "invalid": fetch(base + "?sig=nope")}
    assert pages_errors(pages, tmp_path) == ""
