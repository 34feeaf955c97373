"""The order and callback forms in headless Chromium, JavaScript on and off, against the real form functions.

The session's site build, served as in production (tests/support_infra.py) with its forms pointing to a Chalice
local server on a free port (the one setting that differs, FORMS_ENDPOINT, is swapped in the pages as they are
served); the functions keep their e-mails in a tmp outbox and their log in a tmp SQLite file.
"""

from __future__ import annotations

import datetime
import email
import json
import re
import sqlite3
from dataclasses import dataclass, replace
from email import policy
from pathlib import Path

import pytest
from rules.dates import french_date

from support_chalice import load_app, served
from support_infra import serve_as_in_production

pytestmark = pytest.mark.browser

REF = re.compile(r"AI-\d{8}-[0-9A-Z]{6}")
SERIOUS = {"serious", "critical"}
IN_A_MONTH = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
AI_ID, IN_ZONE = "ai-libournais", "33394"   # Saint-Émilion


@dataclass
class Stack:
    site: str            # origin of the static site
    api: str             # FORMS_ENDPOINT
    outbox: Path
    database: Path

    def messages(self) -> list[email.message.EmailMessage]:
        files = sorted(self.outbox.glob("*.eml")) if self.outbox.exists() else []
        return [email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in files]

    def messages_about(self, name: str) -> list[email.message.EmailMessage]:
        """The messages of the requests whose AI e-mail names this person (the acknowledgement never does: it
        carries nothing the visitor typed; it shares the request's reference)."""
        messages = self.messages()
        refs = {m["X-AAI-Reference"] for m in messages if name in str(m["Subject"]) or name in str(m.get("To", ""))}
        return [m for m in messages if m["X-AAI-Reference"] in refs]

    def record(self, ref: str) -> dict:
        """A request as the functions stored it."""
        db = sqlite3.connect(self.database)
        try:
            body = db.execute("SELECT body FROM submissions WHERE ref = ?", (ref,)).fetchone()[0]
        finally:
            db.close()
        return json.loads(body)

    def stored(self, ref: str) -> dict:
        """The fields kept with a request (its ``data``), as the functions stored them."""
        return self.record(ref)["data"]

    def rows(self) -> int:
        if not self.database.exists():
            return 0
        db = sqlite3.connect(self.database)
        try:
            return db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
        finally:
            db.close()


@pytest.fixture(scope="module")
def stack(tmp_path_factory, built_site, site_data):
    app = load_app("aai_functions_app_browser")
    from chalicelib.config import Settings
    from chalicelib.service import FormService
    from model.routing import write_routing_table
    from pelicanconf import FORMS_ENDPOINT as BUILT_ENDPOINT

    from forms.generator import functions_pages

    tmp = tmp_path_factory.mktemp("forms")
    assert (built_site / "rappel" / "index.html").read_bytes().count(BUILT_ENDPOINT.encode()) >= 1
    with served(app) as forms_endpoint, serve_as_in_production(built_site, forms_endpoint, BUILT_ENDPOINT) as origin:
        write_routing_table(site_data, tmp / "routing.json")
        # the site's form pages as the build hands them to the functions (plugins/forms), this test's endpoint in them
        pages = {key: html.replace(BUILT_ENDPOINT, forms_endpoint)
                 for key, html in functions_pages(built_site, site_data).items()}
        (tmp / "site_pages.json").write_text(json.dumps(pages, ensure_ascii=False), "utf-8")
        settings = replace(Settings(), outbox_dir=str(tmp / "outbox"), sqlite_path=str(tmp / "submissions.sqlite3"),
                           site_origins=(origin,), routing=str(tmp / "routing.json"), secret="browser-tests",
                           rate_limit=1000, forms_endpoint=forms_endpoint, site_pages=str(tmp / "site_pages.json"))
        app.set_service(FormService.from_settings(settings))
        yield Stack(origin, forms_endpoint, tmp / "outbox", tmp / "submissions.sqlite3")
        app.set_service(None)


def fill_contact(page, name: str, phone: str = "05 36 49 12 34", mail: str | None = "visiteur@example.org"):
    page.fill("#f-nom", name)
    page.fill("#f-telephone", phone)
    if mail:
        page.fill("#f-email", mail)


