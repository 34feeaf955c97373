"""An association's page links its kit: the quality charter posters for its signatories, never for the others
(whose kit has no such file: a link to it would be a dead one)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest
from charter.site_charter import apply_charter

from kit.documents import CHARTER_POSTERS
from model import load_site

ROOT = Path(__file__).resolve().parents[3]
THEME = ROOT / "theme" / "templates"


@pytest.fixture(scope="module")
def kit_link(tmp_path_factory):
    """theme/templates/_kit_link.html with what the charter plugin gives the site's templates."""
    settings = {"PATH": str(ROOT / "content"), "CACHE_PATH": str(tmp_path_factory.mktemp("cache"))}
    apply_charter(SimpleNamespace(settings=settings))
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(THEME), undefined=jinja2.StrictUndefined)
    env.filters.update(settings["JINJA_FILTERS"])
    template = env.get_template("_kit_link.html")
    return lambda association: template.render(association=association, SITEURL="",
                                               KIT_DOCUMENTS=settings["KIT_DOCUMENTS"])


def test_signatories_pages_link_their_charter_posters_and_the_others_do_not(kit_link):
    site = load_site(ROOT)
    signatory = next(a for a in site.associations if a.charter_signed)
    other = next(a for a in site.associations if not a.charter_signed)
    signed, unsigned = kit_link(signatory), kit_link(other)
    for kind in CHARTER_POSTERS:
        assert f'href="/kit/{signatory.id}/{kind.plain}"' in signed
        assert f'href="/kit/{signatory.id}/{kind.printed}"' in signed
        assert kind.title in signed
        assert kind.plain not in unsigned and kind.title not in unsigned
    assert f'href="/kit/{other.id}/plaquette.pdf"' in unsigned  # the rest of the kit stays linked
