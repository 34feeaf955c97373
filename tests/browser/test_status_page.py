"""The household's status page in headless Chromium, as a person uses it from the acknowledgement's link: it
reads where the request stands, « Je n'ai plus besoin d'aide » closes the request with one button (no script, the
functions' strict Content-Security-Policy, axe finds nothing serious), the page reflows at 320 pixels and is valid
HTML, and an expired link says so in French."""

from __future__ import annotations

import email
import re
from dataclasses import replace
from email import policy

import pytest

from support_chalice import load_app, served
from support_axe import serious
from support_html import pages_errors

pytestmark = pytest.mark.browser

DAY = 86400


@pytest.fixture(scope="module")
def functions(tmp_path_factory, site_data):
    """The functions over HTTP with local backends, and two callbacks acknowledged by e-mail with their status
    links."""
    from chalicelib.config import Settings
    from chalicelib.service import FormService
    from model.routing import write_routing_table

    app = load_app("aai_functions_app_status_page")
    tmp = tmp_path_factory.mktemp("status")
    with served(app) as endpoint:
        write_routing_table(site_data, tmp / "routing.json")
        settings = replace(Settings(), outbox_dir=str(tmp / "outbox"), sqlite_path=str(tmp / "db.sqlite3"),
                           routing=str(tmp / "routing.json"), secret="status-page", forms_endpoint=endpoint)
        service = FormService.from_settings(settings)
        ai = next(a for a in site_data.associations if a.zone)
        links = {}
        for name, person in (("close", "Jeanne Martin"), ("expire", "Luc Durand")):
            fields = {"association": [ai.id], "nom": [person], "telephone": ["05 36 49 12 34"],
                      "email": [f"{name}@example.org"], "consentement": ["oui"], "website": [""],
                      "mode_contact": ["telephone"], "commune": [next(iter(ai.zone))]}
            ref = service.submit("rappel", fields, "192.0.2.7").reference
            ack = next(email.message_from_bytes(p.read_bytes(), policy=policy.default)
                       for p in sorted((tmp / "outbox").glob(f"*-{ref}-*.eml")) if b"Suivre votre demande" in
                       p.read_bytes())
            text = ack.get_body(("plain",)).get_content()
            links[name] = (ref, re.search(r"Suivre votre demande : (http://\S+/ma-demande/\S+)", text).group(1))
        app.set_service(service)
        yield service, links
        app.set_service(None)


def words(page) -> str:
    return page.locator("main").inner_text().replace("\u00a0", " ").replace("\u202f", " ").replace("\u2019", "'")


def test_no_longer_needed_closes_the_request_with_one_button(strict_page, functions, tmp_path):
    service, links = functions
    ref, link = links["close"]
    page = strict_page
    page.goto(link)
    assert page.locator("h1").inner_text() == "Où en est votre demande\u00a0?"
    text = words(page)
    assert "a été reçue le" in text and "a été transmise à" in text and "au plus tard le" in text
    assert "Jeanne" not in page.content() and "Martin" not in page.content() and ref in text
    assert service.store.get(ref)["state"] != "closed"    # opening the link changed nothing
    assert serious(page) == [] and page.violations == []
    opened = page.content()
    page.get_by_role("button", name="Je n'ai plus besoin d'aide").click()
    assert "C'est noté : votre demande est close" in words(page)
    assert "Vous avez indiqué ne plus avoir besoin d'aide le" in words(page)
    assert page.get_by_role("button").count() == 0
    record = service.store.get(ref)
    assert (record["state"], record["close_reason"]) == ("closed", "no_longer_needed")
    assert serious(page) == [] and page.violations == []
    assert pages_errors({"status-open": opened, "status-closed": page.content()}, tmp_path) == ""


def test_an_expired_link_says_so_in_french(strict_page, functions):
    service, links = functions
    ref, link = links["expire"]
    created = service.store.get(ref)["created_at"]
    clock = service.clock
    service.clock = lambda: created + 30 * DAY + 60
    try:
        answer = strict_page.goto(link)
        assert answer.status == 410
        assert strict_page.locator("h1").inner_text() == "Lien expiré"
        assert "la demande est close" in words(strict_page)
        assert strict_page.get_by_role("button").count() == 0
    finally:
        service.clock = clock


def test_the_status_page_reflows_at_320_pixels_with_24_pixel_targets(browser, functions):
    _, links = functions
    context = browser.new_context(locale="fr-FR", viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        page.goto(links["expire"][1])
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        for button in page.get_by_role("button").all():
            box = button.bounding_box()
            assert box["width"] >= 24 and box["height"] >= 24
        page.keyboard.press("Tab")
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    finally:
        context.close()
