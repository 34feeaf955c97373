"""Wires the build pipeline into Pelican.

- ``initialized``: one ``Pipeline`` per build in the settings (``PIPELINE``), templates compiled once;
- ``generator_init``: each generator's Jinja environment reports the templates it loads to the page being
  rendered (pipeline.reads), and its Markdown readers answer from the cache when nothing that shapes their
  output changed (pipeline.content);
- ``get_writer``: pages and feeds written through the pipeline's ``OutputFiles``;
- ``static_generator_init``: the theme's and the content's static files copied through it too, with the theme
  files other plugins made (``SiteBuild.theme_files``: the charter's);
- scripts and stylesheets minified as they are written when ``MINIFY_ASSETS`` is on (pipeline.minify);
- ``article_generator_finalized``: the date of the first news item dated in the future, when « nothing
  changed » stops being true (pipeline.nochange; the stamp itself is removed when a build starts);
- ``finalized``: the finishing steps the other plugins registered, in their order (sitemap, search
  index, fingerprints…), then the stale files removed and the build's notes saved.
"""

from __future__ import annotations

import fnmatch
import logging
import time
from collections.abc import Callable
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

from pelican import signals

from . import content, minify, nochange
from .files import OutputFiles, PageFacts
from .inputs import PageInputs, code_digest, settings_digest
from .parallel import Rendering, abandon_leftovers
from .reads import TemplateReads
from .site_build import site_build
from .state import BuildState
from .templates import Fragments, share_compiled_templates
from .writer import OutputWriter

from model.digest import digest

logger = logging.getLogger(__name__)

SETTING = "PIPELINE"
PAGES = "pages"  # the build state's part holding each HTML page's facts
INPUTS = "inputs"  # … and, for each page a plugin may skip, [its data's digest, the key of the templates it read]
TEMPLATE_SETS = "templates"  # … and the names in each template set (pipeline.reads)

# name → (order, step): run on ``finalized`` in this order, each with (pelican, pipeline).
FINISHING: dict[str, tuple[int, Callable]] = {}


def finishing_step(name: str, order: int, step: Callable) -> None:
    """Run ``step(pelican, pipeline)`` once every page is written; lower ``order`` first."""
    FINISHING[name] = (order, step)


class Pipeline:
    """One build: its output files, the notes the last build left, the digests of page inputs."""

    def __init__(self, settings: dict, output_path: str | Path):
        self.settings = settings
        self.output = Path(output_path)
        self.state = BuildState(self.output)
        previous = {}
        for rel, facts in self.state.get(PAGES).items():
            try:
                previous[rel] = PageFacts.from_list(facts)
            except (TypeError, ValueError):
                continue
        self.files = OutputFiles(self.output, previous, on_first_write=self.state.forget)
        self.minified = minify.enabled(settings)  # part of the maps' inputs (plugins/map)
        if self.minified:
            self.files.assets = minify.minify_asset
        self.page_inputs: dict[str, list[str]] = {}  # [data digest, template set] of each page (saved)
        self.reads = TemplateReads(self.state.get(TEMPLATE_SETS))
        self._renderings: list[Rendering] = []
        self.started = time.perf_counter()

    @cached_property
    def code(self) -> str:
        """The digest of the build's code (pipeline.inputs), once per build."""
        return code_digest()

    @cached_property
    def inputs(self) -> PageInputs:
        """Computed on first use, once every plugin has put its settings in place."""
        return PageInputs(self.settings, site_build(self.settings).site, code=self.code)

    @cached_property
    def markdown(self) -> content.ReaderCache:
        """What the Markdown readers made of each file, under a key of the code and settings (pipeline.content)."""
        return content.ReaderCache(content.folder_of(self.settings),
                                   digest(self.code, settings_digest(self.settings)))

    def unchanged(self, rel: str, digest: str, companions: tuple[str, ...] = ()) -> bool:
        """True when ``rel`` (and the files made with it, e.g. its map script) was made by the last build from
        the data of ``digest`` and from templates that did not change since, and is still there: it is kept
        and need not be rendered. Otherwise render it inside ``rendering``."""
        previous = self.state.get(INPUTS).get(rel)
        if not (isinstance(previous, list) and len(previous) == 2 and previous[0] == digest
                and self.reads.unchanged(previous[1])):
            return False
        if not all(self.files.keep(name) for name in (rel, *companions)):
            return False
        self.page_inputs[rel] = previous
        return True

    @contextmanager
    def rendering(self, rel: str, digest: str, template):
        """Render ``rel`` (from the data of ``digest`` and ``template``) in this block: the templates it
        loads are noted with its digest, for the next build's ``unchanged``."""
        with self.reads.reading(template.name) as names:
            yield
        self.page_inputs[rel] = [digest, self.reads.key(names)]

    def wait_for(self, rendering: Rendering) -> None:
        """Pages still being rendered by workers (pipeline.parallel): joined before the finishing steps."""
        self._renderings.append(rendering)

    def join_renderings(self) -> None:
        while self._renderings:
            self._renderings.pop(0).join()

    def remember(self, part: str, notes: dict) -> None:
        self.state.put(part, notes)

    def notes(self, part: str) -> dict:
        return self.state.get(part)

    def finish(self, pelican) -> None:
        self.join_renderings()
        for name, (_, step) in sorted(FINISHING.items(), key=lambda item: (item[1][0], item[0])):
            step(pelican, self)
        self.files.remove_stale(self.settings.get("OUTPUT_RETENTION", ()))
        self.state.put(INPUTS, self.page_inputs)
        used = {key for _, key in self.page_inputs.values()}
        self.state.put(TEMPLATE_SETS, {key: names for key, names in self.reads.sets.items() if key in used})
        self.state.put(PAGES, {rel: facts.as_list() for rel, facts in sorted(self.files.pages.items())
                               if rel in self.files.produced})
        self.state.save()
        if "markdown" in self.__dict__:
            self.markdown.save()
        logger.info("Output: %d files, %d written, %.2f s", len(self.files.produced), len(self.files.changed),
                    time.perf_counter() - self.started)


