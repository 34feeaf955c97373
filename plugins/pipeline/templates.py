"""Templates compiled once, whatever the number of generators, builds and processes.

Pelican gives each generator a Jinja environment of its own, so every theme template used to be
compiled once per generator, at every build. One bytecode cache, shared by every environment, keeps
each compiled template in memory (the builds of ``make run``'s warm process) and on disk under
Pelican's ``CACHE_PATH`` (every later ``make build``). Jinja checks the source's checksum before using
a compiled template, so an edited template is compiled again; the folder is named after the
environment's options and Jinja's version, which the checksum does not cover.
"""

from __future__ import annotations

import logging
from pathlib import Path

import jinja2
from jinja2 import BytecodeCache, FileSystemBytecodeCache

from model.digest import digest

logger = logging.getLogger(__name__)

FOLDER = "templates"


class SharedBytecodeCache(BytecodeCache):
    """In memory, in front of an optional folder on disk."""

    def __init__(self):
        self._memory: dict[str, bytes] = {}
        self.disk: FileSystemBytecodeCache | None = None

    def load_bytecode(self, bucket) -> None:
        code = self._memory.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)
        elif self.disk is not None:
            self.disk.load_bytecode(bucket)
            if bucket.code is not None:
                self._memory[bucket.key] = bucket.bytecode_to_string()

    def dump_bytecode(self, bucket) -> None:
        self._memory[bucket.key] = bucket.bytecode_to_string()
        if self.disk is not None:
            try:
                self.disk.dump_bytecode(bucket)
            except OSError as error:  # a read-only or full disk only costs time
                logger.debug("template cache not written: %s", error)

    def clear(self) -> None:
        self._memory.clear()


SHARED = SharedBytecodeCache()


def share_compiled_templates(settings: dict) -> None:
    """Every environment Pelican creates for this build uses the process's cache (and CACHE_PATH's)."""
    environment = dict(settings.get("JINJA_ENVIRONMENT") or {})
    environment.pop("bytecode_cache", None)
    # Each build makes environments of its own (the warm process too: a new Pelican per build), so a
    # template cannot change under one: without this, every {% include %} of every page stats its file.
    environment.setdefault("auto_reload", False)
    if settings.get("CACHE_PATH"):
        options = {key: repr(value) for key, value in sorted(environment.items())}
        folder = Path(settings["CACHE_PATH"]) / FOLDER / digest(options, jinja2.__version__)[:12]
        try:
            folder.mkdir(parents=True, exist_ok=True)
            SHARED.disk = FileSystemBytecodeCache(str(folder))
        except OSError as error:
            logger.debug("no template cache on disk: %s", error)
            SHARED.disk = None
    environment["bytecode_cache"] = SHARED
    settings["JINJA_ENVIRONMENT"] = environment


class Fragments:
    """``{% call fragment("name", key…) %}…{% endcall %}``: the block is rendered once per key in a build and
    reused, for parts repeated on thousands of pages (France: 35,648 commune pages, 512 associations).

    The key must name everything the block shows besides what is the same on every page of a build (settings,
    SITEURL): a block keyed by an association's id shows that association only. A new instance per build
    (``make run``'s warm process builds again after an edit); forked workers start from a copy. The templates
    the block loaded are reported again to each page that reuses it (``reads``: the build's TemplateReads).
    """

    def __init__(self, reads=None):
        self._rendered: dict[tuple, tuple[str, frozenset[str]]] = {}
        self._reads = reads

    def __call__(self, *key, caller):
        known = self._rendered.get(key)
        if known is None:
            if self._reads is None:
                known = (caller(), frozenset())
            else:
                with self._reads.reading() as names:
                    text = caller()
                known = (text, frozenset(names))
            self._rendered[key] = known
        elif known[1]:
            self._reads.replay(known[1])
        return known[0]
