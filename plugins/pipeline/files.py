"""The output folder, written only where it changes.

Every file of a build goes through ``OutputFiles``: a file whose bytes are the same as on disk is
left alone (same mtime, nothing for the deploy, the browser or a file watcher to notice), a new or
different one is written atomically (the local server never serves half a page), and a file the
build no longer produces is removed at the end — exactly those, so a build never needs to delete
the whole folder first.

What later steps need to know of each HTML page (is it in the sitemap? in the search index?) is
noted while it is written, and carried over from the previous build for a page left untouched.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

NOINDEX = re.compile(r"<meta\s+name=[\"']robots[\"']\s+content=[\"'][^\"']*noindex", re.I)
SEARCH_BODY = "data-pagefind-body"
STATE_DIR = ".build"  # the build's own notes (plugins/pipeline/state.py); never deployed (a dot folder)


@dataclass(frozen=True)
class PageFacts:
    """What the sitemap and the search index need to know of an HTML page, without reading it again."""

    indexable: bool  # no robots noindex: listed in the sitemap
    searchable: bool  # has a Pagefind body: given to the search index
    sha: str  # a hash of its bytes: the search index is rebuilt only when an indexed page changed

    def as_list(self) -> list:
        return [self.indexable, self.searchable, self.sha]

    @classmethod
    def from_list(cls, value) -> PageFacts:
        indexable, searchable, sha = value
        return cls(bool(indexable), bool(searchable), str(sha))

    @classmethod
    def of(cls, text: str, data: bytes) -> PageFacts:
        return cls(not NOINDEX.search(text), SEARCH_BODY in text, content_hash(data))


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:20]


class OutputFiles:
    """The ledger of one build: what it wrote, what it kept, and the facts of its pages.

    ``previous_pages``: the page facts of the last build (``BuildState``), for pages kept as they are.
    ``on_first_write``: called once, before the first byte changes on disk (the state of the last
    build stops describing the folder from then on).
    """

    def __init__(self, root: str | Path, previous_pages: dict[str, PageFacts] | None = None,
                 on_first_write: Callable[[], None] | None = None):
        self.root = Path(root)
        self.produced: set[str] = set()
        self.changed: set[str] = set()
        self.pages: dict[str, PageFacts] = {}
        self.transforms: list[Callable[[str, str], str]] = []  # (relative path, html) → html
        self._previous = previous_pages or {}
        self._on_first_write = on_first_write
        self._folders: set[Path] = set()

    # --- writing ---------------------------------------------------------------------------------------

    def write(self, rel: str, data: str | bytes) -> bool:
        """Make ``rel`` hold ``data``; True when the file was new or different."""
        rel = self._relative(rel)
        if isinstance(data, str):
            if rel.endswith(".html"):
                for transform in self.transforms:
                    data = transform(rel, data)
                text = data
                data = data.encode("utf-8")
                self.pages[rel] = PageFacts.of(text, data)
            else:
                data = data.encode("utf-8")
        elif rel.endswith(".html"):
            self.pages[rel] = PageFacts.of(data.decode("utf-8", errors="replace"), data)
        self.produced.add(rel)
        path = self.root / rel
        if _same_bytes(path, data):
            return False
        self._write(path, data)
        self.changed.add(rel)
        return True

    def copy(self, source: str | Path, rel: str) -> bool:
        """Copy a file in; an unchanged copy keeps its modification time."""
        return self.write(rel, Path(source).read_bytes())

    def keep(self, rel: str) -> bool:
        """Declare an existing file part of this build, as it is; False (nothing kept) if it is missing."""
        rel = self._relative(rel)
        path = self.root / rel
        if not path.is_file():
            return False
        if rel.endswith(".html") and rel not in self.pages:
            facts = self._previous.get(rel)
            if facts is None:
                data = path.read_bytes()
                facts = PageFacts.of(data.decode("utf-8", errors="replace"), data)
            self.pages[rel] = facts
        self.produced.add(rel)
        return True

    def rename(self, old: str, new: str) -> None:
        """Move a produced file to a new name (fingerprinting); an identical file already there is kept."""
        old, new = self._relative(old), self._relative(new)
        source, target = self.root / old, self.root / new
        if _same_bytes(target, source.read_bytes()):
            source.unlink()
        else:
            self._changing()
            os.replace(source, target)
            self.changed.add(new)
        self.produced.discard(old)
        self.changed.discard(old)
        self.produced.add(new)
        if old in self.pages:
            self.pages[new] = self.pages.pop(old)

    def read_text(self, rel: str) -> str:
        return (self.root / self._relative(rel)).read_text("utf-8")

    # --- the end of a build ---------------------------------------------------------------------------

    def remove_stale(self, owned: Iterable[str] = ()) -> list[str]:
        """Delete every file under the output the build did not produce, then empty folders.

        ``owned``: top-level folders other tools fill (the print kit), and the build's own notes.
        """
        owned = {name.strip("/") for name in owned} | {STATE_DIR}
        removed = []
        for folder, subfolders, names in os.walk(self.root, topdown=True):
            base = Path(folder)
            rel_folder = base.relative_to(self.root).as_posix()
            if rel_folder == ".":
                subfolders[:] = [d for d in subfolders if d not in owned]
                prefix = ""
            else:
                prefix = rel_folder + "/"
            for name in names:
                rel = prefix + name
                if rel not in self.produced and not (prefix == "" and name in owned):
                    self._changing()
                    (base / name).unlink()
                    removed.append(rel)
        for folder, _, _ in sorted(os.walk(self.root), key=lambda item: -len(item[0])):
            path = Path(folder)
            if path != self.root and path.relative_to(self.root).parts[0] not in owned:
                try:
                    path.rmdir()  # only succeeds when empty
                except OSError:
                    pass
        if removed:
            logger.info("Output: %d stale file(s) removed (%s%s)", len(removed), ", ".join(removed[:3]),
                        "…" if len(removed) > 3 else "")
        return sorted(removed)

    # --- inside -------------------------------------------------------------------------------------

    def _relative(self, rel: str | Path) -> str:
        path = Path(rel)
        if path.is_absolute():
            path = path.relative_to(self.root)
        return path.as_posix()

    def _changing(self) -> None:
        if self._on_first_write is not None:
            callback, self._on_first_write = self._on_first_write, None
            callback()

    def _write(self, path: Path, data: bytes) -> None:
        self._changing()
        folder = path.parent
        if folder not in self._folders:
            if folder.is_file() or folder.is_symlink():
                folder.unlink()  # a file where a folder must now be
            folder.mkdir(parents=True, exist_ok=True)
            self._folders.add(folder)
        if path.is_dir():
            raise IsADirectoryError(f"{path}: a folder stands where the build must write a file")
        scratch = folder / f".{path.name}.{os.getpid()}.tmp"
        scratch.write_bytes(data)
        os.replace(scratch, path)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return False
