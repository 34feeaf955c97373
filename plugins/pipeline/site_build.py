"""What the plugins of one build share, with its types: ``site_build(settings)``.

Pelican hands every plugin the same settings dict. The plugins used to leave things for each other in it under
names only a search would find (``SITE_DATA``, ``BRAND``…), and a plugin reading one relied on the plugin that
sets it coming earlier in ``PLUGINS``. A ``SiteBuild`` holds what they share, typed and documented here; the
first plugin that asks for it makes it, and the data model is loaded by the first that reads it, so no plugin
depends on another one having run before it:

- ``root``: the project, the folder holding ``content/``, ``data/`` and ``theme/`` (``DATA_ROOT`` when a test or
  a benchmark builds another project's data);
- ``site``: the data model (``model.SiteData``), loaded on first use; a warm process (``make run``) reads
  ``data/`` again only when one of its files changed;
- ``theme_files``: files of the theme that plugins make rather than copy (the charter's stylesheets, logo and
  pictograms' sprite), by path under the theme's static folder. The pipeline writes them into the output with
  the theme's own static files: nothing a build makes is written into ``theme/``;
- ``charter_results``: the charter's published figures (``CHARTER_RESULTS``, the file the functions write:
  rules/charter_results.py), read on first use; None when the file is not there; ``public_results``: what the
  pages show of them (model/charter_results.py). The pages showing them name them in their digests
  (plugins/directory), so a new file renders them again, and only them.

Templates keep reading their names of the context (``SITE_DATA``, ``BRAND``…): the plugins set those from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the data model is imported when first used: ``make build`` checks first that something changed
    from model import SiteData
    from model.charter_results import PublicResults
    from rules.charter_results import CharterResults

SETTING = "SITE_BUILD"
RESULTS_SETTING = "CHARTER_RESULTS"  # the results file's path, relative to the project


@dataclass
class SiteBuild:
    root: Path
    theme_files: dict[str, bytes] = field(default_factory=dict)
    results_path: Path | None = None
    _site: SiteData | None = field(default=None, repr=False)
    _results: tuple[CharterResults | None] | None = field(default=None, repr=False)
    _public: PublicResults | None = field(default=None, repr=False)

    @property
    def site(self) -> SiteData:
        """The data model; a broken data file stops the build with every problem, in French."""
        if self._site is None:
            self._site = load_site_once(self.root)
        return self._site

    @property
    def charter_results(self) -> CharterResults | None:
        """The charter's figures; None without the file; a broken file stops the build, in French."""
        if self._results is None:
            from model.charter_results import load_charter_results

            path = self.results_path
            self._results = (load_charter_results(path, self.root) if path is not None else None,)
        return self._results[0]

    @property
    def public_results(self) -> PublicResults:
        """What the pages show of them: a signatory's figures and the region's, each over enough answers."""
        if self._public is None:
            from model.charter_results import PublicResults

            site = self.site
            self._public = PublicResults(self.charter_results, frozenset(a.id for a in site.associations
                                                                         if a.charter_signed),
                                         site.settings.results_min_answers)
        return self._public


def project_root(settings: dict) -> Path:
    """The repository root: the folder holding ``content/`` and ``data/``."""
    return Path(settings.get("DATA_ROOT") or Path(settings["PATH"]).parent)


def site_build(settings: dict) -> SiteBuild:
    """The build's shared state, made on the first call of the build (each build reads its settings afresh)."""
    build = settings.get(SETTING)
    if build is None:
        root = project_root(settings)
        results = settings.get(RESULTS_SETTING)
        build = settings[SETTING] = SiteBuild(root, results_path=root / results if results else None)
    return build


# The data model of the last build of this process, with the dates of the files it was read from: a warm
# process (``make run``, plugins/pipeline/warm.py) reads data/ again only when a file of it changed.
_last: tuple[tuple, SiteData] | None = None


def data_stamp(root: Path) -> tuple:
    """Path, date and size of every file the data model reads (data/, and the charter's fonts)."""
    folders = (root / "data", root / "theme" / "static" / "fonts")
    paths = sorted(p for folder in folders if folder.is_dir() for p in folder.rglob("*") if p.is_file())
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths)


def load_site_once(root: Path) -> SiteData:
    global _last
    from model import load_site

    stamp = data_stamp(root)
    if _last is None or _last[0] != stamp:
        _last = None
        _last = (stamp, load_site(root))  # DataError stops the build with every problem.
    return _last[1]
