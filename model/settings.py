"""Site-wide settings (``data/settings.yaml``): names, the regional phone line, AAI's contact."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .contact import EMAIL_FIX, PHONE_FIX, normalize_email, normalize_phone
from .errors import Collector
from .source import LineDict, check_fields, read_yaml


@dataclass(frozen=True, slots=True)
class Network:
    """AAI, the regional network: publisher of the site and fallback for uncovered communes."""

    name: str
    address: str
    postal_code: str
    commune: str
    phone: str
    phone_e164: str
    email: str
    contact: str
    forms_email: str


@dataclass(frozen=True, slots=True)
class ReferralSource:
    """One answer to « Comment nous avez-vous connus ? » (Annexe 3)."""

    id: str
    label: str


@dataclass(frozen=True, slots=True)
class Settings:
    site_name: str
    short_name: str
    tagline: str
    site_url: str
    regional_phone: str
    regional_phone_e164: str
    regional_phone_hours: str
    network: Network
    referral_sources: tuple[ReferralSource, ...]
    retention_days: int
    tiles_url: str
    tiles_attribution: str


def load_settings(path: Path, collector: Collector) -> Settings | None:
    data = read_yaml(path, collector)
    if data is None:
        return None
    if not isinstance(data, LineDict):
        collector.error(1, "le fichier doit être un bloc de champs (site, regional_phone, network…).")
        return None
    top = check_fields(data, "les réglages", {
        "site": dict, "regional_phone": str, "regional_phone_hours": str, "network": dict,
        "referral_sources": list, "retention_days": int, "tiles": dict}, {}, collector)
    site = check_fields(top["site"], "le bloc « site »",
                        {"name": str, "short_name": str, "tagline": str, "url": str}, {},
                        collector) if "site" in top else {}
    network = check_fields(top["network"], "le bloc « network »", {
        "name": str, "address": str, "postal_code": str, "commune": str, "phone": str,
        "email": str, "contact": str, "forms_email": str}, {}, collector) if "network" in top else {}
    # The tiles are an optional background: without « url » the map draws the communes alone.
    tiles = check_fields(top["tiles"], "le bloc « tiles »", {}, {"url": str, "attribution": str},
                         collector) if "tiles" in top else {}
    if tiles.get("url") and not tiles.get("attribution"):
        collector.error(top["tiles"].line_of("url"), "le fond de carte « tiles » a une adresse mais pas "
                                                     "d'« attribution » : indiquez la mention exigée par le "
                                                     "serveur de tuiles, ou videz « url » pour s'en passer.")

    phones = {}
    for key, block, value in (("regional_phone", data, top.get("regional_phone")),
                              ("phone", top.get("network"), network.get("phone"))):
        if value is not None:
            phones[key] = normalize_phone(value)
            if phones[key] is None:
                collector.error(block.line_of(key), f"le numéro « {value} » n'est pas valide : {PHONE_FIX}.")
    for key in ("email", "forms_email"):
        if key in network and normalize_email(network[key]) is None:
            collector.error(top["network"].line_of(key),
                            f"l'adresse « {network[key]} » n'est pas valide : {EMAIL_FIX}.")

    sources = []
    for index, block in enumerate(top.get("referral_sources", [])):
        if isinstance(block, LineDict):
            fields = check_fields(block, "une origine de client", {"id": str, "label": str}, {},
                                  collector)
            if len(fields) == 2 and any(s.id == fields["id"] for s in sources):
                collector.error(block.line_of("id"), f"l'origine de client « {fields['id']} » est déclarée "
                                                     "deux fois ; chaque identifiant doit être unique.")
            elif len(fields) == 2:
                sources.append(ReferralSource(fields["id"], fields["label"]))
        else:
            collector.error(top["referral_sources"].line_of(index),
                            "chaque origine de client est un bloc « id » et « label ».")

    if "retention_days" in top and not 1 <= top["retention_days"] <= 3 * 365:
        collector.error(data.line_of("retention_days"), "la durée de conservation « retention_days » est un "
                                                        "nombre de jours entre 1 et 1095 (365 = un an).")
    if "url" in site and not site["url"].startswith("https://"):
        collector.error(top["site"].line_of("url"), f"l'adresse du site « {site['url']} » doit commencer "
                                                    "par https://.")
    if collector.errors or not (site and network and "tiles" in top and all(phones.values())):
        return None
    return Settings(
        site_name=site["name"], short_name=site["short_name"], tagline=site["tagline"],
        site_url=site["url"].rstrip("/"),
        regional_phone=phones["regional_phone"][0], regional_phone_e164=phones["regional_phone"][1],
        regional_phone_hours=top["regional_phone_hours"],
        network=Network(
            name=network["name"], address=network["address"], postal_code=network["postal_code"],
            commune=network["commune"], phone=phones["phone"][0], phone_e164=phones["phone"][1],
            email=network["email"], contact=network["contact"], forms_email=network["forms_email"]),
        referral_sources=tuple(sources),
        retention_days=top["retention_days"],
        tiles_url=tiles.get("url", ""), tiles_attribution=tiles.get("attribution", ""),
    )
