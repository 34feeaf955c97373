"""The routing table packaged with the form functions: the contract across the wall between the site build
and the functions.

The functions never read YAML: they get this JSON, derived from the one data model, so the address an e-mail
goes to always comes from the data, never from the browser, and the words both sides use (the network's id,
the site's name, the sender) are written once. The fixed answers of the forms need not travel here: both sides
import them from ``rules.vocabulary``. Phone numbers travel as E.164; ``rules.phone`` formats them.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from rules.vocabulary import NETWORK_ID

from .site import SiteData

PAGE_COLOURS = ("primary", "primary-dark", "accent", "text", "muted", "background", "surface", "focus")


def routing_table(site: SiteData) -> dict[str, Any]:
    settings = site.settings
    network = settings.network
    office = site.reference.communes.get(network.commune)
    return {
        "site": {"name": settings.site_name, "sender": settings.mail_sender, "url": settings.site_url},
        "retention_days": settings.retention_days,
        "follow_through": dataclasses.asdict(settings.follow_through),
        # The functions' pages wear the site's colours (the charter is optional in test data).
        "brand": {c: site.brand.hex[c] for c in PAGE_COLOURS if c in site.brand.hex} if site.brand else {},
        "network": {
            "id": NETWORK_ID, "name": network.name, "email": network.forms_email,
            "phone": settings.regional_phone.e164, "address": network.address,
            "postal_code": network.postal_code, "commune_name": office.name if office else "",
            "contact": network.contact, "hours": settings.regional_phone_hours,
        },
        # Who may sign in to the back office besides the associations: AAI's phone cell (data/settings.yaml).
        "operators": [{"name": o.name, "email": o.email} for o in settings.operators],
        # Visitors arriving from these sites count as « sites partenaires » in the audience figures.
        "partner_sites": sorted({p.url for p in site.partners} | {a.website for a in site.associations if a.website}),
        # The suffixes of the measured sources' families (rules/sources.py): « partenaire-<id> ».
        "source_partners": sorted({p.id for p in site.partners}),
        "services": [{"id": s.id, "name": s.name} for s in site.services.values()],
        "associations": {a.id: {
            "name": a.name, "email": a.email, "phone": a.phone.e164, "address": a.address,
            "postal_code": a.postal_code, "commune_name": a.commune.name, "contact": a.contact,
            "hours": a.hours, "website": a.website, "services": [s.id for s in a.services],
            "url": f"/{a.url}", "latitude": a.latitude, "longitude": a.longitude,
            # the quality charter's signature (AXE 5): the monthly report counts the signatories
            "charter_signed": a.charter_signed.isoformat() if a.charter_signed else None,
        } for a in site.associations},
        # The population ranks the communes of a postal code (rules.commune_search); the town hall's position
        # ranks the associations by distance when the cell re-routes a request.
        "communes": {c.insee: {
            "name": c.name, "departement": c.departement, "postal_codes": list(c.postal_codes),
            "population": c.population, "latitude": c.latitude, "longitude": c.longitude,
            "ais": [a.id for a in site.serving(c.insee)],
        } for c in site.reference.communes.values()},
    }


def routing_json(site: SiteData) -> str:
    """The table as written: sorted keys, so the same data always gives the same bytes."""
    return json.dumps(routing_table(site), ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def write_routing_table(site: SiteData, path: Path) -> bool:
    """Write the table; return False when it was already up to date (keeps mtimes still)."""
    text = routing_json(site)
    if path.exists() and path.read_text("utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return True
