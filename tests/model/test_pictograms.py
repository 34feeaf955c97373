"""Pictograms: every service has one, each drawing is vendored once, inlined small and silent."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from model import load_site
from model.charter.pictograms import ACTIONS, ICONS_DIR, available, inline_svg

from .conftest import ROOT


def test_every_service_and_action_has_a_vendored_drawing_and_nothing_else_is_vendored():
    site = load_site(ROOT)
    used = {s.icon for s in site.services.values()} | set(ACTIONS.values())
    assert used == available(), "dessins inutilisés ou manquants : relancez scripts/update_icons.py"
    assert "MIT License" in (ICONS_DIR / "LICENSE").read_text("utf-8")


def test_services_wear_distinct_drawings():
    icons = [s.icon for s in load_site(ROOT).services.values()]
    assert len(icons) == len(set(icons))


@pytest.mark.parametrize("role", sorted(ACTIONS))
def test_inline_svg_is_hidden_sized_by_css_and_drawn_in_the_text_colour(role):
    markup = inline_svg(role)
    svg = ET.fromstring(markup)
    assert svg.get("aria-hidden") == "true" and svg.get("class") == "icon"
    assert svg.get("width") is None and svg.get("height") is None  # CSS sets 1 em
    assert svg.get("stroke") == "currentColor"
    assert "M0 0h24v24H0z" not in markup and "icon-tabler" not in markup
    assert not re.search(r">\s+<", markup) and len(markup) < 1200


def test_unknown_drawing_says_how_to_add_it():
    with pytest.raises(KeyError, match="scripts/update_icons.py arrosoir"):
        inline_svg("arrosoir")


def test_service_with_an_unknown_or_missing_pictogram_is_refused(data_root):
    services = data_root / "data" / "services.yaml"
    text = (services.read_text("utf-8").replace("    icon: plant-2", "    icon: arrosoir")
            .replace("    icon: spray\n", ""))
    services.write_text(text, "utf-8")
    line = text.splitlines().index("    icon: arrosoir") + 1
    from model import DataError
    with pytest.raises(DataError) as caught:
        load_site(data_root)
    report = caught.value.report()
    assert f"data/services.yaml:{line} : le service « jardinage » : le pictogramme « arrosoir »" in report
    assert "python scripts/update_icons.py arrosoir" in report
    assert "le service « menage » n'a pas de champ « icon »" in report
