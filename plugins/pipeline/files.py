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
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

NOINDEX = re.compile(r"<meta\s+name=[\"']robots[\"']\s+content=[\"'][^\"']*noindex", re.I)
SEARCH_BODY = "data-pagefind-body"
UNUSUAL_PATH = re.compile(r"//|(?:^|/)\.(?:/|$)|/$")  # what Path() would tidy: "a//b", "./a", "a/./b", "a/"
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
        self.removed: set[str] = set()
        self.pages: dict[str, PageFacts] = {}
        self.transforms: list[Callable[[str, str], str]] = []  # (relative path, html) → html
        self.assets: Callable[[str, bytes], bytes] | None = None  # (relative path, bytes) → bytes, other files
        self._previous = previous_pages or {}
        self._on_first_write = on_first_write

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
                if self.assets is not None:
                    data = self.assets(rel, data)
        elif rel.endswith(".html"):
            self.pages[rel] = PageFacts.of(data.decode("utf-8", errors="replace"), data)
        elif self.assets is not None:
            data = self.assets(rel, data)
        self.produced.add(rel)
        path = os.path.join(self.root, rel)
        try:
            status = os.stat(path)
        except (FileNotFoundError, NotADirectoryError):
            status = None
        if status is not None:
            if stat.S_ISDIR(status.st_mode):
                raise IsADirectoryError(f"{path}: a folder stands where the build must write a file")
            if status.st_size == len(data) and _read(path) == data:
                return False
            self._changing()
            scratch = f"{path}.{os.getpid()}.tmp"  # replaced whole: the local server never serves half a page
            _create(scratch, data)
            os.replace(scratch, path)
        else:
            self._changing()
            try:
                _create(path, data)
            except (FileNotFoundError, NotADirectoryError):
                _make_folder(Path(path).parent, self.root)
                _create(path, data)
        self.changed.add(rel)
        return True

    def copy(self, source: str | Path, rel: str) -> bool:
        """Copy a file in; an unchanged copy keeps its modification time."""
        return self.write(rel, Path(source).read_bytes())

    def keep(self, rel: str) -> bool:
        """Declare an existing file part of this build, as it is; False (nothing kept) if it is missing."""
        rel = self._relative(rel)
        path = os.path.join(self.root, rel)  # plain strings: called for every page of a build (France: 37,291)
        try:
            if not stat.S_ISREG(os.stat(path).st_mode):
                return False
        except (FileNotFoundError, NotADirectoryError):
            return False
        if rel.endswith(".html") and rel not in self.pages:
            facts = self._previous.get(rel)
            if facts is None:
                data = _read(path)
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
        """Delete every file under the output the build did not produce, then the folders left empty.

        ``owned``: top-level folders other tools fill (the print kit), and the build's own notes.
        """
        owned = {name.strip("/") for name in owned} | {STATE_DIR}
        removed = []
        folders = [("", str(self.root))]
        while folders:
            rel_folder, folder = folders.pop()
            with os.scandir(folder) as entries:
                for entry in entries:
                    if not rel_folder and entry.name in owned:
                        continue
                    rel = f"{rel_folder}/{entry.name}" if rel_folder else entry.name
                    if entry.is_dir(follow_symlinks=False):
                        folders.append((rel, entry.path))
                    elif rel not in self.produced:
                        self._changing()
                        os.unlink(entry.path)
                        removed.append(rel)
        emptied = {parent for rel in removed for parent in _parents(rel)}
        for rel in sorted(emptied, key=lambda r: (-r.count("/"), r)):
            try:
                os.rmdir(self.root / rel)  # only succeeds when empty
            except OSError:
                pass
        self.removed.update(removed)
        if removed:
            logger.info("Output: %d stale file(s) removed (%s%s)", len(removed), ", ".join(sorted(removed)[:3]),
                        "…" if len(removed) > 3 else "")
        return sorted(removed)

    # --- inside -------------------------------------------------------------------------------------

    def _relative(self, rel: str | Path) -> str:
        if isinstance(rel, str) and rel and rel[0] != "/" and not UNUSUAL_PATH.search(rel):
            return rel  # already what Path(rel).as_posix() would give: the common case, made cheap
        path = Path(rel)
        if path.is_absolute():
            path = path.relative_to(self.root)
        return path.as_posix()

    def _changing(self) -> None:
        if self._on_first_write is not None:
            callback, self._on_first_write = self._on_first_write, None
            callback()


def _parents(rel: str) -> list[str]:
    """``a/b/c.html`` → ``["a/b", "a"]``."""
    parts = rel.split("/")[:-1]
    return ["/".join(parts[:n]) for n in range(len(parts), 0, -1)]


def replace_whole(path: Path, data: bytes) -> None:
    """``data`` written beside ``path`` under a scratch name, then renamed over it: a reader (another build, the
    local server) finds the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    scratch.write_bytes(data)
    os.replace(scratch, path)


def _create(path: str, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _make_folder(folder: Path, root: Path) -> None:
    """Create ``folder``; a file standing where one of its folders must be is removed first."""
    for parent in [folder, *folder.parents]:
        if parent == root or root not in parent.parents:
            break
        if parent.is_file() or parent.is_symlink():
            parent.unlink()
            break
    folder.mkdir(parents=True, exist_ok=True)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return False
