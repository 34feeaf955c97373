"""Which templates each page read while it was rendered: a page is rendered again when one of them changed.

Nobody declares a page's templates: every Jinja environment of the build reports each template it loads
(``extends``, ``include``, ``import``, a miss of ``include … ignore missing`` too) to the page being
rendered. What a page read is saved as a *template set*: its names, under a key made of the names and
their sources. The next build asks whether the set's key is still what those names' sources give; a
template edited, added where an ``ignore missing`` found nothing, or removed changes it. Editing
``forms/demande.html`` then renders the forms again, not the 2,228 commune pages.

A block rendered once and reused by later pages (``fragment``, plugins/pipeline/templates.py) hands what
it read to each page that reuses it.
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager

from jinja2 import TemplateNotFound

from model.digest import digest

MISSING = "-"  # the source digest of a name no loader has


class TemplateReads:
    """The template sets of one build; ``previous``: the last build's sets (key → names)."""

    def __init__(self, previous: dict | None = None):
        self.previous = previous or {}
        self.sets: dict[str, list[str]] = {}  # key → names, of the pages of this build (saved)
        self._environment = None
        self._sources: dict[str, str] = {}  # name → its source's digest, once per build
        self._keys: dict[frozenset[str], str] = {}  # a few sets for thousands of pages: each key made once
        self._checked: dict[str, bool] = {}  # the last build's keys, checked once
        self._open: list[set[str]] = []  # the page being rendered, and the fragments it is inside

    def watch(self, environment) -> None:
        """Report every template ``environment`` loads (by its full name) to what is being rendered."""
        load = environment._load_template  # what get_template, select_template and every tag call

        def reporting(name, globals):
            for names in self._open:
                names.add(name)
            return load(name, globals)

        environment._load_template = reporting
        if self._environment is None:
            self._environment = environment

    @contextmanager
    def reading(self, *first: str):
        """The names loaded inside the block (and ``first``: a template fetched before it)."""
        names = set(first)
        for outer in self._open:
            outer.update(names)
        self._open.append(names)
        try:
            yield names
        finally:
            self._open.remove(names)

    def replay(self, names) -> None:
        """A reused fragment's templates, for the page reusing it."""
        for outer in self._open:
            outer.update(names)

    def key(self, names) -> str:
        """The set's key for this build, noted with its names."""
        frozen = frozenset(names)
        result = self._keys.get(frozen)
        if result is None:
            ordered = sorted(frozen)
            result = self._keys[frozen] = digest([[name, self._source(name)] for name in ordered])
            self.sets[result] = ordered
        return result

    def unchanged(self, key: str) -> bool:
        """The last build's set ``key`` has the same sources today (then kept for this build)."""
        known = self._checked.get(key)
        if known is None:
            names = self.previous.get(key)
            known = self._checked[key] = isinstance(names, list) and self.key(names) == key
        return known

    def _source(self, name: str) -> str:
        known = self._sources.get(name)
        if known is None:
            try:
                source = self._environment.loader.get_source(self._environment, name)[0]
                known = hashlib.sha256(source.encode("utf-8")).hexdigest()[:24]
            except TemplateNotFound:
                known = MISSING
            self._sources[name] = known
        return known
