"""Markdown read once: what Pelican's Markdown reader made of a file, kept while nothing that shapes it changed.

Pelican reads and converts every news item, press item and page at every build (a quarter of a second for
the 24 files of the site, most of a phone edit's reading time). Its own reader cache
(``CONTENT_CACHING_LAYER = "reader"``) keys an entry on the file's date or bytes only: a plugin, a setting
or a library that changes the HTML made of the same text would not invalidate it, and it pickles the
category with the settings it points to (the data model, the pipeline…).

Here each Markdown reader of a build is wrapped: an entry is the reader's (content, metadata) for a file's
path and bytes, and the entries live in ``<CACHE_PATH>/readers/<key>.pickle``, where ``key`` digests what
shapes them: the build's code (``pipeline.inputs.code_digest``: plugins, model, settings files, the
versions of Pelican and Markdown) and the build's settings. Another key means another file: the entries of
an older code are never read, and the file is pruned when the next one is saved. The category, authors and
tags (objects holding the settings) are kept by class and name, and made again with this build's settings.
Only the entries of the files read by this build are saved, and only when one was read afresh.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
from pathlib import Path

from pelican.readers import MarkdownReader
from pelican.urlwrappers import URLWrapper

from .files import replace_whole

logger = logging.getLogger(__name__)

FOLDER = "readers"  # under CACHE_PATH
SUFFIX = ".pickle"


class _Wrapper:
    """A category, author or tag in the cache: its class and name."""

    __slots__ = ("cls", "name")

    def __init__(self, cls: type, name: str):
        self.cls, self.name = cls, name

    def __reduce__(self):
        return (_Wrapper, (self.cls, self.name))


def _freeze(value):
    if isinstance(value, URLWrapper):
        return _Wrapper(type(value), value.name)
    if isinstance(value, list):
        return [_freeze(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_freeze(item) for item in value)
    if isinstance(value, dict):
        return {key: _freeze(item) for key, item in value.items()}
    return value


def _thaw(value, settings: dict):
    if isinstance(value, _Wrapper):
        return value.cls(value.name, settings)
    if isinstance(value, list):
        return [_thaw(item, settings) for item in value]
    if isinstance(value, tuple):
        return tuple(_thaw(item, settings) for item in value)
    if isinstance(value, dict):
        return {key: _thaw(item, settings) for key, item in value.items()}
    return value


class ReaderCache:
    """The Markdown entries of one build, keyed by ``key`` (what shapes them), in ``folder``."""

    def __init__(self, folder: Path | None, key: str):
        self.folder, self.key = folder, key
        self.previous: dict[str, tuple[str, bytes]] = {}
        self.entries: dict[str, tuple[str, bytes]] = {}  # path → (sha of its bytes, pickled result)
        self.fresh = 0
        if folder is not None:
            try:
                with open(folder / f"{key}{SUFFIX}", "rb") as handle:
                    loaded = pickle.load(handle)
                if isinstance(loaded, dict):
                    self.previous = loaded
            except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError):
                pass

    def wrap(self, reader) -> None:
        """``reader.read`` answered from the cache when the file's bytes are the same."""
        read = reader.read
        settings = reader.settings

        def cached_read(source_path):
            with open(source_path, "rb") as handle:
                sha = hashlib.sha256(handle.read()).hexdigest()
            path = os.fspath(source_path)
            known = self.previous.get(path)
            if known is not None and known[0] == sha:
                try:
                    content, metadata = _thaw(pickle.loads(known[1]), settings)
                except Exception:  # noqa: BLE001 - an unreadable entry is read afresh
                    pass
                else:
                    self.entries[path] = known
                    return content, metadata
            content, metadata = read(source_path)
            try:
                self.entries[path] = (sha, pickle.dumps(_freeze((content, metadata))))
            except (pickle.PicklingError, TypeError, AttributeError) as error:
                logger.debug("%s not cached: %s", path, error)
            self.fresh += 1
            return content, metadata

        reader.read = cached_read

    def save(self) -> None:
        """This build's entries, when one was read afresh or a file is gone; older keys' files removed."""
        if self.folder is None or (not self.fresh and self.entries.keys() == self.previous.keys()):
            return
        try:
            replace_whole(self.folder / f"{self.key}{SUFFIX}", pickle.dumps(self.entries))
            for path in self.folder.glob(f"*{SUFFIX}"):
                if path.name != f"{self.key}{SUFFIX}":
                    path.unlink(missing_ok=True)
        except OSError as error:  # a read-only or full disk only costs time
            logger.debug("Markdown cache not written: %s", error)


def folder_of(settings: dict) -> Path | None:
    cache = settings.get("CACHE_PATH")
    return Path(cache) / FOLDER if cache else None


def wrap_readers(cache: ReaderCache, readers) -> None:
    """Every Markdown reader of a generator's ``Readers``."""
    for reader in readers.readers.values():
        if isinstance(reader, MarkdownReader) and not getattr(reader, "_pipeline_cached", False):
            cache.wrap(reader)
            reader._pipeline_cached = True
