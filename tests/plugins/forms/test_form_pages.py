"""The form pages of the built site: one order, one callback and one professional order page per AI, the AAI
callback page, the thank-you page; labels, RGAA patterns, the CNIL notice, the action and the field contract."""

from __future__ import annotations

import re

import pytest
from htmlforms import read_page

KINDS = ("demande", "rappel", "demande-pro")
# The functions' schema is the contract: every field they accept is on the page, and nothing else.
from chalicelib.intake.forms import FORMS  # noqa: E402

SINGLE_CHECKBOXES = ("consentement", "suivi")   # one box with its own label: no fieldset needed


def form_pages(site_data):
    for ai in site_data.associations:
        for kind in KINDS:
            yield ai, kind, f"{ai.url}{kind}/index.html"
    yield None, "rappel", "rappel/index.html"


@pytest.fixture(scope="module")
def pages(built_site, site_data):
    return {path: (ai, kind, (built_site / path).read_text("utf-8")) for ai, kind, path in form_pages(site_data)}


def test_every_ai_has_both_form_pages_and_the_network_its_callback(built_site, site_data):
    missing = [path for _, _, path in form_pages(site_data) if not (built_site / path).is_file()]
    assert missing == []
    assert (built_site / "merci" / "index.html").is_file()
    assert len(site_data.associations) * len(KINDS) + 1 == len(list(form_pages(site_data)))


def test_the_form_posts_urlencoded_to_the_functions_endpoint(pages):
    for path, (ai, kind, html) in pages.items():
        page = read_page(html)
        [form] = [f for f in page.forms if "aai-form" in f.get("class", "")]
        assert form["action"] == f"http://localhost:8001/{kind}", path   # FORMS_ENDPOINT of pelicanconf.py
        assert form["method"] == "post" and "enctype" not in form, path
        [association] = page.named("association")
        assert association.type == "hidden" and association.attrs["value"] == (ai.id if ai else "aai")


def test_every_field_has_a_label_and_the_expected_name(pages):
    for path, (ai, kind, html) in pages.items():
        page = read_page(html)
        controls = [c for c in page.controls if c.attrs.get("id") != "site-search-q"]
        names = {c.name for c in controls}
        assert names == set(FORMS[kind]), path
        ids = [c.attrs.get("id") for c in controls if c.type != "hidden"]
        assert len(ids) == len(set(ids)), f"{path}: duplicate ids"
        for control in controls:
            if control.type == "hidden":
                continue
            assert page.labels.get(control.attrs.get("id"), "").strip(), f"{path}: no label for {control.name}"
            if control.type in ("checkbox", "radio") and control.name not in SINGLE_CHECKBOXES:
                assert control.fieldsets and control.fieldsets[-1], f"{path}: {control.name} outside a fieldset"
            for described in control.attrs.get("aria-describedby", "").split():
                assert described in page.ids, f"{path}: aria-describedby={described} points nowhere"


def test_required_fields_say_so(pages):
    for path, (ai, kind, html) in pages.items():
        page = read_page(html)
        required = ["nom", "consentement"] + (["adresse", "commune"] if kind == "demande" else []) + \
            (["organisation", "commune", "besoin"] if kind == "demande-pro" else [])
        for name in required:
            [control] = page.named(name)
            assert "required" in control.attrs and control.attrs.get("aria-required") == "true", (path, name)
            assert "(obligatoire)" in page.labels[control.attrs["id"]], (path, name)
        if kind == "demande":
            assert all("(obligatoire)" in c.fieldsets[-1] for c in page.named("services"))
        elif kind == "demande-pro":
            assert all("required" in c.attrs and "(obligatoire)" in c.fieldsets[-1] for c in page.named("frequence"))
            [number] = page.named("siret")
            assert "required" not in number.attrs and number.attrs["inputmode"] == "numeric"
        else:
            assert all("required" in c.attrs and "(obligatoire)" in c.fieldsets[-1] for c in page.named("mode_contact"))
        for name in ("telephone", "email"):   # one of the two: the help says so, neither is required alone
            [control] = page.named(name)
            assert "required" not in control.attrs
        assert "au moins l'un des deux" in page.text


def test_autocomplete_attributes(pages):
    expected = {"nom": "name", "telephone": "tel", "email": "email", "adresse": "address-line1",
                "organisation": "organization"}
    for path, (ai, kind, html) in pages.items():
        page = read_page(html)
        for name, token in expected.items():
            for control in page.named(name):
                assert control.attrs.get("autocomplete") == token, (path, name)
        assert page.named("telephone")[0].type == "tel" and page.named("email")[0].type == "email"


def test_the_ais_services_are_checkboxes(pages, site_data):
    for ai in site_data.associations:
        page = read_page(pages[f"{ai.url}demande/index.html"][2])
        boxes = page.named("services")
        assert [c.attrs["value"] for c in boxes] == [s.id for s in ai.services]
        assert all(c.type == "checkbox" for c in boxes)
        assert [page.labels[c.attrs["id"]] for c in boxes] == [s.name for s in ai.services]


def test_the_commune_menu_lists_the_zone_a_to_z_with_postal_codes(pages, site_data):
    from rules.typography import fold
    for ai in site_data.associations:
        for kind in KINDS:
            page = read_page(pages[f"{ai.url}{kind}/index.html"][2])
            [select] = page.named("commune")
            options = [o for o in select.options if o[0]]
            assert {code for code, _ in options} == set(ai.zone)
            names = [label.rsplit(" (", 1)[0] for _, label in options]
            assert names == sorted(names, key=fold)
            code, label = options[0]
            assert label.endswith(f"({', '.join(site_data.reference.communes[code].postal_codes)})")
    network = read_page(pages["rappel/index.html"][2])
    [commune] = network.named("commune")
    assert commune.type == "hidden"   # not 2,228 options in a page


