"""The directory: one page per département, per commune and per association, and the finder index.

These pages are written straight from the data model by one generator: as Pelican pages
they would cost minutes and gigabytes (2,228 communes).

A page is rendered only when what it shows changed (plugins/pipeline): the templates it read are
noted as it is rendered, and its digest names the model objects it shows, besides what every page
shares (code, settings, site-wide data). A commune page, and its town hall's (commune/<…>/mairie/: the card for the
town's website and the poster, plugins/directory/town_hall.py), show its commune, département and the AIs
serving it; a département page its communes, who serves each, its AIs and its map; an association
page the association, its zone, the AIs sharing its communes, its news, its map and its charter results
(plugins/charter_results). A template that
starts showing other data must add it to the digest here, or its pages go stale: the property test
(tests/plugins/pipeline/test_incremental_property.py) edits each kind of data at random to catch it.
"""

from __future__ import annotations

import logging

from pelican import signals
from pelican.generators import Generator
from pipeline import pipeline_of, site_build
from pipeline.parallel import start, workers_for

from rules import tax_credit
from rules.typography import fold

from .finder import ENTRY, finder_files
from .french import FILTERS
from .town_hall import PAGE as TOWN_HALL_PAGE
from .town_hall import card_link, poster_qr

logger = logging.getLogger(__name__)

INDEX_SAVE_AS = ENTRY  # the finder's index: its entry, which names the parts (finder.py)
FINDER_NOTES = "finder"  # the build state's part: what the finder's files were made from, and their names


class DirectoryGenerator(Generator):
    def generate_output(self, writer) -> None:
        site = self.context["SITE_DATA"]
        reference = site.reference
        pipeline = pipeline_of(self.settings)
        inputs = pipeline.inputs
        maps = self.context.get("MAPS")
        news = self.context.get("NEWS_BY_ASSOCIATION") or {}
        results = site_build(self.settings).public_results
        rendered = 0

        def write(url: str, template: str, digest: str, with_map: bool = False, **page) -> bool:
            """Rendered unless it was made from the same inputs by the last build (then kept); True if rendered."""
            companions = (maps.script_path(url),) if with_map and maps is not None else ()
            if pipeline.unchanged(url + "index.html", digest, companions):
                return False
            page_template = self.get_template(template)
            with pipeline.rendering(url + "index.html", digest, page_template):
                writer.write_file(url + "index.html", page_template, self.context, url=url, page_url=url, **page)
            return True

        public_url = self.settings["PUBLIC_URL"]

        def render_commune(commune) -> bool:
            """The commune's page and its town hall's (the card, the poster): the same inputs."""
            departement = reference.departements[commune.departement]
            associations = site.serving(commune.insee)
            rendered = write(commune.url, "commune", inputs.of("commune", commune, departement, associations),
                             commune=commune, departement=departement, associations=associations)
            url = commune.url + TOWN_HALL_PAGE
            digest = inputs.of("town-hall", commune, departement, associations)
            if not pipeline.unchanged(url + "index.html", digest):
                link = card_link(public_url, commune)
                town_hall = self.get_template("town_hall")
                with pipeline.rendering(url + "index.html", digest, town_hall):
                    writer.write_file(url + "index.html", town_hall, self.context, url=url, page_url=url,
                                      commune=commune, departement=departement, associations=associations,
                                      card_link=link, poster_qr=poster_qr(link, self.settings.get("CACHE_PATH")))
                rendered = True
            return rendered

        # Commune pages, the bulk of the site, have no map: checked and rendered by forked workers, one per
        # core (pipeline.parallel), while this process goes on with the pages that have maps and the other
        # generators; the pipeline joins them before its finishing steps.
        pipeline.wait_for(start("Commune pages", list(reference.communes.values()), render_commune,
                                pipeline.files, workers_for(self.settings.get("BUILD_WORKERS")),
                                records=(pipeline.page_inputs, pipeline.reads.sets),
                                min_pages=self.settings.get("BUILD_PARALLEL_MIN_PAGES")))

        for departement in reference.departements.values():
            communes = reference.in_departement(departement.code)
            associations = site.associations_in(departement.code)
            map_inputs = maps.inputs((departement.code,)) if maps is not None else ""  # after the workers start
            digest = inputs.of("departement", departement, communes, associations, map_inputs,
                               [[a.id for a in site.serving(c.insee)] for c in communes])
            rendered += write(departement.url, "departement", digest, with_map=bool(associations),
                              departement=departement, communes=communes, letters=_by_letter(communes),
                              associations=associations)

        for association in site.associations:
            zone = {}
            for insee in association.zone:
                commune = reference.communes[insee]
                zone.setdefault(commune.departement, []).append(commune)
            zone_by_departement = [
                (reference.departements[code], sorted(zone[code], key=lambda c: c.sort_key))
                for code in association.departements if code in zone]
            sharing = sorted({a.id: a for insee in association.zone for a in site.serving(insee)}.items())
            map_inputs = maps.inputs(association.departements) if maps is not None else ""
            digest = inputs.of("association", association, zone_by_departement, [a for _, a in sharing],
                               map_inputs,
                               [(n.url, n.title, n.date.isoformat()) for n in news.get(association.id, ())],
                               results.of(association.id))
            rendered += write(association.url, "association", digest, with_map=True, association=association,
                              zone_by_departement=zone_by_departement)

        finder = inputs.of("finder", list(reference.communes.values()),
                           [(a.id, a.name, sorted(a.zone)) for a in site.associations])
        notes = pipeline.notes(FINDER_NOTES)
        if not (notes.get("input") == finder and all(pipeline.files.keep(rel) for rel in notes.get("files", []))):
            made = finder_files(site)
            for rel, text in made.items():
                pipeline.files.write(rel, text)
            notes = {"input": finder, "files": sorted(made)}
        pipeline.remember(FINDER_NOTES, notes)
        logger.info("Directory: %d départements, %d communes, %d associations; %d département and "
                    "association page(s) rendered", len(reference.departements), len(reference.communes),
                    len(site.associations), rendered)


def _by_letter(communes) -> list[tuple[str, list]]:
    """Group communes under their initial (accents folded), for the A–Z jump list."""
    groups: dict[str, list] = {}
    for commune in communes:
        groups.setdefault(fold(commune.name)[:1].upper(), []).append(commune)
    return list(groups.items())


def get_generators(pelican):
    return DirectoryGenerator


def offering(association, service_id: str) -> bool:
    """Jinja test: ``associations | select("offering", service.id)`` (the page's few AIs, not all of them)."""
    return association.offers(service_id)


def add_filters(pelican) -> None:
    pelican.settings.setdefault("JINJA_FILTERS", {}).update(FILTERS)
    pelican.settings.setdefault("JINJA_TESTS", {})["offering"] = offering
    pelican.settings.setdefault("JINJA_GLOBALS", {})["TAX_CREDIT"] = tax_credit  # theme/templates/_price.html


def register() -> None:
    signals.initialized.connect(add_filters)
    signals.get_generators.connect(get_generators)