def fill_demande(page, name: str, **contact):
    fill_contact(page, name, **contact)
    page.fill("#f-adresse", "4 rue Guadet")
    page.get_by_label("Ménage", exact=True).check()
    page.get_by_label("Jardinage", exact=True).check()
    page.fill("#f-description", "Ménage du salon & de la cuisine.\nTaille de la haie (« 20 m »).")
    page.fill("#f-date_debut", IN_A_MONTH)
    page.get_by_label("Toutes les semaines").check()
    page.fill("#f-heures", "3")
    page.get_by_label("Lundi", exact=True).check()
    page.get_by_label("Jeudi", exact=True).check()
    page.get_by_label("Après-midi", exact=True).check()
    page.check("#f-origine-mairie")
    page.check("#f-consentement")


def submit_and_land_on_thanks(page, stack: Stack, javascript: bool = True) -> str:
    """With JavaScript, the site's /merci/ (forms.js writes the reference); without, the functions' thank-you
    page: the same page, the reference written in it by the server."""
    with page.expect_navigation(url=re.compile(r"/merci/?\?")):
        page.click("form.aai-form button[type=submit]")
    assert page.url.startswith(f"{stack.site}/merci/?" if javascript else f"{stack.api}/merci?")
    ref = re.search(r"ref=(AI-\d{8}-[0-9A-Z]{6})", page.url).group(1)
    assert "Votre demande a bien été transmise" in page.locator("h1").inner_text()
    assert page.locator("#merci-ref").is_visible() and page.locator("#merci-ref-valeur").inner_text() == ref
    return ref


def message_to(stack: Stack, name: str, address: str) -> email.message.EmailMessage:
    found = [m for m in stack.messages_about(name) if m["To"].addresses[0].addr_spec == address]
    assert len(found) == 1, [str(m["To"]) for m in stack.messages_about(name)]
    return found[0]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_demande_is_sent_and_reaches_the_ai(request, stack, site_data, javascript):
    page = request.getfixturevalue("page" if javascript else "page_nojs")
    ai = site_data.association(AI_ID)
    name = f"Jeanne Martin-{'Js' if javascript else 'Html'}"
    page.goto(f"{stack.site}/{ai.url}demande/?commune={IN_ZONE}")
    if javascript:
        assert page.input_value("#f-commune") == IN_ZONE   # prefilled from ?commune=
        assert len(page.input_value("input[name=idempotence]")) >= 32
    else:
        assert page.input_value("#f-commune") == ""
        page.select_option("#f-commune", IN_ZONE)
    fill_demande(page, name)
    ref = submit_and_land_on_thanks(page, stack, javascript)   # the reference shown, with or without JavaScript
    assert page.locator("#merci-suite-demande").is_visible() and not page.locator("#merci-generique").is_visible()
    # the promise in writing (issue 26, item 4): the AI calls, at the latest on the charter's day
    promised = re.search(r"[?&]au=(\d{4}-\d{2}-\d{2})(&|$)", page.url).group(1)
    day = datetime.date.fromisoformat(promised)
    assert day > datetime.date.today() and day.weekday() < 5
    assert page.locator("#merci-promesse").is_visible()
    assert page.locator("#merci-promesse").inner_text() == \
        f"L'association vous recontacte par téléphone au plus tard le {french_date(day, weekday=True)[:-5]}."
    assert "Sans nouvelles d'ici là" in page.locator("main").inner_text().replace("\u00a0", " ")
    if javascript:
        assert page.errors == []

    msg = message_to(stack, name, ai.email)
    assert msg["Reply-To"].addresses[0].addr_spec == "visiteur@example.org"
    assert name in msg["Subject"] and "Saint-Émilion" in msg["Subject"] and "intervention" in msg["Subject"]
    text = msg.get_body(("plain",)).get_content()
    for expected in (ref, "4 rue Guadet", "Ménage, Jardinage", "Toutes les semaines", "Lundi, Jeudi",
                     "Après-midi", "La mairie ou le CCAS", "« 20 m »"):
        assert expected in text, expected
    ack = message_to(stack, name, "visiteur@example.org")
    assert ai.phone.display in ack.get_body(("plain",)).get_content()

    # « Avez-vous trouvé facilement ? » (issue 26, item 5): answered on the thank-you page, kept with the request
    page.get_by_label("Oui, facilement").check()
    page.fill("#avis-commentaire", "Trouvé en deux clics depuis la page de ma commune.")
    with page.expect_navigation(url=f"{stack.api}/avis-site"):
        page.get_by_role("button", name="Envoyer mon avis").click()
    assert "Merci pour votre avis" in page.locator("h1").inner_text()
    assert stack.record(ref)["site_feedback"] == "facilement"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("who", ["ai", "aai"])