def test_the_page_names_the_ai_and_its_phone(pages):
    for path, (ai, kind, html) in pages.items():
        if ai:
            assert ai.name in html and f'href="tel:{ai.phone.e164}"' in html and ai.phone.display in html, path


def test_cnil_notice_above_the_consent_box_and_the_button(pages, site_data):
    settings = site_data.settings
    assert settings.retention_days == 365
    for path, (ai, kind, html) in pages.items():
        page = read_page(html)
        notice = page.ids["f-cnil"]
        assert settings.network.name in notice and "12 mois" in notice and "/donnees-personnelles/" in html
        if ai:
            assert notice.count(ai.name) >= 2, path   # controller and recipient
        for word in ("accéder", "rectifier", "effacer", "opposer", "CNIL"):
            assert word in notice, (path, word)
        submit = html.index('<button type="submit" class="button">Envoyer')
        assert html.index('id="f-cnil"') < html.index('name="consentement"') < submit
        [consent] = page.named("consentement")
        assert consent.type == "checkbox" and consent.attrs["value"] == "oui"
        assert consent.attrs["aria-describedby"] == "f-cnil"


def test_honeypot_is_hidden_out_of_tab_order_and_labelled(pages):
    for path, (ai, kind, html) in pages.items():
        page = read_page(html)
        [trap] = page.named("website")
        assert trap.attrs["tabindex"] == "-1" and trap.attrs["autocomplete"] == "off"
        assert "vide" in page.labels["f-website"]
        assert re.search(r'class="field hp"[^>]*>\s*<label for="f-website"', html)


def test_availability_grid_has_an_accessible_name_per_cell(pages):
    page = read_page(pages["rappel/index.html"][2])
    boxes = page.named("disponibilites")
    assert len(boxes) == 24
    names = {c.attrs["value"]: page.labels[c.attrs["id"]] for c in boxes}
    assert names["lundi-matin"] == "Lundi matin" and names["samedi-apres-midi"] == "Samedi après-midi"
    assert '<th scope="col">Après-midi</th>' in pages["rappel/index.html"][2]


def test_scripts_and_canonical(pages, built_site, site_data):
    for path, (ai, kind, html) in pages.items():
        assert '<script src="/theme/js/forms.js" defer></script>' in html
        assert "<script>" not in html.replace('<script type="application/ld+json">', "")   # CSP: no inline script
        assert 'style="' not in html
        url = path.removesuffix("index.html")
        assert f'<link rel="canonical" href="{site_data.settings.site_url}/{url}">' in html
    thanks = (built_site / "merci" / "index.html").read_text("utf-8")
    assert "Votre demande a bien été transmise" in thanks and 'content="noindex"' in thanks
    assert "48" in thanks and 'id="merci-ref"' in thanks and "prochaines minutes" in thanks
    assert (built_site / "theme" / "js" / "forms.js").is_file()


def test_forms_are_linked_from_the_ai_and_commune_pages(built_site, site_data):
    ai = site_data.associations[0]
    commune = site_data.reference.communes[sorted(ai.zone)[0]]
    html = (built_site / commune.url / "index.html").read_text("utf-8")
    # a commune page knows the commune: its links open the form with it chosen, JavaScript or not — the functions
    # answer them with the site's form, the commune selected (WCAG 3.3.7; functions/app.py, GET /demande)
    from pelicanconf import FORMS_ENDPOINT
    assert f'href="{FORMS_ENDPOINT}/demande?association={ai.id}&amp;commune={commune.insee}"' in html
    assert f'href="{FORMS_ENDPOINT}/rappel?association={ai.id}&amp;commune={commune.insee}"' in html
    nobody = site_data.uncovered()[0]
    html = (built_site / nobody.url / "index.html").read_text("utf-8")
    assert f'href="{FORMS_ENDPOINT}/rappel?commune={nobody.insee}"' in html
    html = (built_site / ai.url / "index.html").read_text("utf-8")   # the AI's own page: no commune to carry
    assert f'href="/{ai.url}demande/"' in html and f'href="/{ai.url}rappel/"' in html
    assert f'href="/{ai.url}demande-pro/"' in html and 'href="/professionnels/"' in html


def test_the_functions_get_every_form_page_and_the_thanks_page(built_site, site_data):
    """What the build hands to the functions (site_pages.json beside the routing table) is the published pages."""
    from forms.generator import functions_pages
    pages = functions_pages(built_site, site_data)
    every_form = {f"{kind}/{ai.id}" for ai in site_data.associations for kind in KINDS}
    assert set(pages) == every_form | {"rappel/aai", "merci"}
    ai = site_data.associations[0]
    assert pages[f"demande/{ai.id}"] == (built_site / ai.url / "demande" / "index.html").read_text("utf-8")


def test_the_regional_callback_page_elides_before_the_network_name(pages, site_data):
    """« La cellule téléphonique d’Aquitaine … », never « de Aquitaine »: the rulebook's elision, in the template."""
    html = pages["rappel/index.html"][2]
    assert f"La cellule téléphonique d’<strong>{site_data.settings.network.name}</strong>" in html
    assert "de <strong>Aquitaine" not in html


def test_the_professionals_page_explains_and_leads_to_the_form(built_site):
    """Issue 25, item 7: a page for businesses, associations and local authorities, linked beside the services."""
    html = (built_site / "professionnels" / "index.html").read_text("utf-8")
    assert "<h1" in html and "Professionnels" in html and "SIRET" in html
    assert 'href="/trouver/"' in html and "/donnees-personnelles/" in html
    assert 'href="/professionnels/"' in (built_site / "index.html").read_text("utf-8")
    assert 'href="/professionnels/"' in (built_site / "services" / "index.html").read_text("utf-8")
