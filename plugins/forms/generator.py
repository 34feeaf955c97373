"""Form pages: for every AI a *demande d'intervention*, an *être rappelé* and a *demande professionnelle* page
(businesses, associations, local authorities), the AAI callback page for communes no AI serves, and the
thank-you page the form functions redirect to.

The forms post to ``FORMS_ENDPOINT`` (the Chalice functions) and work without JavaScript;
``theme/static/js/forms.js`` sends them with ``fetch`` and shows errors next to the fields.
An association's two pages are rendered again only when it or its zone changed (plugins/pipeline).
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from pelican import signals
from pelican.generators import Generator
from pipeline import finishing_step, pipeline_of

from rules import siret
from rules.vocabulary import NETWORK_ID, PROFESSIONAL

from . import choices

logger = logging.getLogger(__name__)

FORM_KINDS = ("demande", "rappel", PROFESSIONAL)   # one page of each per association
NETWORK_CALLBACK_URL = "rappel/"
THANKS_URL = "merci/"


def zone_options(association, reference) -> list[tuple[str, str]]:
    """(INSEE, « Saint-Émilion (33330) ») for every commune the AI serves, A–Z ignoring accents."""
    communes = sorted((reference.communes[code] for code in association.zone),
                      key=lambda c: (c.sort_key, c.insee))
    return [(c.insee, f"{c.name} ({', '.join(c.postal_codes)})") for c in communes]


def form_context(settings: dict) -> dict:
    """What every form template needs besides the page's own AI."""
    site = settings["SITE_DATA"]
    return {
        "FORMS_ACTION_BASE": (settings.get("FORMS_ENDPOINT") or "").rstrip("/"),
        "FORM_CHOICES": choices,
        "AVAILABILITY_GRID": choices.availability_grid(),
        "RETENTION": choices.retention_label(site.settings.retention_days),
        "NETWORK_ID": NETWORK_ID,
        "SIRET_HELP": siret.HELP,   # the rule's own words (rules/siret.py), which the functions check
    }


class FormsGenerator(Generator):
    def generate_output(self, writer) -> None:
        site = self.context["SITE_DATA"]
        extra = form_context(self.settings)
        write = writer.write_file
        pipeline = pipeline_of(self.settings)
        demande, rappel = self.get_template("forms/demande"), self.get_template("forms/rappel")
        professional = self.get_template(f"forms/{PROFESSIONAL}")
        for ai in site.associations:
            options = zone_options(ai, site.reference)
            for kind, template in (("demande", demande), ("rappel", rappel), (PROFESSIONAL, professional)):
                url = f"{ai.url}{kind}/"
                digest = pipeline.inputs.of("form", kind, ai, options)
                if pipeline.unchanged(url + "index.html", digest):
                    continue
                with pipeline.rendering(url + "index.html", digest, template):
                    write(url + "index.html", template, self.context, url=url, page_url=url, ai=ai, zone=options,
                          services=[(s.id, s.name) for s in ai.services], form_kind=kind, **extra)
        write(NETWORK_CALLBACK_URL + "index.html", rappel, self.context, url=NETWORK_CALLBACK_URL,
              page_url=NETWORK_CALLBACK_URL, ai=None, zone=[], form_kind="rappel", **extra)
        write(THANKS_URL + "index.html", self.get_template("forms/merci"), self.context, url=THANKS_URL,
              page_url=THANKS_URL, **extra)
        logger.info("Forms: %d pages for %d associations, the AAI callback page and /%s",
                    len(FORM_KINDS) * len(site.associations), len(site.associations), THANKS_URL)


def functions_pages(output: Path, site) -> dict[str, str]:
    """The finished form pages and the thank-you page, as the site publishes them, for the form functions
    (functions/chalicelib/intake/site_pages.py): keyed ``demande/<ai id>``, ``rappel/<ai id>``,
    ``demande-pro/<ai id>``, ``rappel/aai``, ``merci``."""
    paths = {f"{kind}/{ai.id}": f"{ai.url}{kind}/index.html" for ai in site.associations for kind in FORM_KINDS}
    paths[f"rappel/{NETWORK_ID}"] = NETWORK_CALLBACK_URL + "index.html"
    paths["merci"] = THANKS_URL + "index.html"
    return {key: (output / rel).read_text("utf-8") for key, rel in sorted(paths.items()) if (output / rel).is_file()}


def pages_file(settings: dict) -> Path | None:
    """``FORMS_PAGES``, or ``site_pages.json`` beside the routing table the build writes (``ROUTING_TABLE``):
    a generated file, never committed, that the Lambda package carries like routing.json."""
    if settings.get("FORMS_PAGES"):
        return Path(settings["FORMS_PAGES"])
    if settings.get("ROUTING_TABLE"):
        return Path(settings["ROUTING_TABLE"]).with_name("site_pages.json")
    return None


def write_functions_pages(pelican, pipeline=None) -> None:
    """After the fingerprints (their asset names are the published ones): written only when it changed."""
    path = pages_file(pelican.settings)
    if path is None:
        return
    text = json.dumps(functions_pages(Path(pelican.output_path), pelican.settings["SITE_DATA"]),
                      ensure_ascii=False, sort_keys=True)
    if path.is_file() and path.read_text("utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, "utf-8")
    temporary.replace(path)
    logger.info("Form pages for the functions written: %s", path)


def get_generators(pelican):
    return FormsGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
    finishing_step("forms-for-functions", 90, write_functions_pages)