def test_rappel_is_sent_and_reaches_the_ai_or_the_network(request, stack, site_data, javascript, who):
    page = request.getfixturevalue("page" if javascript else "page_nojs")
    name = f"Paul Dubreuil-{who.title()}{'Js' if javascript else 'Html'}"
    if who == "ai":
        ai = site_data.association(AI_ID)
        commune = site_data.reference.communes[IN_ZONE]
        page.goto(f"{stack.site}/{ai.url}rappel/")
        page.select_option("#f-commune", IN_ZONE)
        recipient = ai.email
    else:
        commune = site_data.uncovered()[0]
        page.goto(f"{stack.site}/rappel/?commune={commune.insee}")
        recipient = site_data.settings.network.forms_email
        if javascript:
            page.wait_for_selector("#f-commune-nom:not([hidden])")
            assert commune.name in page.locator("#f-commune-nom").inner_text()
            assert page.input_value("#f-commune") == commune.insee
    fill_contact(page, name, phone="06 12 34 56 78", mail=None)
    page.get_by_label("Par SMS").check()
    page.get_by_label("Lundi matin").check()
    page.get_by_label("Mercredi soir").check()
    page.fill("#f-message", f"Rappelez-moi plutôt le matin (commune : {commune.name}).")
    page.check("#f-origine-bouche-a-oreille")
    page.check("#f-consentement")
    ref = submit_and_land_on_thanks(page, stack, javascript)
    assert "type=rappel" in page.url
    if javascript:
        assert page.locator("#merci-suite-rappel").is_visible()
        assert page.locator("#merci-ref-valeur").inner_text() == ref
        assert page.errors == []

    msg = message_to(stack, name, recipient)
    assert msg["Reply-To"] is None   # no e-mail address given
    assert name in msg["Subject"] and "rappel" in msg["Subject"].lower()
    if who == "ai" or javascript:
        assert commune.name in msg["Subject"]
    text = msg.get_body(("plain",)).get_content()
    assert ref in text and "Par SMS" in text and "Lundi matin" in text and "Mercredi soir" in text


def test_invalid_phone_is_shown_next_to_the_field_and_nothing_is_sent(page, stack, site_data):
    ai = site_data.association(AI_ID)
    before, rows = len(stack.messages()), stack.rows()
    page.goto(f"{stack.site}/{ai.url}demande/?commune={IN_ZONE}")
    fill_demande(page, "Erreur Téléphone", phone="12 34")
    page.click("form.aai-form button[type=submit]")
    error = page.locator("#f-telephone-erreur")
    error.wait_for()
    assert "numéro" in error.inner_text().lower()
    phone = page.locator("#f-telephone")
    assert phone.get_attribute("aria-invalid") == "true"
    assert phone.get_attribute("aria-describedby").split() == ["f-telephone-erreur", "f-telephone-aide"]
    summary = page.locator("#form-summary")
    assert summary.is_visible() and page.evaluate("document.activeElement.id") == "form-summary"
    assert summary.locator("a[href='#f-telephone']").count() == 1
    assert page.url.endswith(f"/demande/?commune={IN_ZONE}")
    assert len(stack.messages()) == before and stack.rows() == rows

    from axe_playwright_python.sync_playwright import Axe   # the error state is accessible too
    problems = [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}"
                for v in Axe().run(page).response["violations"] if v["impact"] in SERIOUS]
    assert problems == []

    phone.fill("05 36 49 12 34")   # corrected: the same page sends, errors go away
    ref = submit_and_land_on_thanks(page, stack)
    assert REF.fullmatch(ref) and page.errors == []


