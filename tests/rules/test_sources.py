"""The one list of measured sources (rules/sources.py): what a ``?source=`` may be, read by kit, site and functions."""

from __future__ import annotations

from pathlib import Path

import pytest

from kit.documents import CHARTER_POSTERS, DOCUMENTS
from model import load_site
from model.routing import routing_table
from rules.sources import FIXED_SOURCES, KIT_SOURCES, KnownSources, with_source

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site():
    return load_site(ROOT)


@pytest.fixture(scope="module")
def known(site):
    table = routing_table(site)
    return KnownSources(frozenset(table["communes"]), frozenset(table["source_partners"]))


def test_every_kit_document_has_a_source_of_the_list_and_each_source_a_document():
    assert {kind.source for kind in DOCUMENTS + CHARTER_POSTERS} == set(KIT_SOURCES)
    assert {kind.source for kind in CHARTER_POSTERS} == {"kit-charte"}


@pytest.mark.parametrize("source", [*FIXED_SOURCES, "mairie-33063", "mairie-64445", "partenaire-gironde",
                                    "partenaire-francetravail"])
def test_known_sources_are_kept(known, source):
    assert known.clean(source) == source
    assert known.label(source)


@pytest.mark.parametrize("source", [None, "", "kit", "kit-flyer", "mairie-", "mairie-99999", "mairie-33063x",
                                    "partenaire-", "partenaire-evil", "Presse", "presse ", "presse&x=1",
                                    "parrainage-1", "mairie-" + "3" * 60, ["presse"]])
def test_anything_else_is_ignored(known, source):
    assert known.clean(source) is None


def test_every_partner_has_a_distinct_slug_for_its_banners(site):
    ids = [partner.id for partner in site.partners]
    assert ids and len(ids) == len(set(ids))
    assert all(KnownSources(partners=frozenset(ids)).clean(f"partenaire-{i}") for i in ids)


def test_a_link_gets_its_source_and_an_unknown_family_is_a_programming_error():
    assert with_source("https://x.example.org/association/a/", "presse") == \
        "https://x.example.org/association/a/?source=presse"
    assert with_source("https://x.example.org/demande?commune=33063", "mairie-33063").endswith("&source=mairie-33063")
    with pytest.raises(ValueError):
        with_source("https://x.example.org/", "inconnue")
