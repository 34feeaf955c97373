"""GitHub Actions' side of ``make check``: workflow annotations and the job summary file.

An annotation (``::error file=…,line=…::message``) puts the French message on its line in the pull
request's « Files changed » tab, where an editor working in the web editor looks.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from .errors import Problem

logger = logging.getLogger(__name__)

TITLE = "make check"


def in_github_actions(environ: dict[str, str] | None = None) -> bool:
    return (environ if environ is not None else os.environ).get("GITHUB_ACTIONS") == "true"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(problem: Problem) -> str:
    """One workflow command; GitHub reads it from the job's output and shows it on the line."""
    level = "warning" if problem.warning else "error"
    properties = [f"file={_escape_property(problem.path)}"]
    if problem.line:
        properties.append(f"line={problem.line}")
    properties.append(f"title={_escape_property(TITLE)}")
    return f"::{level} {','.join(properties)}::{_escape_data(problem.message)}"


def summary_path(explicit: str | None, environ: dict[str, str] | None = None) -> Path | None:
    """Where the job summary goes: ``--summary PATH``, else GitHub's ``$GITHUB_STEP_SUMMARY``."""
    value = explicit or (environ if environ is not None else os.environ).get("GITHUB_STEP_SUMMARY")
    return Path(value) if value else None


def append_summary(path: Path, markdown: str) -> None:
    """GitHub concatenates what every step appends; never overwrite another step's part."""
    with path.open("a", encoding="utf-8") as file:
        file.write(markdown.rstrip("\n") + "\n")
    logger.info("job summary written to %s", path)