def test_commune_outside_the_zone_points_to_the_ais_that_serve_it(page, stack, site_data):
    ai = site_data.association(AI_ID)
    other = next(c for c in site_data.reference.communes.values()
                 if c.insee not in ai.zone and site_data.serving(c.insee))
    page.goto(f"{stack.site}/{ai.url}demande/?commune={other.insee}")
    notice = page.locator("#f-commune-hors-zone")
    notice.locator("a").first.wait_for()
    assert other.name in notice.inner_text() and ai.name in notice.inner_text()
    hrefs = notice.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == [f"/{a.url}demande/?commune={other.insee}" for a in site_data.serving(other.insee)]
    assert page.input_value("#f-commune") == ""

    nobody = site_data.uncovered()[0]
    page.goto(f"{stack.site}/{ai.url}rappel/?commune={nobody.insee}")
    page.locator("#f-commune-hors-zone a").wait_for()
    assert page.locator("#f-commune-hors-zone a").get_attribute("href") == f"/rappel/?commune={nobody.insee}"
    assert page.errors == []


def test_double_click_sends_one_request(page, stack, site_data):
    ai = site_data.association(AI_ID)
    page.goto(f"{stack.site}/{ai.url}rappel/")
    fill_contact(page, "Double Clic")
    page.get_by_label("Par e-mail").check()
    page.check("#f-consentement")
    with page.expect_navigation(url=re.compile(r"/merci/")):
        page.dblclick("form.aai-form button[type=submit]")
    assert len([m for m in stack.messages_about("Double Clic") if m["To"].addresses[0].addr_spec == ai.email]) == 1


def test_thanks_page_reads_the_reference_and_the_status(page, page_nojs, stack):
    page.goto(f"{stack.site}/merci/?ref=AI-20261123-7K3F9Q&type=demande&statut=enregistre")
    assert page.locator("#merci-ref-valeur").inner_text() == "AI-20261123-7K3F9Q"
    assert "prochaines minutes" in page.locator("#merci-enregistre").inner_text()
    assert page.locator("#merci-enregistre").is_visible()
    page.goto(f"{stack.site}/merci/?ref=%3Cimg%20src%3Dx%3E&type=rappel")
    assert not page.locator("#merci-ref").is_visible() and page.locator("#merci-generique").is_visible()
    page.goto(f"{stack.site}/merci/?ref=AI-20261123-7K3F9Q&type=rappel&au=2026-12-08&par=sms")
    assert page.locator("#merci-promesse").inner_text().endswith("par SMS au plus tard le mardi 8 décembre.")
    for forged in ("au=2026-02-30&par=sms", "au=%3Cimg%20src%3Dx%3E", "au=2026-12-08x", "au=2026-12-08&par=%3Cb%3E"):
        page.goto(f"{stack.site}/merci/?ref=AI-20261123-7K3F9Q&type=rappel&{forged}")
        shown = page.locator("#merci-promesse")
        assert not shown.is_visible() or shown.inner_text().endswith("par téléphone au plus tard le mardi 8 décembre.")
        assert page.locator("#merci-promesse img, #merci-promesse b").count() == 0
    page_nojs.goto(f"{stack.site}/merci/?ref=AI-20261123-7K3F9Q&type=demande")
    assert page_nojs.locator("#merci-generique").is_visible()
    assert "48" in page_nojs.locator("main").inner_text()
    assert page.errors == []


@pytest.mark.parametrize("path", [f"association/{AI_ID}/demande/", f"association/{AI_ID}/rappel/", "rappel/"])
def test_axe_finds_no_serious_violation_on_the_form_pages(page, stack, path):
    from axe_playwright_python.sync_playwright import Axe
    page.goto(f"{stack.site}/{path}")
    problems = [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}"
                for v in Axe().run(page).response["violations"] if v["impact"] in SERIOUS]
    assert problems == []


# --- Without JavaScript: what the site knows is kept, errors come back in the form (issue 22, items 3, 25, 26) ---

def looks_like_the_site(page) -> None:
    """The functions' answer is the site's page: its header and logo, its style sheets applied (the honeypot
    field hidden by site.css), no bare page."""
    assert page.locator("header.site-header .brand").is_visible()
    assert page.locator("footer").count() >= 1
    assert "Atkinson" in page.locator("body").evaluate("b => getComputedStyle(b).fontFamily")
    if page.locator("#f-website").count():
        assert page.locator("#f-website").bounding_box()["x"] < 0


