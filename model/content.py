"""Checks on the editors' Markdown: the metadata Pelican needs, in French, with line numbers.

Pelican's own messages are English and sometimes silent (a bad date just drops an article, a
misspelled ``Sumary:`` is kept as an unknown field and the news list shows the whole article);
these run first, in ``make check`` and before every build.
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import Collector, Problem
from .site import SiteData

DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DATED_FOLDERS = ("actualites", "presse")
STATUSES = ("published", "draft", "hidden")
SUMMARY_MAX = 160  # what search engines and the news list show without cutting

# Every header field the site reads, spelled as the editors' guide writes it (Pelican ignores case).
FIELDS = {
    "title": "Title", "date": "Date", "modified": "Modified", "slug": "Slug", "category": "Category",
    "summary": "Summary", "status": "Status", "template": "Template", "association": "Association",
    "event_date": "Event_date", "event_end": "Event_end", "event_place": "Event_place",
    "publication": "Publication", "link": "Link", "pdf": "Pdf",
}
# What each field is for, said when it is missing.
PURPOSE = {
    "title": "le titre de la page",
    "date": "la date de publication, par exemple « Date: 2026-03-02 10:00 »",
    "slug": "l'adresse de la page, en minuscules et avec des tirets, par exemple « Slug: foire-de-bordeaux »",
    "category": "la rubrique, par exemple « Category: Actualités »",
    "summary": "une phrase de résumé, affichée dans la liste à la place du texte entier",
    "publication": "le nom du journal, de la radio ou du magazine",
}
# The fields each kind of content must have, by folder of content/.
REQUIRED = {
    "actualites": ("title", "date", "slug", "category", "summary"),
    "presse": ("title", "date", "slug", "category", "publication", "summary"),
    "pages": ("title", "slug"),
}
KIND_NAMES = {"actualites": "une actualité", "presse": "un article de presse", "pages": "une page"}


@dataclass(frozen=True, slots=True)
class HeaderLine:
    line: int
    name: str  # as typed, e.g. "Sumary"
    value: str

    @property
    def key(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class ContentItem:
    """One Markdown file as the job summary sees it: what kind, which title, when it appears."""

    path: str  # relative to the project root
    kind: str  # folder under content/: actualites, presse, pages
    title: str
    slug: str
    date: datetime.datetime | None
    status: str
    digest: str = ""  # of the whole file, so an edited text counts as a change

    def scheduled(self, now: datetime.datetime) -> bool:
        return self.date is not None and self.date > now


def read_header(path: Path) -> list[HeaderLine]:
    """The ``Key: value`` lines before the first blank line (none when line 1 is not one)."""
    found: list[HeaderLine] = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            break
        match = re.match(r"^([A-Za-z_][A-Za-z0-9_ -]*):\s*(.*)$", line)
        if not match:
            if number == 1:
                return []
            continue
        found.append(HeaderLine(number, match.group(1).strip(), match.group(2).strip()))
    return found


def read_metadata(path: Path) -> tuple[dict[str, tuple[int, str]], int]:
    """``{key: (line, value)}`` from the header block, and the number of header lines."""
    header = read_header(path)
    return {h.key: (h.line, h.value) for h in header}, (header[-1].line if header else 0)


def parse_date(text: str) -> datetime.datetime | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def kind_of(path: Path, content: Path) -> str:
    return path.relative_to(content).parts[0] if len(path.relative_to(content).parts) > 1 else ""


def read_items(root: Path) -> list[ContentItem]:
    """Every readable Markdown file of ``root/content`` (broken ones are ``make check``'s business)."""
    content = root / "content"
    items = []
    for path in sorted(content.rglob("*.md")):
        try:
            metadata, _ = read_metadata(path)
        except UnicodeDecodeError:
            continue
        value = {key: text for key, (_, text) in metadata.items()}
        items.append(ContentItem(
            path=str(path.relative_to(root)), kind=kind_of(path, content),
            title=value.get("title", path.stem), slug=value.get("slug", path.stem),
            date=parse_date(value.get("date", "")), status=value.get("status", "published").lower(),
            digest=hashlib.sha256(path.read_bytes()).hexdigest()))
    return items


def check_content(root: Path, site: SiteData) -> list[Problem]:
    problems: list[Problem] = []
    content = root / "content"
    for path in sorted(content.rglob("*.md")):
        relative = str(path.relative_to(root))
        collector = Collector(relative)
        try:
            header = read_header(path)
        except UnicodeDecodeError:
            collector.error(0, "ce fichier n'est pas enregistré en UTF-8 ; réenregistrez-le en UTF-8.")
            problems += collector.problems
            continue
        _check_header(header, kind_of(path, content), site, collector)
        problems += collector.problems
    return problems


def _check_header(header: list[HeaderLine], kind: str, site: SiteData, collector: Collector) -> None:
    metadata = {h.key: (h.line, h.value) for h in header}
    meant = set()  # a misspelled field is reported once, on its line, not again as missing
    for item in header:
        if item.key not in FIELDS:
            guess = _guess(item.name)
            meant.add(guess)
            collector.error(item.line, _unknown(item.name, guess))
    if "title" not in metadata and "title" not in meant:
        collector.error(1, "il manque la ligne « Title: » en tête du fichier (le titre de la page), "
                           "suivie des autres métadonnées puis d'une ligne vide.")
    if kind in DATED_FOLDERS and "date" not in metadata and "date" not in meant:
        collector.error(1, "il manque la ligne « Date: » (par exemple « Date: 2026-03-02 10:00 »).")
    for key in REQUIRED.get(kind, ()):
        if key not in metadata and key not in ("title", "date") and key not in meant:
            collector.error(1, f"il manque la ligne « {FIELDS[key]}: » en tête du fichier, obligatoire "
                               f"pour {KIND_NAMES[kind]} : {PURPOSE[key]}.")
    if kind == "presse" and "link" not in metadata and "pdf" not in metadata:
        collector.error(1, "il manque la ligne « Link: » (l'adresse de l'article en ligne) ou « Pdf: » "
                           "(le PDF déposé dans content/presse/pdf/) : un article de presse a l'un des deux.")
    if "date" in metadata:
        line, value = metadata["date"]
        if parse_date(value) is None:
            collector.error(line, f"la date « {value} » n'est pas comprise ; écrivez-la "
                                  "AAAA-MM-JJ ou AAAA-MM-JJ HH:MM, par exemple 2026-03-02 10:00.")
    for key in ("event_date", "event_end"):
        if key in metadata:
            line, value = metadata[key]
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) or parse_date(value) is None:
                collector.error(line, f"la date « {value} » de « {FIELDS[key]} » n'est pas comprise ; "
                                      "écrivez-la AAAA-MM-JJ, par exemple 2026-05-16.")
    if "slug" in metadata:
        line, value = metadata["slug"]
        if not SLUG_PATTERN.match(value):
            collector.error(line, f"le slug « {value} » doit être en minuscules, sans accents "
                                  "ni espaces, avec des tirets (ex. « foire-de-bordeaux »).")
    if "status" in metadata:
        line, value = metadata["status"]
        if value.lower() not in STATUSES:
            collector.error(line, f"le statut « {value} » n'est pas connu ; écrivez « Status: draft » pour "
                                  "garder le texte en brouillon, ou retirez la ligne pour le publier.")
    if "summary" in metadata:
        line, value = metadata["summary"]
        if len(value) > SUMMARY_MAX:
            collector.warn(line, f"le résumé fait {len(value)} caractères ; au-delà de {SUMMARY_MAX}, "
                                 "les moteurs de recherche le coupent. Raccourcissez-le.")
    if "association" in metadata:
        line, value = metadata["association"]
        if site.association(value) is None:
            collector.error(line, f"l'association « {value} » n'existe pas dans "
                                  "data/associations.yaml ; recopiez son champ « id ».")


def _guess(name: str) -> str | None:
    guess = difflib.get_close_matches(name.lower(), FIELDS, n=1, cutoff=0.6)
    return guess[0] if guess else None


def _unknown(name: str, guess: str | None) -> str:
    hint = (f" Vouliez-vous dire « {FIELDS[guess]} » ?" if guess else
            f" Champs possibles : {', '.join(FIELDS.values())}.")
    return f"« {name} » n'est pas un champ connu de l'en-tête ; le site l'ignorerait.{hint}"
