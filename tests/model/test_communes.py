"""The commune reference: every commune has its town-hall point, and distances are sane."""

from __future__ import annotations

import pytest

from model import load_site

from .conftest import ROOT


@pytest.fixture(scope="module")
def reference():
    return load_site(ROOT).reference


def test_every_commune_has_a_point_inside_its_departement(reference):
    for commune in reference.communes.values():
        assert commune.latitude is not None and commune.longitude is not None, commune.insee
        assert reference.departements[commune.departement].contains(commune.latitude, commune.longitude), \
            f"{commune.name} ({commune.insee}) : {commune.latitude}, {commune.longitude}"


def test_distance_from_the_town_hall(reference):
    bordeaux, saint_emilion = reference.communes["33063"], reference.communes["33394"]
    # Place Pey-Berland to place Pioceau: about 34 km as the crow flies.
    assert saint_emilion.distance_km(bordeaux.latitude, bordeaux.longitude) == pytest.approx(34, abs=2)
    assert bordeaux.distance_km(bordeaux.latitude, bordeaux.longitude) == 0


def test_no_point_no_distance(reference):
    import dataclasses
    commune = dataclasses.replace(reference.communes["33063"], latitude=None, longitude=None)
    assert commune.distance_km(44.8, -0.5) is None
