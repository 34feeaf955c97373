"""The routing table (AI id → contact, services; commune → AIs), generated from the data model by
``python -m model routing`` (model/routing.py): the one contract between the site build and these functions.

The recipient of every e-mail comes from here, never from the browser.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, TypedDict

from rules import origins
from rules.commune_search import Candidate
from rules.email_address import email_key
from rules.geography import distance_km
from rules.phone import Phone, parse_phone
from rules.sources import KnownSources


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
    latitude: float | None = None    # the office, to rank the associations by distance from a commune
    longitude: float | None = None
    charter_signed: str | None = None   # the quality charter's signature, YYYY-MM-DD; None: not a signatory

    def page_url(self, site: str) -> str:
        """The association's public page on ``site`` (an origin from the configuration, never a request's)."""
        return site.rstrip("/") + (self.url or f"/association/{self.id}/")


class Commune(TypedDict, total=False):
    """A commune of the table (model/routing.py writes every key; read with ``.get``, so that a code the table
    does not know reads as an empty entry)."""
    name: str
    departement: str
    postal_codes: list[str]
    population: int | None
    latitude: float | None
    longitude: float | None
    ais: list[str]   # the AIs serving it


class Routing:
    def __init__(self, table: dict[str, Any]) -> None:
        self.site_name = table["site"]["name"]
        self.sender = table["site"]["sender"]
        self.site_url = table["site"].get("url", "")
        self.retention_days = int(table["retention_days"])
        self.follow_through = dict(table["follow_through"])   # the charter's delays (lifecycle.Policy)
        self.brand = dict(table.get("brand") or {})            # colour id → #rrggbb, for the pages
        self.network = _contact(table["network"]["id"], table["network"])
        self.services = {s["id"]: s["name"] for s in table.get("services", [])}
        self.referral_sources = origins.labels()   # Annexe 3 (rules/origins.py): the one list, not in the table
        self.associations = {k: _contact(k, v) for k, v in table.get("associations", {}).items()}
        self.communes: dict[str, Commune] = table.get("communes", {})
        self.partner_sites = tuple(table.get("partner_sites", ()))   # the network's partners' and AIs' sites
        # The measured sources a link may carry (rules/sources.py): fixed slugs, mairie-<INSEE>, partenaire-<id>.
        self.sources = KnownSources(frozenset(self.communes), frozenset(table.get("source_partners", ())))
        self.operators = {email_key(o["email"]): Operator(o["name"], o["email"]) for o in table.get("operators", [])}

    @property
    def cell_phone(self) -> Phone:
        """The regional cell's number, which the signed pages give to call: the routing table always holds it
        (model/routing.py); a table without it is a broken build, refused here rather than shown as « au  »."""
        if self.network.phone is None:
            raise ValueError("the routing table has no phone number for the regional network")
        return self.network.phone

    def recipient(self, ai_id: str) -> Contact | None:
        """The AI, or the regional network for its own id (``aai``)."""
        if ai_id == self.network.id:
            return self.network
        return self.associations.get(ai_id)

    @property
    def signatories(self) -> list[Contact]:
        """The AIs that signed the quality charter (AXE 5's first criterion: their number)."""
        return [ai for ai in self.associations.values() if ai.charter_signed]

    def associations_of(self, address: str) -> tuple[str, ...]:
        """The AI(s) whose address this is (a shared mailbox may serve two), for the back office's sign-in."""
        key = email_key(address)
        return tuple(ai_id for ai_id, ai in self.associations.items() if email_key(ai.email) == key)

    def commune_name(self, insee: str) -> str:
        return self.communes.get(insee, {}).get("name", insee)

    def serving(self, insee: str) -> list[Contact]:
        codes = self.communes.get(insee, {}).get("ais", [])
        return [self.associations[c] for c in codes if c in self.associations]

    def commune_recipient(self, insee: str) -> Contact:
        """Who receives what names a commune but no association: its first serving AI, else the regional network
        (a commune no AI serves yet)."""
        serving = self.serving(insee)
        return serving[0] if serving else self.network

    @cached_property
    def candidates(self) -> tuple[Candidate, ...]:
        """The communes as the site's one ranking reads them (rules.commune_search)."""
        return tuple(Candidate(code, c["name"], tuple(c.get("postal_codes", ())), int(c.get("population") or 0))
                     for code, c in self.communes.items())

    def distance_km(self, insee: str, contact: Contact) -> float | None:
        """From the commune's town hall to the association's office, as the crow flies; None without positions."""
        commune = self.communes.get(insee, {})
        latitude, longitude = commune.get("latitude"), commune.get("longitude")
        if latitude is None or longitude is None or contact.latitude is None or contact.longitude is None:
            return None
        return distance_km(latitude, longitude, contact.latitude, contact.longitude)

    def nearest_first(self, insee: str) -> list[tuple[Contact, float | None]]:
        """For re-routing a request from this commune: the associations that serve it, then every other one, each
        group nearest first (those without a position last, A–Z)."""
        serving = {a.id for a in self.serving(insee)}
        ranked = [(a, self.distance_km(insee, a)) for a in self.associations.values()]
        return sorted(ranked, key=lambda item: (item[0].id not in serving, item[1] is None,
                                                item[1] or 0.0, item[0].name))



def _contact(ai_id: str, data: dict[str, Any]) -> Contact:
    fields = {k: v for k, v in data.items() if k in Contact.__dataclass_fields__ and k != "id"}
    fields["services"] = tuple(fields.get("services") or ())
    fields["phone"] = parse_phone(fields["phone"]) if fields.get("phone") else None
    return Contact(id=ai_id, **fields)


@lru_cache(maxsize=4)
def load_routing(path: str) -> Routing:
    with open(path, encoding="utf-8") as handle:
        return Routing(json.load(handle))
