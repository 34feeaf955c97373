"""Nothing changed since the last build: ``make build`` says so and stops, without loading Pelican or the data.

After a successful build, ``pipeline.build`` writes a stamp of what it was made from and what it made:

- the path (relative to its folder), size and modification time (ns) of every input: the content folder, the
  data, the theme, the build's code (plugins, model, rules, kit, the settings files), the charter's results
  file, and the version of Python and of the libraries that render;
- the settings as the command passes them (the settings file's names with the ``-e`` overrides), the command's
  arguments, its folder and the environment the settings files read (``AAI_*``);
- the same for every file of the output folder (except the folders other tools fill, ``OUTPUT_RETENTION``)
  and the files the build writes elsewhere (the routing table and the form pages of the functions);
- a hash of the bytes of every input modified in the last two seconds before the build started (an edit
  within the same tick of the file system's clock, keeping the size, changes neither the size nor the date);
- the first instant at which the site would change by itself: a news item dated in the future is left out
  until then (Pelican's ``WITH_FUTURE_DATES``); the stamp is no longer valid from that instant.

Inputs are listed *before* the build reads them, outputs once it has written them: an edit made while a build
runs makes the next one build. The stamp is one hash of those lists (not the lists), with the warnings the
build printed, so that the next ``make build`` with nothing changed shows them again. It lives in
``<CACHE_PATH>/nochange/``, one file per output folder; it is removed as soon as a build starts (``make run``'s
warm builds included, which never read it: every save is built) and written, atomically, only after a build
that ended without error.

Not caught, as with ``make``: an input modified without changing its size nor its date (a tool that sets the
date back) more than two seconds before the build. ``rm -rf var/cache/nochange`` (or ``make clean``) forces a
full build; so does any change to the command.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import runpy
import sys
import time
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

from .files import replace_whole
from .sources import CODE, CONFIGURATION, RENDERING_LIBRARIES
from .sources import ROOT as CODE_ROOT

VERSION = 1
FOLDER = "nochange"  # under CACHE_PATH
RACY_NS = 2_000_000_000  # inputs modified within this before the build are compared by their bytes too
LIBRARIES = (*RENDERING_LIBRARIES, "yaml", "segno")  # and those the data model reads with
SKIPPED = frozenset({"__pycache__"})  # written by Python itself when it imports
ENVIRONMENT_PREFIXES = ("AAI_",)
ENVIRONMENT = ("TZ", "PYTHONPATH", "SOURCE_DATE_EPOCH", "PYTHONHASHSEED")

# The first instant (seconds since the epoch) at which the last build's site changes by itself: set by the
# pipeline plugin (future-dated news) during a build of this process, read when its stamp is written.
_expiry: list[float] = []


def expires_at(instant: float) -> None:
    """The site built now changes by itself at ``instant`` (seconds since the epoch): the stamp ends there."""
    _expiry.append(instant)


def reset_expiry() -> None:
    _expiry.clear()


def stamp_path(cache: str | Path, output: str | Path) -> Path:
    """The stamp of the builds into ``output``: one per output folder."""
    name = hashlib.sha256(os.path.abspath(output).encode()).hexdigest()[:20]
    return Path(cache) / FOLDER / f"{name}.json"


def forget(settings: dict) -> None:
    """A build of ``settings`` starts: its output is about to change, the last stamp no longer describes it."""
    cache, output = settings.get("CACHE_PATH"), settings.get("OUTPUT_PATH")
    if cache and output:
        _unlink(stamp_path(cache, output))


# --- the command --------------------------------------------------------------------------------------------

def _parser() -> argparse.ArgumentParser:
    """The part of Pelican's command a build uses; any other argument (a server, autoreload…): no stamp."""
    parser = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    parser.add_argument("-s", "--settings")
    parser.add_argument("-o", "--output")
    parser.add_argument("-e", "--extra-settings", dest="extra", nargs="*", action="append", default=[])
    parser.add_argument("--fatal")
    parser.add_argument("--logs-dedup-min-level")
    parser.add_argument("-v", "--verbose", action="count")
    parser.add_argument("-q", "--quiet", action="count")
    parser.add_argument("-D", "--debug", action="count")
    return parser


