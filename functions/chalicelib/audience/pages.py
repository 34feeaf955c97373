"""What a requested path is: a page people read (and which one), or a file the page needs (style, script,
image), which the audience does not count.

The URL shapes are the site's (model/: ``association/<id>/``, ``commune/<insee>-<slug>/``…; plugins/forms:
``<ai>/demande/``, ``<ai>/rappel/``, ``rappel/``, ``merci/``). The functions cannot import the data model, so
they are written here once for the audience; the routing table should carry them when it next changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rules.vocabulary import NETWORK_ID

ASSOCIATION = re.compile(r"/association/([a-z0-9][a-z0-9-]*)/")
ASSOCIATION_FORM = re.compile(r"/association/([a-z0-9][a-z0-9-]*)/(demande|rappel|demande-pro)/")
COMMUNE = re.compile(r"/commune/(\d[\dAB]\d{3})-[a-z0-9-]+/")
DEPARTEMENT = re.compile(r"/departement/[0-9ab]{2,3}-[a-z0-9-]+/")
NETWORK_FORM = "/rappel/"
THANKS = "/merci/"
DIRECTORY = frozenset({"/trouver/", "/carte/", "/association/"})   # finder, map, list of the associations

# Kinds of page, as the funnel reads them.
ASSOCIATION_PAGE, COMMUNE_PAGE, DEPARTEMENT_PAGE, DIRECTORY_PAGE = "association", "commune", "departement", "directory"
FORM_PAGE, THANKS_PAGE, OTHER_PAGE = "form", "thanks", "other"
DIRECTORY_KINDS = frozenset({ASSOCIATION_PAGE, COMMUNE_PAGE, DEPARTEMENT_PAGE, DIRECTORY_PAGE})

PAGE_STATUSES = frozenset({200, 304})   # 304: the browser revalidated a page it had: still a page read


@dataclass(frozen=True, slots=True)
class Page:
    path: str   # normalised: /commune/33063-bordeaux/ whether /…/index.html or /…/ was asked
    kind: str
    key: str = ""   # the AI's id (association and form pages), the commune's INSEE code (commune pages)
    form: str = ""  # "demande" or "rappel" on form pages


def page_path(path: str) -> str | None:
    """The page's canonical path, or None when the path is a file a page uses (css, js, image, json…)."""
    if path.endswith("/index.html"):
        return path[: -len("index.html")]
    if path.endswith("/"):
        return path
    if path.endswith(".html"):
        return path
    return None


def is_page_view(method: str, path: str, status: int) -> bool:
    """A page served to someone: GET, found (or revalidated), and a page rather than a file it needs."""
    return method == "GET" and status in PAGE_STATUSES and page_path(path) is not None


@lru_cache(maxsize=16384)   # a site of a few thousand pages, read a million times a month
def classify(path: str) -> Page:
    """The kind of a page from its canonical path."""
    if path == THANKS:
        return Page(path, THANKS_PAGE)
    if path == NETWORK_FORM:
        return Page(path, FORM_PAGE, NETWORK_ID, "rappel")
    if match := ASSOCIATION_FORM.fullmatch(path):
        return Page(path, FORM_PAGE, match[1], match[2])
    if match := ASSOCIATION.fullmatch(path):
        return Page(path, ASSOCIATION_PAGE, match[1])
    if match := COMMUNE.fullmatch(path):
        return Page(path, COMMUNE_PAGE, match[1])
    if DEPARTEMENT.fullmatch(path):
        return Page(path, DEPARTEMENT_PAGE)
    if path in DIRECTORY:
        return Page(path, DIRECTORY_PAGE)
    return Page(path, OTHER_PAGE)
