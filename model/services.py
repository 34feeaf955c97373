"""The catalogue of services an association can offer (``data/services.yaml``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .charter import pictograms
from .errors import Collector
from .source import LineDict, check_fields, describe, read_yaml

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
REQUIRED = {"id": str, "name": str, "description": str, "icon": str}
OPTIONAL = {"season": str}


@dataclass(frozen=True, slots=True)
class Service:
    id: str
    name: str
    description: str
    icon: str  # a drawing of model.charter.pictograms (Tabler Icons), shown beside the name
    season: str = ""

    @property
    def url(self) -> str:
        return f"services/#{self.id}"


def load_services(path: Path, collector: Collector) -> dict[str, Service]:
    data = read_yaml(path, collector)
    if data is None:
        return {}
    if not isinstance(data, LineDict) or not isinstance(data.get("services"), list):
        collector.error(getattr(data, "line", 1), "le fichier doit commencer par « services: » "
                                                  "suivi de la liste des services.")
        return {}
    services: dict[str, Service] = {}
    if not data["services"]:
        collector.error(data.line_of("services"), "la liste des services est vide : ajoutez au moins un service.")
    for index, block in enumerate(data["services"]):
        if not isinstance(block, LineDict):
            collector.error(data["services"].line_of(index), "chaque service est un bloc de champs "
                                                             "(id, name, description).")
            continue
        what = describe(block, "le service")
        fields = check_fields(block, what, REQUIRED, OPTIONAL, collector)
        if "icon" in fields and fields["icon"] not in pictograms.available():
            collector.error(block.line_of("icon"), f"{what} : le pictogramme « {fields['icon']} » n'est pas "
                                                   "dans le site ; choisissez-le dans le catalogue Tabler Icons "
                                                   "(variante « outline ») puis ajoutez-le avec « python "
                                                   f"scripts/update_icons.py {fields['icon']} ».")
        ident = fields.get("id")
        if ident is None:
            continue
        if not ID_PATTERN.match(ident):
            collector.error(block.line_of("id"), f"{what} : l'identifiant doit être en minuscules "
                                                 "sans accents, avec des tirets (ex. « petit-bricolage »).")
        elif ident in services:
            collector.error(block.line_of("id"), f"{what} est déclaré deux fois ; "
                                                 "chaque identifiant doit être unique.")
        elif {"name", "description", "icon"} <= fields.keys():
            services[ident] = Service(ident, fields["name"], fields["description"], fields["icon"],
                                      fields.get("season", ""))
    return services
