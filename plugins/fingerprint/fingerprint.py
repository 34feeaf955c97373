"""Rename static assets to ``name.<8 hex of sha256>.ext`` and rewrite references.

Runs once every page is written (a finishing step of plugins/pipeline, after the
sitemap and the search index), so it sees the output exactly as it will be published;
its rewrites and renames go through the build's ledger, so unchanged files keep their dates.
Assets referenced by other assets
(fonts and images in CSS) are hashed first, so a changed font also changes the
name of the stylesheet that loads it. Everything is processed in sorted order
and hashes depend only on content: the same input gives byte-identical output.

Settings:
- ``FINGERPRINT_ASSETS``: enable the plugin (production only, see publishconf.py).
- ``FINGERPRINT_EXTRA_DIRS``: output folders fingerprinted besides ``THEME_STATIC_DIR``
  (only style sheets, scripts, fonts and images are renamed).
- ``FINGERPRINT_EXCLUDE``: glob patterns (output-relative) of files to leave alone,
  e.g. images whose name a script computes at run time (Leaflet's default markers).
"""

from __future__ import annotations

import fnmatch
import hashlib
import logging
import posixpath
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from pipeline.files import OutputFiles

logger = logging.getLogger(__name__)

HASH_LENGTH = 8
# Only web assets are renamed: licence texts and the like keep their names.
ASSET_SUFFIXES = {
    ".css", ".js", ".mjs", ".woff2", ".woff", ".ttf", ".otf", ".eot",
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".ico",
}
REWRITE_SUFFIXES = {".html", ".css", ".js", ".mjs", ".json", ".xml", ".webmanifest"}
# Leaflet finds its marker images by parsing "marker-icon.png" out of its CSS.
DEFAULT_EXCLUDE = ("*/marker-icon.png", "*/marker-icon-2x.png", "*/marker-shadow.png")
# Characters that end a URL when walking back from the file name.
DELIMITERS = frozenset(" \t\r\n\"'()<>=,;`{}[]")
FINGERPRINTED_RE = re.compile(rf"\.([0-9a-f]{{{HASH_LENGTH}}})(\.[^./]+)?$")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:HASH_LENGTH]


def hashed_name(rel: str, data: bytes) -> str:
    """``theme/css/site.css`` → ``theme/css/site.<hash>.css``."""
    folder, name = posixpath.split(rel)
    stem, dot, ext = name.rpartition(".")
    new = f"{stem}.{_digest(data)}.{ext}" if dot and stem else f"{name}.{_digest(data)}"
    return posixpath.join(folder, new)


def _already_fingerprinted(rel: str, data: bytes) -> bool:
    match = FINGERPRINTED_RE.search(posixpath.basename(rel))
    return bool(match) and match.group(1) == _digest(data)


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="surrogateescape")


def _encode(text: str) -> bytes:
    return text.encode("utf-8", errors="surrogateescape")


class References:
    """Find and rewrite URLs ending in a known asset name, in any of their forms.

    Absolute (``/theme/css/site.css``), SITEURL-prefixed and relative
    (``../fonts/x.woff2`` in a stylesheet) URLs are resolved to an output path;
    only the file name part of the URL is replaced, so its form is kept.
    """

    def __init__(self, assets: Iterable[str], siteurl: str = ""):
        names = sorted({posixpath.basename(a) for a in assets}, key=lambda n: (-len(n), n))
        self.siteurl = siteurl.rstrip("/")
        self.site_path = urlsplit(self.siteurl).path.strip("/")
        alternatives = "|".join(map(re.escape, names))
        # A known file name, preceded by "/" or a delimiter, followed by a delimiter.
        self.pattern = re.compile(
            rf"(?<![^/\s\"'(=,])(?:{alternatives})(?=[\s\"'()<>?#,;\\`]|$)"
        ) if names else None

    def resolve(self, url: str, base_dir: str) -> str | None:
        """Output-relative path a URL points to, or None when it leaves the site."""
        if self.siteurl and url.startswith(self.siteurl + "/"):
            return url[len(self.siteurl) + 1:]
        if "://" in url or url.startswith("//") or ":" in url.split("/", 1)[0]:
            return None
        if url.startswith("/"):
            path = url[1:]
            if self.site_path and path.startswith(self.site_path + "/"):
                path = path[len(self.site_path) + 1:]
            return path
        path = posixpath.normpath(posixpath.join(base_dir, url))
        return None if path.startswith("../") else path

    def _matches(self, text: str, rel: str):
        """Yield (url_start, name_start, name_end, resolved path) for each asset reference."""
        if self.pattern is None:
            return
        base_dir = posixpath.dirname(rel)
        for match in self.pattern.finditer(text):
            start = match.start()
            while start > 0 and text[start - 1] not in DELIMITERS:
                start -= 1
            url = text[start:match.end()]
            target = self.resolve(url, base_dir)
            if target is not None:
                yield start, match.start(), match.end(), target

    def targets(self, text: str, rel: str) -> set[str]:
        return {target for *_, target in self._matches(text, rel)}

    def rewrite(self, text: str, rel: str, mapping: dict[str, str]) -> str:
        pieces: list[str] = []
        last = 0
        for _, name_start, name_end, target in self._matches(text, rel):
            new = mapping.get(target)
            if new is None:
                continue
            pieces.append(text[last:name_start])
            pieces.append(posixpath.basename(new))
            last = name_end
        if not pieces:
            return text
        pieces.append(text[last:])
        return "".join(pieces)


