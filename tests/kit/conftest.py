"""Fixtures for the print kit: the real data, one association's kit built once, a stress case."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest

from kit.build import build_kit
from kit.render import Renderer
from model import load_site

ROOT = Path(__file__).resolve().parents[2]

SAMPLE_AI = "ai-grand-perigueux"
# 121 characters: far longer than any real association’s name.
LONG_NAME = ("Association intermédiaire pour l’emploi solidaire et les services à domicile "
             "des Coteaux de Gascogne et du Pays de Marsan")


@pytest.fixture(scope="session")
def site():
    return load_site(ROOT)


@pytest.fixture(scope="session")
def renderer(site):
    return Renderer(site.brand, site.settings, site.reference)


@pytest.fixture(scope="session")
def sample(site):
    return site.association(SAMPLE_AI)


@pytest.fixture(scope="session")
def built_kit(once):
    """The whole kit of one association, rendered once for the whole run, whichever workers read it: (folder,
    report). The report is the one that run gave, kept beside the kit."""
    def make(folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        report = build_kit(ROOT, folder / "kit", only=[SAMPLE_AI], jobs=1)
        (folder / "report.pickle").write_bytes(pickle.dumps(report))
    folder = once("kit", make)
    return folder / "kit", pickle.loads((folder / "report.pickle").read_bytes())


@pytest.fixture(scope="session")
def stress(site):
    """The longest name, every service of the catalogue, long address and e-mail."""
    base = site.association(SAMPLE_AI)
    return dataclasses.replace(
        base, id="ai-stress", name=LONG_NAME,
        address="Maison des solidarités, bâtiment B, 1240 avenue du Maréchal-de-Lattre-de-Tassigny",
        email="accueil.services-a-domicile@coteaux-de-gascogne-et-du-marsan.example.org",
        hours=("Du lundi au vendredi, de 8 h 30 à 12 h 30 et de 13 h 30 à 18 h ; "
               "le samedi matin sur rendez-vous"),
        services=tuple(site.services.values()))
