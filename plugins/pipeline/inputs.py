"""What a generated page is made from, as one digest: skip the page when its digest did not change.

Every page shares a base: the build's code (plugins, model, rules, kit and the libraries that render),
Pelican's settings and the data every page shows (site settings, services, partners, charter,
départements). A page adds the model objects it shows; ``PageInputs.of`` combines them. The plugin that
writes a page names those objects: a template that starts showing something else must be given it there
(plugins/directory/directory.py says what each page reads). The templates are not declared: the pipeline
notes those each page loaded while it was rendered (pipeline.reads).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from importlib import metadata
from pathlib import Path

from model.digest import digest

from .sources import CODE, CONFIGURATION, ROOT
from .sources import RENDERING_LIBRARIES as LIBRARIES

logger = logging.getLogger(__name__)

# Where the site goes, where the build keeps its caches and how many processes make it do not change what it says.
UNHASHED_SETTINGS = {"OUTPUT_PATH", "CACHE_PATH", "BUILD_WORKERS", "BUILD_PARALLEL_MIN_PAGES"}


def files_digest(paths, base: Path) -> str:
    """Names and bytes of files, in name order."""
    hasher = hashlib.sha256()
    for path in sorted(paths):
        hasher.update(path.relative_to(base).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return hasher.hexdigest()[:24]


def code_digest(root: Path = ROOT) -> str:
    paths = [p for folder in CODE for p in (root / folder).rglob("*.py") if "__pycache__" not in p.parts]
    paths += [root / name for name in CONFIGURATION if (root / name).is_file()]
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} -")
    return digest(files_digest(paths, root), versions)


def _setting(value):
    """A setting's value as plain data; an object (the data model, a filter, a cache) by its type's name:
    its contents are hashed elsewhere (data, code) and its address changes at every run."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_setting(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _setting(item) for key, item in value.items()}
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return getattr(value, "__qualname__", type(value).__qualname__)


def settings_digest(settings: dict) -> str:
    return digest({key: _setting(value) for key, value in settings.items() if key not in UNHASHED_SETTINGS})


class PageInputs:
    """Digests of pages' inputs for one build: ``of(*objects)`` = the base and those objects."""

    def __init__(self, settings: dict, site, *, code: str | None = None):
        reference = site.reference
        shared = (site.settings, site.services, site.partners, site.brand, reference.departements,
                  (reference.source, reference.licence, reference.vintage))
        self.code = code or code_digest()
        self.base = digest(self.code, settings_digest(settings), shared)
        self._objects: dict[int, tuple[object, str]] = {}

    def object(self, value) -> str:
        """The digest of one model object, computed once per build (objects are shared by many pages)."""
        known = self._objects.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        result = digest(value)
        self._objects[id(value)] = (value, result)
        return result

    def of(self, *parts) -> str:
        """The digest of a page made of the base and ``parts`` (model objects or their digests)."""
        return digest(self.base, [self._part(part) for part in parts])

    def _part(self, value):
        if hasattr(value, "__dataclass_fields__") and not isinstance(value, type):
            return self.object(value)
        if isinstance(value, (list, tuple)):
            return [self._part(item) for item in value]
        return value
