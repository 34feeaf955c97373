"""The territory's colours: from the charter, told apart without colour, contrasted, neighbours apart."""

from __future__ import annotations

import pytest

from map.palette import NON_TEXT_CONTRAST, mix, palette, zone_colours


@pytest.mark.parametrize("tiles", [False, True])
def test_every_cue_reaches_3_to_1_against_what_it_sits_on(site_data, tiles):
    contrasts = palette(site_data.brand, tiles=tiles).contrasts()
    assert set(contrasts) == {"limite de zone", "limite de département", "hachures (plusieurs associations)",
                              "points (aucune association)", "commune sélectionnée"}
    assert {cue: ratio for cue, ratio in contrasts.items() if ratio < NON_TEXT_CONTRAST} == {}


def test_colours_come_from_the_charter(site_data):
    brand = site_data.brand.hex
    colours = palette(site_data.brand)
    assert colours.zones[0] == mix(brand["primary"], 0.3) and colours.zones[1] == mix(brand["accent"], 0.3)
    assert colours.departement_line == brand["text"] and colours.zone_line == brand["primary-dark"]
    assert colours.outside == brand["surface"] and colours.dots == brand["muted"]
    assert len(set(colours.zones)) == len(colours.zones)


def test_a_darker_charter_fails_the_check(site_data):
    """The check can fail: zone lines as dark as the fills would not be seen."""
    import dataclasses
    dark = dataclasses.replace(palette(site_data.brand), zone_line=palette(site_data.brand).zones[3])
    assert dark.contrasts()["limite de zone"] < NON_TEXT_CONTRAST


def test_zones_that_touch_or_overlap_never_share_a_colour(site_data):
    colours = zone_colours(site_data.associations, site_data.shapes.neighbours, 5)
    assert colours == zone_colours(reversed(site_data.associations), site_data.shapes.neighbours, 5)
    neighbours = site_data.shapes.neighbours
    serving = {}
    for ai in site_data.associations:
        for insee in ai.zone:
            serving.setdefault(insee, set()).add(ai.id)
    clashes = set()
    for insee, ais in serving.items():
        around = set(ais)
        for other in neighbours[insee]:
            around |= serving.get(other, set())
        for first in ais:
            clashes |= {(first, second) for second in around if second != first and colours[first] == colours[second]}
    assert clashes == set()
    shared = [ais for ais in serving.values() if len(ais) > 1]
    assert shared  # Saint-Émilion and others: each is hatched with two distinct colours
    assert all(len({colours[a] for a in ais}) == len(ais) for ais in shared)