def test_nojs_commune_page_opens_the_form_with_its_commune_chosen(page_nojs, stack, site_data):
    page = page_nojs
    ai = site_data.association(AI_ID)
    commune = site_data.reference.communes[IN_ZONE]
    page.goto(f"{stack.site}/{commune.url}")
    card = page.locator("article", has=page.get_by_text(ai.name)).first
    with page.expect_navigation():
        card.get_by_role("link", name="Demander une intervention").click()
    assert page.url == f"{stack.api}/demande?association={AI_ID}&commune={IN_ZONE}"
    assert page.input_value("#f-commune") == IN_ZONE   # chosen by the server, not asked again
    looks_like_the_site(page)

    nobody = site_data.uncovered()[0]
    page.goto(f"{stack.site}/{nobody.url}")
    with page.expect_navigation():
        page.get_by_role("link", name="demander à être rappelé").click()
    assert page.url == f"{stack.api}/rappel?commune={nobody.insee}"
    assert page.input_value("#f-commune") == nobody.insee
    assert nobody.name in page.locator("#f-commune-nom").inner_text()
    name = "Paul Commune-Connue"
    fill_contact(page, name, phone="06 12 34 56 78", mail=None)
    page.get_by_label("Par SMS").check()
    page.get_by_label("Lundi matin").check()
    page.check("#f-consentement")
    submit_and_land_on_thanks(page, stack, javascript=False)
    looks_like_the_site(page)
    msg = message_to(stack, name, site_data.settings.network.forms_email)
    assert nobody.name in msg["Subject"]   # the commune travelled with the request


def test_nojs_error_answers_the_form_with_what_was_typed_and_linked_errors(page_nojs, stack, site_data):
    page = page_nojs
    ai = site_data.association(AI_ID)
    before, rows = len(stack.messages()), stack.rows()
    page.goto(f"{stack.site}/{ai.url}demande/")
    page.select_option("#f-commune", IN_ZONE)
    fill_demande(page, "Erreur Sans-Script", phone="12 34")
    with page.expect_navigation():
        page.click("form.aai-form button[type=submit]")
    assert page.url == f"{stack.api}/demande"
    assert len(stack.messages()) == before and stack.rows() == rows
    looks_like_the_site(page)
    # what was typed is still there
    assert page.input_value("#f-nom") == "Erreur Sans-Script" and page.input_value("#f-telephone") == "12 34"
    assert page.input_value("#f-commune") == IN_ZONE and page.input_value("#f-adresse") == "4 rue Guadet"
    assert page.get_by_label("Ménage", exact=True).is_checked()
    assert page.get_by_label("Toutes les semaines").is_checked()
    assert "« 20 m »" in page.input_value("#f-description") and page.is_checked("#f-consentement")
    assert page.is_checked("#f-origine-mairie")
    # the error beside its field, and a summary on top, focused, linking to the field
    error = page.locator("#f-telephone-erreur")
    assert error.is_visible() and "numéro" in error.inner_text().lower()
    phone = page.locator("#f-telephone")
    assert phone.get_attribute("aria-invalid") == "true"
    assert phone.get_attribute("aria-describedby").split() == ["f-telephone-erreur", "f-telephone-aide"]
    summary = page.locator("#form-summary")
    assert summary.is_visible() and "un point est à corriger" in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "form-summary"
    summary.locator("a[href='#f-telephone']").click()
    assert page.evaluate("document.activeElement.id") == "f-telephone"

    phone.fill("05 36 49 12 34")   # corrected in the same page: sent, and the reference shown
    ref = submit_and_land_on_thanks(page, stack, javascript=False)
    looks_like_the_site(page)
    assert ref in message_to(stack, "Erreur Sans-Script", ai.email).get_body(("plain",)).get_content()


# --- Phones (issue 22, items 4 and 24) ----------------------------------------------------------------------------

