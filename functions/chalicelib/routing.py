"""The routing table (AI id → contact, services; commune → AIs), generated from the data model by
``python -m model routing`` (model/routing.py): the one contract between the site build and these functions.

The recipient of every e-mail comes from here, never from the browser.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from rules.email_address import email_key
from rules.phone import Phone, parse_phone


@dataclass(frozen=True)
class Operator:
    """A member of AAI's phone cell allowed into the back office (data/settings.yaml, ``operators``)."""
    name: str
    email: str


@dataclass(frozen=True)
class Contact:
    """Anyone who receives requests: an AI, or the regional network for unserved communes."""
    id: str
    name: str
    email: str
    phone: Phone | None = None
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
        self.site_name = table["site"]["name"]
        self.sender = table["site"]["sender"]
        self.site_url = table["site"].get("url", "")
        self.retention_days = int(table["retention_days"])
        self.follow_through = dict(table["follow_through"])   # the charter's delays (lifecycle.Policy)
        self.brand = dict(table.get("brand") or {})            # colour id → #rrggbb, for the pages
        self.network = _contact(table["network"]["id"], table["network"])
        self.services = {s["id"]: s["name"] for s in table.get("services", [])}
        self.referral_sources = {s["id"]: s["label"] for s in table.get("referral_sources", [])}
        self.associations = {k: _contact(k, v) for k, v in table.get("associations", {}).items()}
        self.communes = table.get("communes", {})
        self.partner_sites = tuple(table.get("partner_sites", ()))   # the network's partners' and AIs' sites
        self.operators = {email_key(o["email"]): Operator(o["name"], o["email"]) for o in table.get("operators", [])}

    def recipient(self, ai_id: str) -> Contact | None:
        """The AI, or the regional network for its own id (``aai``)."""
        if ai_id == self.network.id:
            return self.network
        return self.associations.get(ai_id)

    def associations_of(self, address: str) -> tuple[str, ...]:
        """The AI(s) whose address this is (a shared mailbox may serve two), for the back office's sign-in."""
        key = email_key(address)
        return tuple(ai_id for ai_id, ai in self.associations.items() if email_key(ai.email) == key)

    def commune_name(self, insee: str) -> str:
        return self.communes.get(insee, {}).get("name", insee)

    def serving(self, insee: str) -> list[Contact]:
        codes = self.communes.get(insee, {}).get("ais", [])
        return [self.associations[c] for c in codes if c in self.associations]


def _contact(ai_id: str, data: dict) -> Contact:
    fields = {k: v for k, v in data.items() if k in Contact.__dataclass_fields__ and k != "id"}
    fields["services"] = tuple(fields.get("services") or ())
    fields["phone"] = parse_phone(fields["phone"]) if fields.get("phone") else None
    return Contact(id=ai_id, **fields)


@lru_cache(maxsize=4)
def load_routing(path: str) -> Routing:
    with open(path, encoding="utf-8") as handle:
        return Routing(json.load(handle))
