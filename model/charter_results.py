"""The charter's published results (rules/charter_results.py), read for the site build.

The file is written by the functions, not by an editor, and may not be there yet: then the site is built without
the results, as before any figure was computed. A file that is there but broken stops the build like any data
error — French, naming the file and the fix — rather than publishing figures nobody can vouch for.
"""

from __future__ import annotations

import re
from pathlib import Path

from rules.charter_results import FIX, CharterResults, ResultsFormatError, parse

from .errors import DataError, Problem

LINE = re.compile(r"^ligne (\d+) : ")


def load_charter_results(path: Path, root: Path | None = None) -> CharterResults | None:
    """The figures of ``path``; None when there is no such file. ``root``: the project, to name the file."""
    if not path.is_file():
        return None
    shown = path.relative_to(root).as_posix() if root is not None and path.is_relative_to(root) else str(path)
    try:
        return parse(path.read_text("utf-8"))
    except UnicodeDecodeError:
        problem = "le fichier n'est pas du texte UTF-8"
    except ResultsFormatError as error:
        problem = str(error)
    found = LINE.match(problem)
    line = int(found.group(1)) if found else 0
    raise DataError([Problem(shown, line, f"les résultats de la charte sont illisibles : {LINE.sub('', problem)} ; "
                                          f"{FIX}.")])
