"""The directory: one page per département, per commune and per association, and the finder index.

These pages are written straight from the data model by one generator: as Pelican pages
they would cost minutes and gigabytes (2,228 communes).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from rules.typography import fold

from .french import FILTERS

logger = logging.getLogger(__name__)

INDEX_SAVE_AS = "trouver/communes.json"


def finder_index(site) -> dict:
    """Compact JSON for the menus and the type-ahead: lists, not objects, to stay small."""
    ais = list(site.associations)
    position = {a.id: i for i, a in enumerate(ais)}
    return {
        "departements": [[d.code, d.name] for d in site.reference.departements.values()],
        "associations": [[a.id, a.name, a.url] for a in ais],
        "communes": [
            [c.insee, c.name, c.departement, " ".join(c.postal_codes),
             "|".join(f.name for f in c.former if f.name != c.name), c.slug,
             [position[a.id] for a in site.serving(c.insee)]]
            for d in site.reference.departements
            for c in site.reference.in_departement(d)
        ],
    }


class DirectoryGenerator(Generator):
    def generate_output(self, writer) -> None:
        site = self.context["SITE_DATA"]
        reference = site.reference
        write = writer.write_file

        for departement in reference.departements.values():
            communes = reference.in_departement(departement.code)
            write(departement.url + "index.html", self.get_template("departement"), self.context,
                  url=departement.url, page_url=departement.url, departement=departement,
                  communes=communes, letters=_by_letter(communes),
                  associations=site.associations_in(departement.code))

        template = self.get_template("commune")
        for commune in reference.communes.values():
            write(commune.url + "index.html", template, self.context, url=commune.url,
                  page_url=commune.url, commune=commune,
                  departement=reference.departements[commune.departement],
                  associations=site.serving(commune.insee))

        template = self.get_template("association")
        for association in site.associations:
            zone = {}
            for insee in association.zone:
                commune = reference.communes[insee]
                zone.setdefault(commune.departement, []).append(commune)
            zone_by_departement = [
                (reference.departements[code], sorted(zone[code], key=lambda c: c.sort_key))
                for code in association.departements if code in zone]
            write(association.url + "index.html", template, self.context, url=association.url,
                  page_url=association.url, association=association,
                  zone_by_departement=zone_by_departement)

        path = Path(writer.output_path) / INDEX_SAVE_AS
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as handle:
            json.dump(finder_index(site), handle, ensure_ascii=False, separators=(",", ":"))
        logger.info("Directory: %d départements, %d communes, %d associations",
                    len(reference.departements), len(reference.communes), len(site.associations))


def _by_letter(communes) -> list[tuple[str, list]]:
    """Group communes under their initial (accents folded), for the A–Z jump list."""
    groups: dict[str, list] = {}
    for commune in communes:
        groups.setdefault(fold(commune.name)[:1].upper(), []).append(commune)
    return list(groups.items())


def get_generators(pelican):
    return DirectoryGenerator


def add_filters(pelican) -> None:
    pelican.settings.setdefault("JINJA_FILTERS", {}).update(FILTERS)


def register() -> None:
    signals.initialized.connect(add_filters)
    signals.get_generators.connect(get_generators)
