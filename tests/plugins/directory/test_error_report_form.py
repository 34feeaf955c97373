"""« Signaler une erreur » on the built pages: the form on every association page, a link to the same form (served
by the functions) on every commune page, whose bytes are counted."""

from __future__ import annotations

import html as entities

from pelicanconf import FORMS_ENDPOINT


def test_the_association_page_carries_the_form(built_site, site_data):
    ai = site_data.associations[0]
    page = (built_site / ai.url / "index.html").read_text("utf-8")
    endpoint = FORMS_ENDPOINT.rstrip("/")
    assert f'<form action="{endpoint}/erreur" method="post">' in page
    assert f'<input type="hidden" name="page" value="association/{ai.id}">' in page
    for control in ('name="erreur"', 'maxlength="1000"', 'name="email"', 'name="website"'):
        assert control in page, control
    assert "<script" not in page.split("error-report", 1)[1].split("</details>", 1)[0]


def test_every_commune_page_links_to_the_form(built_site):
    endpoint = FORMS_ENDPOINT.rstrip("/")
    for path in (built_site / "commune").glob("*/index.html"):
        insee = path.parent.name.split("-", 1)[0]
        page = entities.unescape(path.read_text("utf-8"))
        assert f'href="{endpoint}/erreur?page=commune/{insee}"' in page, path