def collect_assets(root: Path, asset_dirs: Iterable[str], exclude: Iterable[str],
                   only: set[str] | None = None) -> list[str]:
    """Output-relative paths of the files to fingerprint, sorted; ``only``: among these (what the build
    produced: a stale file of an earlier build is not an asset)."""
    exclude = tuple(exclude)
    found: set[str] = set()
    for folder in asset_dirs:
        base = root / folder
        if not base.is_dir():
            continue
        for path in base.rglob("*"):
            rel = path.relative_to(root).as_posix()
            if not path.is_file() or path.suffix.lower() not in ASSET_SUFFIXES:
                continue
            if any(fnmatch.fnmatch(rel, p) for p in exclude) or (only is not None and rel not in only):
                continue
            if _already_fingerprinted(rel, path.read_bytes()):
                continue
            found.add(rel)
    return sorted(found)


def _dependency_order(items: list[str], deps: dict[str, set[str]]) -> list[str]:
    """Sorted topological order; members of a cycle come last, in name order."""
    order: list[str] = []
    done: set[str] = set()
    pending = list(items)
    while pending:
        ready = [i for i in pending if deps[i] <= done]
        if not ready:
            logger.warning("circular asset references: %s", ", ".join(pending))
            ready = pending
        order.extend(ready)
        done.update(ready)
        pending = [i for i in pending if i not in done]
    return order


def fingerprint_output(
    output_path,
    siteurl: str = "",
    asset_dirs: Iterable[str] = ("theme",),
    exclude: Iterable[str] = DEFAULT_EXCLUDE,
    files: OutputFiles | None = None,
) -> dict[str, str]:
    """Fingerprint assets under output_path; return {old path: new path}.

    ``files``: the build's ledger; without one, every file of the folder is considered.
    """
    root = Path(output_path)
    ledger = files is not None
    files = files if ledger else OutputFiles(root)
    assets = collect_assets(root, asset_dirs, exclude, files.produced if ledger else None)
    if not assets:
        return {}
    asset_set = set(assets)
    refs = References(assets, siteurl)
    mapping: dict[str, str] = {}

    texts = [a for a in assets if posixpath.splitext(a)[1].lower() in REWRITE_SUFFIXES]
    text_set = set(texts)
    for rel in assets:
        if rel not in text_set:
            mapping[rel] = hashed_name(rel, (root / rel).read_bytes())

    contents = {rel: _read(root / rel) for rel in texts}
    deps = {rel: (refs.targets(contents[rel], rel) & text_set) - {rel} for rel in texts}
    for rel in _dependency_order(texts, deps):
        new_text = refs.rewrite(contents[rel], rel, mapping)
        data = _encode(new_text)
        if new_text != contents[rel]:
            files.write(rel, data)
        mapping[rel] = hashed_name(rel, data)

    for old, new in sorted(mapping.items()):
        files.rename(old, new)

    renamed = set(mapping.values())
    rewritten = 0
    candidates = sorted(files.produced) if ledger else sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    for rel in candidates:
        if posixpath.splitext(rel)[1].lower() not in REWRITE_SUFFIXES:
            continue
        if rel in asset_set or rel in renamed:
            continue
        text = _read(root / rel)
        new_text = refs.rewrite(text, rel, mapping)
        if new_text != text:
            files.write(rel, _encode(new_text))
            rewritten += 1
    logger.info("fingerprinted assets=%d rewritten_files=%d", len(mapping), rewritten)
    return mapping


def on_finalized(pelican, pipeline=None) -> None:
    settings = pelican.settings
    if not settings.get("FINGERPRINT_ASSETS"):
        return
    dirs = [settings.get("THEME_STATIC_DIR", "theme"), *settings.get("FINGERPRINT_EXTRA_DIRS", [])]
    fingerprint_output(
        pelican.output_path,
        siteurl=settings.get("SITEURL", ""),
        asset_dirs=dirs,
        exclude=settings.get("FINGERPRINT_EXCLUDE", DEFAULT_EXCLUDE),
        files=pipeline.files if pipeline is not None else None,
    )


def register() -> None:
    from pipeline import finishing_step

    finishing_step("fingerprints", 50, on_finalized)
