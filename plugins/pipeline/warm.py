"""A build process kept warm for ``make run``: Python, Pelican, the plugins, the compiled templates and the
data model stay loaded from one build to the next, so an edit is built in a fraction of a second (the
pipeline renders and writes only what changed).

The local server (scripts/serve.py) talks to it with one JSON object per line. It writes ``{"build": 3}``
on the standard input; the process builds and answers on its standard output::

    {"build": 3, "ok": true, "seconds": 0.41, "changed": ["actualites/x/index.html", ...], "error": ""}

``changed``: the output files written or removed (paths relative to the output folder); ``error``: the
French report of a failed build (the last good site stays as it is). Edited Python code is not reloaded:
the server starts a new process instead. Pelican's log goes to the standard error.

Usage: ``python -m pipeline.warm --settings pelicanconf.py --output OUTPUT [-e NAME=JSON ...]`` (with
``plugins/`` on the module path).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
import traceback
from pathlib import Path

logger = logging.getLogger(__name__)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m pipeline.warm")
    parser.add_argument("--settings", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("-e", "--extra-settings", dest="extra", action="append", default=[],
                        metavar="NAME=JSON", help="a setting, as Pelican's own -e takes it")
    return parser.parse_args(argv)


class WarmBuilder:
    """Builds the site again on demand, in this process."""

    def __init__(self, settings_file: str, output: str, extra: dict):
        self.settings_file = settings_file
        self.output = str(Path(output).resolve())
        self.extra = extra

    def build(self) -> dict:
        from pelican import Pelican
        from pelican.settings import read_settings

        started = time.perf_counter()
        try:
            settings = read_settings(self.settings_file, override={**self.extra, "OUTPUT_PATH": self.output})
            pelican = Pelican(settings)
            pelican.run()
            files = settings["PIPELINE"].files
            changed = sorted(files.changed | files.removed)
            return {"ok": True, "seconds": round(time.perf_counter() - started, 3), "changed": changed,
                    "error": ""}
        except Exception as error:  # the server shows it and keeps the last good site
            message = str(error) or error.__class__.__name__
            logger.debug("build failed:\n%s", traceback.format_exc())
            return {"ok": False, "seconds": round(time.perf_counter() - started, 3), "changed": [],
                    "error": message}


def extra_settings(pairs: list[str]) -> dict:
    extra = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        extra[name] = json.loads(value)
    return extra


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from pelican.log import init as init_logging

    init_logging(level=logging.WARNING)  # Pelican's warnings and errors, on the standard error
    answers = sys.stdout
    sys.stdout = sys.stderr  # anything printed by a build must not mix with the answers
    builder = WarmBuilder(args.settings, args.output, extra_settings(args.extra))
    for line in sys.stdin:
        try:
            request = json.loads(line)
        except ValueError:
            continue
        answer = {"build": request.get("build"), **builder.build()}
        answers.write(json.dumps(answer, ensure_ascii=False) + "\n")
        answers.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