def test_consent_boxes_are_one_column_on_a_phone_and_e_mail_never_breaks(page, stack):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{stack.site}/association/{AI_ID}/rappel/")
    for box in ("consentement", "suivi"):
        label = page.locator(f"label[for=f-{box}]").bounding_box()
        check = page.locator(f"#f-{box}").bounding_box()
        assert label["x"] >= check["x"] + check["width"]   # the text beside the box…
        assert label["width"] >= 390 * 0.6, (box, label)   # …in one wide column, not squeezed
    hint, label = page.locator("#f-suivi-aide").bounding_box(), page.locator("label[for=f-suivi]").bounding_box()
    assert abs(hint["x"] - label["x"]) < 1 and hint["y"] >= label["y"] + label["height"] - 1   # under the label
    # « e-mail » on one line, wherever it falls
    pieces = page.locator(".aai-form .nowrap").evaluate_all(
        "spans => spans.map(s => [s.textContent, s.getClientRects().length])")
    assert pieces and all(text == "e-mail" and lines == 1 for text, lines in pieces)
    assert page.locator("label[for=f-suivi] .nowrap").count() == 1


@pytest.mark.parametrize("width", [320, 360])
def test_availability_slots_all_fit_a_phone_and_take_one_tap(page, stack, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{stack.site}/association/{AI_ID}/rappel/")
    boxes = page.locator("input[name=disponibilites]")
    assert boxes.count() == 24   # six days, four slots
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for index in range(boxes.count()):
        box = boxes.nth(index)
        box.scroll_into_view_if_needed()
        rect = box.bounding_box()
        assert rect["x"] >= 0 and rect["x"] + rect["width"] <= width, (index, rect)
        assert rect["width"] >= 24 and rect["height"] >= 24
        label = page.locator(f"label[for={box.get_attribute('id')}]")
        assert label.is_visible() and label.bounding_box()["x"] + label.bounding_box()["width"] <= width
        label.click()   # one tap on the slot's name
        assert box.is_checked()
    assert page.get_by_label("Lundi matin").is_checked()   # accessible names unchanged


def test_axe_finds_no_serious_violation_on_the_functions_form_with_errors(page, stack, site_data):
    """The form the functions send back (its scripts left out, so it behaves as without JavaScript)."""
    from axe_playwright_python.sync_playwright import Axe
    page.goto(f"{stack.api}/demande?association={AI_ID}&commune={IN_ZONE}")
    fill_demande(page, "Axe Sans-Script", phone="12 34")
    with page.expect_navigation():
        page.click("form.aai-form button[type=submit]")
    assert page.locator("#f-telephone-erreur").is_visible() and page.input_value("#f-commune") == IN_ZONE
    problems = [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}"
                for v in Axe().run(page).response["violations"] if v["impact"] in SERIOUS]
    assert problems == []


def test_the_functions_pages_load_the_sites_fonts(page, stack):
    """The functions answer a form sent without JavaScript with the site's page, whose fonts come from the site:
    browsers fetch fonts in CORS mode, so the site lets the forms' origin (and it alone) read them — as CloudFront's
    policy says (infra/site.yaml, read by the test server)."""
    fonts, failed = [], []
    page.on("response", lambda r: fonts.append((r.url, r.status)) if "/fonts/" in r.url else None)
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto(f"{stack.api}/merci?ref=AI-20261123-7K3F9Q&type=demande&association={AI_ID}", wait_until="networkidle")
    loaded = page.evaluate("document.fonts.ready.then(() => [...document.fonts].filter(f => f.status === 'loaded')"
                           ".map(f => f.family))")
    assert fonts and all(status == 200 for _, status in fonts), fonts
    assert not [url for url in failed if "/fonts/" in url], failed
    assert loaded, "no font of the site's loaded on the functions' page"



# --- Measured origins (issue 25, item 3): ?source= in URLs only, from the landing page to the stored request ----

def nothing_on_the_device(page) -> None:
    assert page.context.cookies() == []
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0


def test_a_kit_source_travels_from_the_commune_page_to_the_stored_request(page, stack, site_data):
    ai = site_data.association(AI_ID)
    commune = site_data.reference.communes[IN_ZONE]
    page.goto(f"{stack.site}/{commune.url}?source=kit-plaquette")
    card = page.locator("article", has=page.get_by_text(ai.name)).first
    link = card.get_by_role("link", name="Demander une intervention")
    assert link.get_attribute("href") == \
        f"{stack.api}/demande?association={AI_ID}&commune={IN_ZONE}&source=kit-plaquette"
    nothing_on_the_device(page)
    with page.expect_navigation():
        link.click()
    assert page.input_value("input[name=source]") == "kit-plaquette"   # filled by the functions' GET /demande
    name = "Lucie Source-Mesurée"
    fill_demande(page, name)
    ref = submit_and_land_on_thanks(page, stack, javascript=False)   # the functions' page answers its own post
    stored = stack.stored(ref)
    assert stored["source"] == "kit-plaquette" and stored["origine"] == ["mairie"]   # measured beside declared
    assert "Plaquette du kit" in message_to(stack, name, ai.email).get_body(("plain",)).get_content()
    assert page.errors == []
    nothing_on_the_device(page)


