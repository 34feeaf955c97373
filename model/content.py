"""Checks on the editors' Markdown: the metadata Pelican needs, in French, with line numbers.

Pelican's own messages are English and sometimes silent (a bad date just drops an
article); these run first, in ``make check`` and before every build.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from .errors import Collector, Problem
from .site import SiteData

DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DATED_FOLDERS = ("actualites", "presse")


def read_metadata(path: Path) -> tuple[dict[str, tuple[int, str]], int]:
    """``{key: (line, value)}`` from the header block, and the number of header lines."""
    metadata: dict[str, tuple[int, str]] = {}
    lines = path.read_text("utf-8").splitlines()
    number = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            break
        match = re.match(r"^([A-Za-z_][A-Za-z0-9_ -]*):\s*(.*)$", line)
        if not match:
            if number == 1:
                return {}, 0
            continue
        metadata[match.group(1).strip().lower()] = (number, match.group(2).strip())
    return metadata, number


def parse_date(text: str) -> datetime.datetime | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def check_content(root: Path, site: SiteData) -> list[Problem]:
    problems: list[Problem] = []
    content = root / "content"
    for path in sorted(content.rglob("*.md")):
        relative = str(path.relative_to(root))
        collector = Collector(relative)
        try:
            metadata, _ = read_metadata(path)
        except UnicodeDecodeError:
            collector.error(0, "ce fichier n'est pas enregistré en UTF-8 ; réenregistrez-le en UTF-8.")
            problems += collector.problems
            continue
        if "title" not in metadata:
            collector.error(1, "il manque la ligne « Title: » en tête du fichier (le titre de la page), "
                               "suivie des autres métadonnées puis d'une ligne vide.")
        dated = path.relative_to(content).parts[0] in DATED_FOLDERS
        if dated and "date" not in metadata:
            collector.error(1, "il manque la ligne « Date: » (par exemple « Date: 2026-03-02 10:00 »).")
        if "date" in metadata:
            line, value = metadata["date"]
            if parse_date(value) is None:
                collector.error(line, f"la date « {value} » n'est pas comprise ; écrivez-la "
                                      "AAAA-MM-JJ ou AAAA-MM-JJ HH:MM, par exemple 2026-03-02 10:00.")
        if "slug" in metadata:
            line, value = metadata["slug"]
            if not SLUG_PATTERN.match(value):
                collector.error(line, f"le slug « {value} » doit être en minuscules, sans accents "
                                      "ni espaces, avec des tirets (ex. « foire-de-bordeaux »).")
        if "association" in metadata:
            line, value = metadata["association"]
            if site.association(value) is None:
                collector.error(line, f"l'association « {value} » n'existe pas dans "
                                      "data/associations.yaml ; recopiez son champ « id ».")
        problems += collector.problems
    return problems
