"""The network's partners (``data/partners.yaml``), listed on the « Partenaires » page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import Collector
from .source import LineDict, check_fields, read_yaml

REQUIRED = {"name": str, "role": str, "url": str}
OPTIONAL = {"logo": str}
URL_PATTERN = re.compile(r"^https?://[^\s/]+\.[^\s]+$")


@dataclass(frozen=True, slots=True)
class Partner:
    name: str
    role: str
    url: str
    logo: str | None = None

    @property
    def id(self) -> str:
        """Its slug in a banner's link (``?source=partenaire-<id>``, rules/sources.py): its site's host
        without « www. » nor the final suffix — « www.gironde.fr » → « gironde »."""
        host = self.url.split("://", 1)[-1].split("/", 1)[0].lower().removeprefix("www.")
        return "-".join(re.findall(r"[a-z0-9]+", host.rsplit(".", 1)[0]))


def load_partners(path: Path, collector: Collector) -> tuple[Partner, ...]:
    if not path.exists():
        return ()
    data = read_yaml(path, collector)
    if data is None:
        return ()
    if not isinstance(data, LineDict) or not isinstance(data.get("partners"), list):
        collector.error(getattr(data, "line", 1), "le fichier doit commencer par « partners: » "
                                                  "suivi de la liste des partenaires.")
        return ()
    partners = []
    for index, block in enumerate(data["partners"]):
        if not isinstance(block, LineDict):
            collector.error(data["partners"].line_of(index), "chaque partenaire est un bloc de champs "
                                                             "(name, role, url).")
            continue
        what = f"le partenaire « {block.get('name')} »" if block.get("name") else "un partenaire"
        fields = check_fields(block, what, REQUIRED, OPTIONAL, collector)
        url = fields.get("url")
        if url is not None and not URL_PATTERN.match(url):
            collector.error(block.line_of("url"), f"{what} : le lien « {url} » doit être une adresse "
                                                  "complète commençant par https://.")
            continue
        if {"name", "role", "url"} <= fields.keys():
            partners.append(Partner(fields["name"], fields["role"], fields["url"], fields.get("logo")))
    return tuple(partners)
