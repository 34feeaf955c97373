"""Templates compiled once per process, whatever the number of generators and builds.

Pelican gives each generator a Jinja environment of its own, so every theme template used to be
compiled once per generator, and again at every rebuild of ``make run``. One bytecode cache, in
memory, shared by every environment of the process, keeps each compiled template; Jinja checks the
source's checksum before using it, so an edited template is compiled again.
"""

from __future__ import annotations

import logging

from jinja2 import BytecodeCache

logger = logging.getLogger(__name__)


class MemoryBytecodeCache(BytecodeCache):
    def __init__(self):
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self._store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._store.clear()


SHARED = MemoryBytecodeCache()


def share_compiled_templates(settings: dict) -> None:
    """Every environment Pelican creates for this build uses the process's cache."""
    environment = dict(settings.get("JINJA_ENVIRONMENT") or {})
    environment.setdefault("bytecode_cache", SHARED)
    settings["JINJA_ENVIRONMENT"] = environment
