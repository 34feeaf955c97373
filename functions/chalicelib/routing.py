"""The routing table (AI id → contact, services; commune → AIs), generated from the data model.

The recipient of every e-mail comes from here, never from the browser.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

NETWORK_ID = "aai"


@dataclass(frozen=True)
class Contact:
    """Anyone who receives requests: an AI, or the regional network for unserved communes."""
    id: str
    name: str
    email: str
    phone: str = ""
    address: str = ""
    postal_code: str = ""
    commune_name: str = ""
    contact: str = ""
    hours: str = ""
    website: str | None = None
    services: tuple[str, ...] = ()
    url: str = ""


class Routing:
    def __init__(self, table: dict):
        self.retention_days = int(table.get("retention_days", 365))
        self.site_url = table.get("site_url", "")
        self.network = _contact(NETWORK_ID, table["network"])
        self.services = {s["id"]: s["name"] for s in table.get("services", [])}
        self.referral_sources = {s["id"]: s["label"] for s in table.get("referral_sources", [])}
        self.associations = {k: _contact(k, v) for k, v in table.get("associations", {}).items()}
        self.communes = table.get("communes", {})

    def recipient(self, ai_id: str) -> Contact | None:
        """The AI, or the regional network for the special id ``aai``."""
        if ai_id == NETWORK_ID:
            return self.network
        return self.associations.get(ai_id)

    def commune_name(self, insee: str) -> str:
        return self.communes.get(insee, {}).get("name", insee)

    def serving(self, insee: str) -> list[Contact]:
        codes = self.communes.get(insee, {}).get("ais", [])
        return [self.associations[c] for c in codes if c in self.associations]


def _contact(ai_id: str, data: dict) -> Contact:
    fields = {k: v for k, v in data.items() if k in Contact.__dataclass_fields__ and k != "id"}
    fields["services"] = tuple(fields.get("services") or ())
    return Contact(id=ai_id, **fields)


@lru_cache(maxsize=4)
def load_routing(path: str) -> Routing:
    with open(path, encoding="utf-8") as handle:
        return Routing(json.load(handle))
