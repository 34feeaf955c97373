"""What a change does for visitors: the data and content of a branch against a base (``origin/main``).

The base is read from git into a scratch folder and loaded by the same ``load_site`` as the branch:
one data model, never a second parser of the YAML.
"""

from __future__ import annotations

import datetime
import logging
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field, fields
from io import BytesIO
from pathlib import Path

from .associations import Association
from .content import ContentItem, read_items
from .errors import DataError
from .site import SiteData, load_site

logger = logging.getLogger(__name__)

# What the base needs to load: the data, the content, and the fonts the charter names.
BASE_PATHS = ("data", "content", "theme/static/fonts")
NEWS_KINDS = ("actualites", "presse")

# The association fields an editor changes, in the words of the site.
FIELD_NAMES = {
    "name": "nom", "address": "adresse", "postal_code": "code postal", "commune": "commune du bureau",
    "phone": "téléphone", "email": "adresse e-mail", "contact": "personne à contacter",
    "website": "site web", "hours": "horaires", "latitude": "position", "longitude": "position",
    "services": "services", "charter_signed": "signature de la charte", "zone": "zone desservie",
    "hourly_price": "prix de l'heure", "immediate_advance": "avance immédiate",
    "verified": "date de vérification",
}
IGNORED_FIELDS = {"id"}  # the identity itself


@dataclass(frozen=True)
class RoutingChange:
    """A commune whose serving AI(s) differ: what a visitor of that commune is offered."""

    insee: str
    name: str
    departement: str
    before: tuple[str, ...]  # AI names
    after: tuple[str, ...]


@dataclass
class Changes:
    added: list[Association] = field(default_factory=list)
    removed: list[Association] = field(default_factory=list)
    changed: list[tuple[Association, list[str]]] = field(default_factory=list)  # (AI, French field names)
    routing: list[RoutingChange] = field(default_factory=list)
    published: list[ContentItem] = field(default_factory=list)  # new or changed, visible now
    scheduled: list[ContentItem] = field(default_factory=list)  # new or changed, dated in the future
    withdrawn: list[ContentItem] = field(default_factory=list)  # removed, or turned into a draft

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.routing or self.published
                    or self.scheduled or self.withdrawn)


class BaseUnavailable(Exception):
    """The base cannot be read or loaded; the message is French, for the job summary."""


def extract_base(root: Path, ref: str, target: Path) -> None:
    """Write the base's data, content and fonts under ``target`` (``git archive``, no checkout)."""
    present = [path for path in BASE_PATHS if subprocess.run(
        ["git", "cat-file", "-e", f"{ref}:{path}"], cwd=root, capture_output=True).returncode == 0]
    if "data" not in present:
        raise BaseUnavailable(f"la référence « {ref} » est introuvable dans le dépôt git (ou n'a pas de "
                              "dossier data/) : la comparaison est impossible.")
    archive = subprocess.run(["git", "archive", "--format=tar", ref, *present], cwd=root,
                             capture_output=True)
    if archive.returncode != 0:
        raise BaseUnavailable(f"lecture de « {ref} » impossible : {archive.stderr.decode().strip()}")
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        if hasattr(tarfile, "data_filter"):   # Python ≥ 3.11.4; Debian 12 has 3.11.2
            tar.extractall(target, filter="data")
            return
        for member in tar.getmembers():       # what the "data" filter refuses: links and paths leaving target
            if member.issym() or member.islnk() or member.name.startswith("/") or ".." in Path(member.name).parts:
                raise BaseUnavailable(f"« {ref} » contient un chemin qui sort du dossier : {member.name}")
        tar.extractall(target)


def load_base(root: Path, ref: str) -> tuple[SiteData, list[ContentItem]]:
    """The base's site data and content items, loaded through the model from a scratch folder."""
    with tempfile.TemporaryDirectory(prefix="aai-base-") as folder:
        base = Path(folder)
        extract_base(root, ref, base)
        try:
            site = load_site(base)
        except DataError as error:
            raise BaseUnavailable(f"les données de « {ref} » ne se chargent pas "
                                  f"({len(error.problems)} erreur(s)) : la comparaison est impossible.") from error
        return site, read_items(base)


def compare(base: SiteData, head: SiteData, base_items: list[ContentItem], head_items: list[ContentItem],
            now: datetime.datetime) -> Changes:
    changes = Changes()
    before = {a.id: a for a in base.associations}
    after = {a.id: a for a in head.associations}
    changes.added = [after[i] for i in sorted(after.keys() - before.keys())]
    changes.removed = [before[i] for i in sorted(before.keys() - after.keys())]
    for ident in sorted(before.keys() & after.keys()):
        names = differing_fields(before[ident], after[ident])
        if names:
            changes.changed.append((after[ident], names))
    changes.routing = routing_changes(base, head)
    _compare_items(changes, base_items, head_items, now)
    return changes


def differing_fields(old: Association, new: Association) -> list[str]:
    names: list[str] = []
    for spec in fields(Association):
        if spec.name in IGNORED_FIELDS:
            continue
        if _comparable(getattr(old, spec.name)) != _comparable(getattr(new, spec.name)):
            label = FIELD_NAMES.get(spec.name, spec.name)
            if label not in names:
                names.append(label)
    return names


def _comparable(value: object) -> object:
    """A commune by its INSEE code, services by their ids: what an editor changed, not the objects' other fields."""
    if hasattr(value, "insee"):
        return value.insee
    if isinstance(value, tuple) and value and hasattr(value[0], "id"):
        return tuple(v.id for v in value)
    return value


def routing_changes(base: SiteData, head: SiteData) -> list[RoutingChange]:
    """Every commune of the head's reference whose serving AIs differ, by département then name."""
    found = []
    for commune in head.reference.communes.values():
        old = tuple(sorted(a.name for a in base.serving(commune.insee)))
        new = tuple(sorted(a.name for a in head.serving(commune.insee)))
        if old != new:
            found.append(RoutingChange(commune.insee, commune.name, commune.departement, old, new))
    found.sort(key=lambda c: (c.departement, head.reference.communes[c.insee].sort_key, c.insee))
    return found


def _compare_items(changes: Changes, base_items: list[ContentItem], head_items: list[ContentItem],
                   now: datetime.datetime) -> None:
    before = {i.path: i for i in base_items if i.kind in NEWS_KINDS}
    after = {i.path: i for i in head_items if i.kind in NEWS_KINDS}
    for path, item in sorted(after.items()):
        old = before.get(path)
        if old == item or item.status != "published" or item.date is None:
            if old is not None and old.status == "published" and item.status != "published":
                changes.withdrawn.append(item)
            continue
        (changes.scheduled if item.scheduled(now) else changes.published).append(item)
    for path, item in sorted(before.items()):
        if path not in after and item.status == "published" and not item.scheduled(now):
            changes.withdrawn.append(item)
