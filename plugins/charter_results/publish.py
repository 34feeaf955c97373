"""The charter's results on the site: on each signatory's page and on the charter page (issue 24, item 4).

The figures come from the file the functions write (``CHARTER_RESULTS``, rules/charter_results.py), read once
per build by ``SiteBuild.public_results``: no file, no results block — the site builds as before; a broken file
stops the build in French. A figure is shown only over ``results_min_answers`` answers (data/settings.yaml, 10 by
default), so that a share means something and points at no one (model/charter_results.py).

Templates read ``charter_results(association)`` (an association's, None for a non-signatory or too few
answers) and ``charter_results()`` (the region's): a ``Shown`` with the sentences and the dates. The
association pages name their ``Shown`` in their digests (plugins/directory), so a new file renders again
exactly the pages whose figures changed; the charter page is a content page, rendered by every build.
"""

from __future__ import annotations

import logging

from pelican import signals
from pipeline import site_build

logger = logging.getLogger(__name__)


def publish(pelican) -> None:
    settings = pelican.settings
    results = site_build(settings).public_results   # a broken file stops the build here, before any page
    settings.setdefault("JINJA_GLOBALS", {})["charter_results"] = results
    if results.published:
        shown = sum(results.of(a) is not None for a in results.signatories)
        logger.info("Charter results of %s: %d signatory page(s) show figures", results.results.computed_at.date(),
                    shown)


def register() -> None:
    signals.initialized.connect(publish)