def test_an_unknown_source_is_carried_by_the_page_but_ignored_by_the_functions(page, stack, site_data):
    ai = site_data.association(AI_ID)
    page.goto(f"{stack.site}/{ai.url}demande/?commune={IN_ZONE}&source=kit-inconnu")
    assert page.input_value("input[name=source]") == "kit-inconnu"   # source.js copies any slug…
    name = "Marc Source-Inconnue"
    fill_demande(page, name)
    ref = submit_and_land_on_thanks(page, stack)
    assert "source" not in stack.stored(ref)                          # …the one list keeps it out, silently
    assert page.errors == []
    nothing_on_the_device(page)


def test_a_page_without_source_leaves_its_form_links_alone(page, stack, site_data):
    commune = site_data.reference.communes[IN_ZONE]
    page.goto(f"{stack.site}/{commune.url}?source=%3Cb%3E")
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    assert hrefs and not [h for h in hrefs if "source=" in h]


def test_nojs_error_report_reaches_the_ai_and_aai(page_nojs, stack, site_data):
    """« Signaler une erreur » without JavaScript: opened on the association's page, sent, acknowledged in the
    site's look; the AI and AAI get it, the visitor's address is only written inside."""
    page = page_nojs
    ai = site_data.association(AI_ID)
    page.goto(f"{stack.site}/{ai.url}")
    page.locator("details.error-report summary").click()
    page.fill("#erreur-texte", "Les horaires du samedi ont changé.")
    page.fill("#erreur-email", "lecteur-attentif@example.org")
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer le signalement").click()
    assert page.url == f"{stack.api}/erreur"
    assert "Merci pour votre signalement" in page.locator("h1").inner_text()
    looks_like_the_site(page)
    sent = [m for m in stack.messages() if str(m["X-AAI-Reference"]).startswith("ERR-")]
    assert sorted(m["To"].addresses[0].addr_spec for m in sent) == sorted([ai.email,
                                                                            site_data.settings.network.forms_email])
    for msg in sent:
        assert "lecteur-attentif@example.org" not in str(msg["To"]) + str(msg.get("Reply-To", ""))
        assert "Les horaires du samedi ont changé." in msg.get_body(("plain",)).get_content()


def test_nojs_complaint_without_reference_on_a_320_px_screen_reaches_the_ai_and_aai(page_nojs, stack, site_data):
    """Issue 24: a household without its reference complains from /reclamation, without JavaScript, on a small
    phone: the form fits the screen, names the association from a list, and the page gives the complaint's
    reference; the AI and AAI get it, the household's typed address only inside the message."""
    page = page_nojs
    page.set_viewport_size({"width": 320, "height": 640})
    ai = site_data.association(AI_ID)
    page.goto(f"{stack.api}/reclamation")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert page.get_by_role("button", name="Envoyer la réclamation").bounding_box()["height"] >= 24
    page.select_option("#f-association", AI_ID)
    page.fill("#f-nom", "Odette Lamarque")
    page.fill("#f-telephone", "05 36 49 22 33")
    page.fill("#f-email", "odette@example.org")
    page.fill("#f-reclamation", "Personne n'est venu mardi matin.")
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer la réclamation").click()
    assert "Votre réclamation a bien été reçue" in page.locator("h1").inner_text()
    ref = re.search(r"REC-\d{8}-[0-9A-Z]{6}", page.locator("main").inner_text()).group(0)
    sent = [m for m in stack.messages() if m["X-AAI-Reference"] == ref]
    assert sorted(m["To"].addresses[0].addr_spec for m in sent) == sorted([ai.email,
                                                                            site_data.settings.network.forms_email])
    for msg in sent:
        assert "odette@example.org" not in str(msg["To"]) + str(msg.get("Reply-To", ""))
        assert "Personne n'est venu mardi matin." in msg.get_body(("plain",)).get_content()
    nothing_on_the_device(page)
