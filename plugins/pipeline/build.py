"""One build from the command line (``make build``, ``make publish``): Pelican's own command, then a quick exit.

First, nothing at all is loaded if nothing changed since the last build into the same output with the same
settings (pipeline.nochange): the command says so in one line, shows the last build's warnings again, and
ends with status 0. Otherwise:

Pelican's ``main`` runs as ``python -m pelican`` does, with the same arguments and the same exit status. Only
the very end differs: once everything is written and the logs are flushed, the process ends at once instead
of letting Python free the data model, the pages' digests and the templates object by object, which took
0.8 s of a 6 s build with nothing to do on the synthetic France (37,291 pages) and has no effect on disk.
Workers a failed build left behind (pipeline.parallel) are stopped first. A build that ended without error
leaves the stamp the next one checks.

Usage: ``python -m pipeline.build --settings pelicanconf.py --output output [...]`` (with ``plugins/`` on the
module path), any argument of ``python -m pelican``.
"""

from __future__ import annotations

import logging
import os
import sys

from . import nochange


def run(argv: list[str] | None = None, recorder: logging.Handler | None = None) -> int:
    """Pelican's command; its exit status (0, or what its ``sys.exit`` said). ``recorder``: also given every
    record of the build's log, once Pelican has set its own handler up."""
    import pelican

    if recorder is not None:
        init_logging = pelican.init_logging

        def init_and_record(*args, **kwargs):
            init_logging(*args, **kwargs)
            logging.getLogger().addHandler(recorder)

        pelican.init_logging = init_and_record  # type: ignore[assignment]
    try:
        pelican.main(argv)
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            return stop.code or 0
        print(stop.code, file=sys.stderr)
        return 1
    finally:
        if recorder is not None:
            pelican.init_logging = init_logging  # type: ignore[assignment]
    return 0


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    build = nochange.Build.of(argv)
    if build is not None:
        stamp = build.unchanged()
        if stamp is not None:
            nochange.report(build, stamp)
            sys.stderr.flush()
            os._exit(0)
        build.forget()
        build.inputs()  # listed before the build reads them: an edit made while it runs makes the next one build
    recorder = nochange.Recorder()
    status = run(argv, recorder)
    from .parallel import abandon_leftovers

    abandon_leftovers()
    if status == 0 and build is not None and not recorder.errors:
        build.save(recorder.records)
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    main()
