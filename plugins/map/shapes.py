"""Publishes the communes' shapes for the maps: one file per département, named after its content.

The committed files (``data/shapes/``, checked by the model) are copied unchanged under
``carte/``, with a content hash in their name: every map of the site refers to the same few files,
which browsers and the CDN keep for a year (see ``deploy/headers.py``); a new vintage gets new names.
"""

from __future__ import annotations

import hashlib
import logging

logger = logging.getLogger(__name__)

FOLDER = "carte/"


def hashed_name(departement: str, data: bytes) -> str:
    """``carte/communes-33.<8 hex of sha256>.json``: the fingerprint plugin's naming, which
    deploy/headers.py caches for a year (that plugin renames theme assets only, in production)."""
    return f"{FOLDER}communes-{departement}.{hashlib.sha256(data).hexdigest()[:8]}.json"


class ShapePublisher:
    """Publishes each département's file once per build, through the build's output files
    (plugins/pipeline: an unchanged file is left as it is), and returns its URL."""

    def __init__(self, shapes, files, siteurl: str):
        self._shapes = shapes
        self._files = files
        self._siteurl = siteurl
        self._published: dict[str, str] = {}

    def path(self, departement: str) -> str:
        """Output-relative path of a département's file, e.g. ``carte/communes-33.1a2b3c4d.json``."""
        rel = self._published.get(departement)
        if rel is None:
            data = self._shapes.files[departement].path.read_bytes()
            rel = hashed_name(departement, data)
            self._files.write(rel, data)
            self._published[departement] = rel
        return rel

    def url(self, departement: str) -> str:
        return f"{self._siteurl}/{self.path(departement)}"