def pipeline_of(settings: dict) -> Pipeline:
    pipeline = settings.get(SETTING)
    if pipeline is None:
        raise RuntimeError("the « pipeline » plugin must be in PLUGINS: every plugin writes through it")
    return pipeline


# --- Pelican's signals ---------------------------------------------------------------------------------

def start(pelican) -> None:
    settings = pelican.settings
    nochange.forget(settings)  # the output is about to change (make run's warm builds too: they never stamp)
    nochange.reset_expiry()
    abandon_leftovers()  # workers of an earlier build of this process that failed before its end
    share_compiled_templates(settings)
    settings["STATIC_CHECK_IF_MODIFIED"] = True
    pipeline = settings[SETTING] = Pipeline(settings, pelican.output_path)
    settings.setdefault("JINJA_GLOBALS", {})["fragment"] = Fragments(pipeline.reads)  # one per build


def note_future_news(generator) -> None:
    """News dated in the future are left out until their date (``WITH_FUTURE_DATES``): the site built now
    changes by itself then, and « nothing changed » (pipeline.nochange) stops being true at that instant."""
    if generator.settings.get("WITH_FUTURE_DATES", True):
        return
    now = time.time()
    for article in [*getattr(generator, "drafts", ()), *getattr(generator, "drafts_translations", ())]:
        date = getattr(article, "date", None)
        if date is not None and hasattr(date, "timestamp") and date.timestamp() > now:
            nochange.expires_at(date.timestamp())


def watch_templates(generator) -> None:
    pipeline = pipeline_of(generator.settings)
    pipeline.reads.watch(generator.env)
    readers = getattr(generator, "readers", None)
    if readers is not None:
        content.wrap_readers(pipeline.markdown, readers)


def get_writer(pelican):
    class Writer(OutputWriter):
        files = pipeline_of(pelican.settings).files
    return Writer


def take_over_static(generator) -> None:
    """The static generator copies through the pipeline: unchanged files keep their dates."""
    generator.generate_output = lambda writer=None: copy_static(generator)


def copy_static(generator) -> None:
    settings = generator.settings
    files = pipeline_of(settings).files
    ignores = settings.get("IGNORE_FILES", [])
    target = settings["THEME_STATIC_DIR"]
    for name in settings["THEME_STATIC_PATHS"]:
        source = Path(generator.theme) / name
        if source.is_file():
            files.copy(source, f"{target}/{source.name}")
            continue
        for path in sorted(source.rglob("*")):
            rel = path.relative_to(source)
            if path.is_file() and not any(fnmatch.fnmatch(part, pattern) for part in rel.parts
                                           for pattern in ignores):
                files.copy(path, f"{target}/{rel.as_posix()}")
    for rel, data in sorted(site_build(settings).theme_files.items()):  # made, not copied: never in theme/
        files.write(f"{target}/{rel}", data)
    for static in generator.context["staticfiles"]:
        files.copy(Path(generator.path) / static.source_path, static.save_as)


def finalized(pelican) -> None:
    pipeline_of(pelican.settings).finish(pelican)


def register() -> None:
    signals.initialized.connect(start)
    signals.generator_init.connect(watch_templates)
    signals.get_writer.connect(get_writer)
    signals.static_generator_init.connect(take_over_static)
    signals.article_generator_finalized.connect(note_future_news)
    signals.finalized.connect(finalized)
