"""The routing table packaged with the form functions: AI id → contact and zone.

The functions never read YAML: they get this JSON, derived from the one data model,
so the address an e-mail goes to always comes from the data, never from the browser.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from .site import SiteData

NETWORK_ID = "aai"


def routing_table(site: SiteData) -> dict:
    settings = site.settings
    network = settings.network
    office = site.reference.communes.get(network.commune)
    return {
        "generated": datetime.date.today().isoformat(),
        "retention_days": settings.retention_days,
        "site_url": settings.site_url,
        "network": {
            "id": NETWORK_ID, "name": network.name, "email": network.forms_email,
            "phone": settings.regional_phone, "address": network.address,
            "postal_code": network.postal_code, "commune_name": office.name if office else "",
            "contact": network.contact, "hours": settings.regional_phone_hours,
        },
        "referral_sources": [{"id": s.id, "label": s.label} for s in settings.referral_sources],
        "services": [{"id": s.id, "name": s.name} for s in site.services.values()],
        "associations": {a.id: {
            "name": a.name, "email": a.email, "phone": a.phone, "address": a.address,
            "postal_code": a.postal_code, "commune_name": a.commune.name, "contact": a.contact,
            "hours": a.hours, "website": a.website, "services": [s.id for s in a.services],
            "url": f"/{a.url}",
        } for a in site.associations},
        "communes": {c.insee: {
            "name": c.name, "departement": c.departement, "postal_codes": list(c.postal_codes),
            "ais": [a.id for a in site.serving(c.insee)],
        } for c in site.reference.communes.values()},
    }


def write_routing_table(site: SiteData, path: Path) -> bool:
    """Write the table; return False when it was already up to date (keeps mtimes still)."""
    table = routing_table(site)
    text = json.dumps(table, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    if path.exists():
        old = json.loads(path.read_text("utf-8"))
        old["generated"] = table["generated"]
        if old == table:
            return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n", "utf-8")
    return True