def _plain(value):
    """A setting as plain data; an object (a function, a class) by its name: its code is in the stamp."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(item) for item in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return getattr(value, "__qualname__", type(value).__qualname__)


@dataclass
class Build:
    """One ``make build`` command: where its inputs and outputs are, and the key of its settings."""

    argv: list[str]
    settings: dict  # the settings file's names with the overrides, as passed
    output: Path
    cache: Path
    roots: dict[str, Path]  # label → folder walked (inputs)
    files: dict[str, Path]  # label → single input file
    outputs_elsewhere: list[Path]
    retention: frozenset[str]
    key: str = ""
    _inputs: tuple[str, dict[str, str]] | None = field(default=None, repr=False)

    @property
    def stamp(self) -> Path:
        return stamp_path(self.cache, self.output)

    @classmethod
    def of(cls, argv: list[str], cwd: str | None = None) -> Build | None:
        """None when the command is not a plain build this module understands (then it never stamps)."""
        cwd = cwd or os.getcwd()
        try:
            args, unknown = _parser().parse_known_args(argv)
        except (argparse.ArgumentError, SystemExit):
            return None
        if unknown or not args.settings:
            return None
        settings_file = Path(cwd, args.settings)
        if not settings_file.is_file():
            return None
        overrides = {}
        for item in (pair for group in args.extra for pair in group):
            name, equals, text = item.partition("=")
            if not equals:
                return None
            try:
                overrides[name] = json.loads(text)
            except ValueError:
                return None
        try:
            loaded = runpy.run_path(str(settings_file))
        except Exception:  # noqa: BLE001 - Pelican will report it, in its words
            return None
        settings = {name: value for name, value in loaded.items() if name.isupper()}
        settings.update(overrides)
        base = settings_file.parent

        def absolute(value) -> Path:
            return Path(os.path.abspath(os.path.join(base, os.path.expanduser(str(value)))))

        if not settings.get("PATH") or not settings.get("THEME") or not settings.get("CACHE_PATH"):
            return None
        content, theme = absolute(settings["PATH"]), absolute(settings["THEME"])
        cache = absolute(settings["CACHE_PATH"])
        if not theme.is_dir():  # one of Pelican's own themes, by name
            return None
        if args.output:
            output = Path(os.path.abspath(os.path.join(cwd, os.path.expanduser(args.output))))
        elif settings.get("OUTPUT_PATH"):
            output = absolute(settings["OUTPUT_PATH"])
        else:
            return None
        project = Path(os.path.join(cwd, settings["DATA_ROOT"])) if settings.get("DATA_ROOT") else content.parent
        roots = {"content": content, "data": project / "data", "theme": theme}
        if (project / "theme") != theme:
            roots["fonts"] = project / "theme" / "static" / "fonts"  # read by the data model (the charter)
        for folder in CODE:
            roots[f"code/{folder}"] = CODE_ROOT / folder
        files = {"settings": settings_file.resolve()}
        for name in CONFIGURATION:
            files[f"code/{name}"] = CODE_ROOT / name
        if settings.get("CHARTER_RESULTS"):
            files["results"] = project / str(settings["CHARTER_RESULTS"])
        for name in LIBRARIES:
            spec = find_spec(name)
            files[f"library/{name}"] = Path(spec.origin) if spec is not None and spec.origin else Path("-")
        elsewhere = []
        if settings.get("ROUTING_TABLE"):
            routing = Path(cwd, str(settings["ROUTING_TABLE"]))
            elsewhere += [routing, routing.with_name("site_pages.json")]
        if settings.get("FORMS_PAGES"):
            elsewhere.append(Path(cwd, str(settings["FORMS_PAGES"])))
        retention = frozenset(str(name).strip("/") for name in settings.get("OUTPUT_RETENTION") or ())
        build = cls(list(argv), settings, output, cache, roots, files, elsewhere, retention)
        environment = {name: value for name, value in sorted(os.environ.items())
                       if name.startswith(ENVIRONMENT_PREFIXES) or name in ENVIRONMENT}
        build.key = _hash(json.dumps({"argv": build.argv, "cwd": os.path.abspath(cwd), "settings": _plain(settings),
                                      "environment": environment, "python": [sys.executable, sys.version]},
                                     sort_keys=True, default=repr))
        return build

    # --- what a build is made from, and what it made ------------------------------------------------------

    def inputs(self, now_ns: int | None = None) -> tuple[str, dict[str, str]]:
        """The hash of every input's path, size and date, and the bytes' hash of those modified in the last two
        seconds (``label/path`` → hash). Computed once: before the build, it is also what the stamp records."""
        if self._inputs is None:
            horizon = (time.time_ns() if now_ns is None else now_ns) - RACY_NS
            entries: list[str] = []
            racy: dict[str, str] = {}
            for label, folder in self.roots.items():
                for rel, path, size, mtime in _walk(folder):
                    entries.append(f"{label}\0{rel}\0{size}\0{mtime}")
                    if mtime > horizon:
                        racy[f"{label}\0{rel}"] = _file_hash(path)
            for label, path in self.files.items():
                size, mtime = _stat(path)
                entries.append(f"{label}\0\0{size}\0{mtime}")
                if mtime > horizon:
                    racy[f"{label}\0"] = _file_hash(str(path))
            entries.sort()
            self._inputs = (_hash("\n".join(entries)), racy)
        return self._inputs

    def outputs(self) -> str:
        entries = [f"{rel}\0{size}\0{mtime}" for rel, _, size, mtime in _walk(self.output, self.retention)]
        for path in self.outputs_elsewhere:
            size, mtime = _stat(path)
            entries.append(f"\0{path}\0{size}\0{mtime}")
        entries.sort()
        return _hash("\n".join(entries))

    def _racy_path(self, name: str) -> str:
        label, _, rel = name.partition("\0")
        if label in self.roots:
            return os.path.join(self.roots[label], rel)
        return str(self.files[label])

    # --- the stamp ----------------------------------------------------------------------------------------

    def unchanged(self, now: float | None = None) -> dict | None:
        """The last build's stamp when nothing changed since it was made (None otherwise)."""
        now = time.time() if now is None else now
        try:
            stamp = json.loads(self.stamp.read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(stamp, dict) or stamp.get("version") != VERSION or stamp.get("key") != self.key:
            return None
        until = stamp.get("until")
        if until is not None and now >= until:
            return None
        digest, _ = self.inputs(int(now * 1e9))
        if stamp.get("inputs") != digest:
            return None
        racy = stamp.get("racy")
        if not isinstance(racy, dict):
            return None
        for name, expected in racy.items():
            try:
                if _file_hash(self._racy_path(name)) != expected:
                    return None
            except (KeyError, OSError):
                return None
        if stamp.get("outputs") != self.outputs():
            return None
        return stamp

    def forget(self) -> None:
        _unlink(self.stamp)

    def save(self, warnings: list[list[str]], now: float | None = None) -> None:
        """After a build without error: its inputs (listed before it started), outputs, warnings and end."""
        now = time.time() if now is None else now
        digest, racy = self.inputs()
        future = [instant for instant in _expiry if instant > now]
        stamp = {"version": VERSION, "key": self.key, "inputs": digest, "racy": racy, "outputs": self.outputs(),
                 "until": min(future) if future else None, "warnings": warnings, "output": str(self.output)}
        replace_whole(self.stamp, json.dumps(stamp, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        prune(self.stamp.parent)


def prune(folder: Path) -> None:
    """Stamps of output folders that are gone (a test's, a benchmark's) are removed with them."""
    for path in folder.glob("*.json"):
        try:
            output = json.loads(path.read_text("utf-8")).get("output")
        except (OSError, ValueError, AttributeError):
            output = None
        if not output or not os.path.isdir(output):
            _unlink(path)


# --- the warnings of a build, shown again ---------------------------------------------------------------------

class Recorder(logging.Handler):
    """The warnings and errors a build logs (its messages, as Pelican prints them)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[list[str]] = []
        self.errors = 0

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed log call must not stop the build
            message = str(record.msg)
        if record.levelno >= logging.ERROR:
            self.errors += 1
        self.records.append([record.levelname, message])


LEVELS = {"WARNING": "Avertissement", "ERROR": "Erreur", "CRITICAL": "Erreur"}


def report(build: Build, stamp: dict, stream=None) -> None:
    """What ``make build`` prints when nothing changed: that, and the last build's warnings again."""
    stream = stream or sys.stderr
    try:
        shown = os.path.relpath(build.output)
    except ValueError:
        shown = str(build.output)
    if shown.startswith(".."):
        shown = str(build.output)
    print(f"Rien n’a changé depuis la dernière construction de {shown} : rien à faire.", file=stream)
    warnings = stamp.get("warnings") or []
    if warnings:
        print("Avertissements de la dernière construction, toujours valables :", file=stream)
        for level, message in warnings:
            print(f"  {LEVELS.get(level, level)} : {message}", file=stream)


# --- inside ---------------------------------------------------------------------------------------------------

def _walk(folder: str | Path, skipped_at_top: frozenset[str] = frozenset()):
    """(relative path, path, size, mtime_ns) of every file under ``folder`` (none when it is missing)."""
    stack = [(str(folder), "")]
    while stack:
        path, rel = stack.pop()
        try:
            entries = os.scandir(path)
        except (FileNotFoundError, NotADirectoryError):
            continue
        with entries:
            for entry in entries:
                name = entry.name
                if name in SKIPPED or (not rel and name in skipped_at_top):
                    continue
                child = f"{rel}/{name}" if rel else name
                try:
                    if entry.is_dir():
                        stack.append((entry.path, child))
                        continue
                    status = entry.stat()
                except OSError:  # a dangling link, a file removed meanwhile
                    yield child, entry.path, -1, -1
                    continue
                yield child, entry.path, status.st_size, status.st_mtime_ns


def _stat(path: str | Path) -> tuple[int, int]:
    try:
        status = os.stat(path)
    except OSError:
        return -1, -1
    return status.st_size, status.st_mtime_ns


def _file_hash(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()[:32]
    except OSError:
        return "-"


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
