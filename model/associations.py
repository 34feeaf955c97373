"""The associations intermédiaires (``data/associations.yaml``) and the communes they serve."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Iterator

from rules import grammar
from rules.dates import PARIS, french_date, months_before
from rules.tax_credit import after_tax_credit

from .communes import Commune, CommuneReference
from .contact import EMAIL_FIX, PHONE_FIX, Phone, normalize_email, parse_phone
from .errors import Collector
from .services import Service
from .source import LineDict, LineList, check_fields, describe, read_yaml

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CODE_PATTERN = re.compile(r"^(\d{5}|2[AB]\d{3})$")
POSTAL_PATTERN = re.compile(r"^\d{5}$")
SIREN_PATTERN = re.compile(r"^\d{9}$")
WEBSITE_PATTERN = re.compile(r"^https://[^\s/]+\.[^\s]+$")

REQUIRED = {
    "id": str, "name": str, "address": str, "postal_code": str, "commune": str, "phone": str,
    "email": str, "contact": str, "hours": str, "latitude": float, "longitude": float,
    "services": list, "zone": dict,
}
OPTIONAL = {"website": str, "charter_signed": datetime.date, "hourly_price": float, "immediate_advance": bool,
            "verified": datetime.date}
PRICE_RANGE = (Decimal("0.01"), Decimal("100"))  # euros an hour: above 100 is a typo (a day's price, cents)
FRESH_FOR_MONTHS = 6  # details confirmed longer ago are listed by make check (Soliguide's rule)
ZONE_FIELDS = {"epci": list, "communes": list, "except": list}


@dataclass(frozen=True, slots=True)
class Association:
    id: str
    name: str
    address: str
    postal_code: str
    commune: Commune
    phone: Phone
    email: str
    contact: str
    website: str | None
    hours: str
    latitude: float
    longitude: float
    services: tuple[Service, ...]
    charter_signed: datetime.date | None
    zone: frozenset[str]  # INSEE codes of the communes served
    hourly_price: Decimal | None = None  # what the household pays an hour, before the tax credit, if published
    immediate_advance: bool = False  # offers the Urssaf's « avance immédiate » of the tax credit
    verified: datetime.date | None = None  # when its details were last confirmed with it

    @property
    def price_after_tax_credit(self) -> Decimal | None:
        return None if self.hourly_price is None else after_tax_credit(self.hourly_price)

    @property
    def url(self) -> str:
        return f"association/{self.id}/"

    @property
    def departements(self) -> tuple[str, ...]:
        """Départements its zone touches, office's first."""
        others = sorted({code[:2] for code in self.zone} - {self.commune.departement})
        return (self.commune.departement, *others)

    def offers(self, service_id: str) -> bool:
        return any(s.id == service_id for s in self.services)


def today_in_paris() -> datetime.date:
    return datetime.datetime.now(PARIS).date()


def load_associations(path: Path, reference: CommuneReference, services: dict[str, Service],
                      collector: Collector, today: datetime.date | None = None,
                      freshness: Collector | None = None) -> list[Association]:
    """``today`` judges dates in the future (the real date by default); ``freshness`` (when given) collects the
    warnings about details never or long ago confirmed, which make check lists but the build does not."""
    today = today or today_in_paris()
    freshness = freshness if freshness is not None else Collector(collector.path)
    data = read_yaml(path, collector)
    if data is None:
        return []
    if not isinstance(data, LineDict) or not isinstance(data.get("associations"), list):
        collector.error(getattr(data, "line", 1), "le fichier doit commencer par « associations: » "
                                                  "suivi de la liste des associations.")
        return []
    found: list[Association] = []
    seen: dict[str, int] = {}
    for index, block in enumerate(data["associations"]):
        if not isinstance(block, LineDict):
            collector.error(data["associations"].line_of(index),
                            "chaque association est un bloc de champs commençant par « - id: ».")
            continue
        association = _load_one(block, reference, services, collector, today, freshness)
        raw_id = block.get("id")
        ident = raw_id.strip() if isinstance(raw_id, str) else None
        if ident:
            if ident in seen:
                collector.error(block.line_of("id"), f"l'identifiant « {ident} » est déjà utilisé "
                                                     f"ligne {seen[ident]} ; chaque association "
                                                     "doit avoir un identifiant unique.")
                continue
            seen[ident] = block.line_of("id")
        if association is not None:
            found.append(association)
    if not data["associations"]:
        collector.error(data.line_of("associations"), "la liste des associations est vide : le site n'aurait "
                                                      "plus aucune association à montrer.")
    return found


def _load_one(block: LineDict, reference: CommuneReference, services: dict[str, Service],
              collector: Collector, today: datetime.date, freshness: Collector) -> Association | None:
    what = describe(block, "l'association")
    before = len(collector.errors)
    fields = check_fields(block, what, REQUIRED, OPTIONAL, collector)

    ident = fields.get("id")
    if ident is not None and not ID_PATTERN.match(ident):
        collector.error(block.line_of("id"), f"{what} : l'identifiant doit être en minuscules, "
                                             "sans accents ni espaces, avec des tirets "
                                             "(ex. « ai-val-de-l-eyre »).")

    commune = _office_commune(block, what, fields, reference, collector)

    phone = parse_phone(fields["phone"]) if "phone" in fields else None
    if "phone" in fields and phone is None:
        collector.error(block.line_of("phone"), f"{what} : le numéro « {fields['phone']} » "
                                                f"n'est pas valide ; {PHONE_FIX}.")
    email = normalize_email(fields["email"]) if "email" in fields else None
    if "email" in fields and email is None:
        collector.error(block.line_of("email"), f"{what} : l'adresse e-mail « {fields['email']} » "
                                                f"n'est pas valide ; {EMAIL_FIX}.")
    website = fields.get("website")
    if website is not None and not WEBSITE_PATTERN.match(website):
        collector.error(block.line_of("website"), f"{what} : le site « {website} » doit être une "
                                                  "adresse complète commençant par https://.")

    latitude, longitude = fields.get("latitude"), fields.get("longitude")
    if latitude is not None and longitude is not None:
        _check_position(block, what, float(latitude), float(longitude), commune, reference, collector)

    signed = fields.get("charter_signed")
    if signed is not None and signed > today:
        collector.error(block.line_of("charter_signed"), f"{what} : la date de signature de la charte "
                                                         f"{signed.isoformat()} est dans le futur ; indiquez "
                                                         "la date réelle, ou laissez le champ vide.")

    price = _hourly_price(block, what, fields.get("hourly_price"), collector)
    verified = _verified(block, what, fields.get("verified"), today, collector, freshness)

    offered = _services(block, what, fields.get("services", []), services, collector)
    zone = _zone(block, what, fields.get("zone"), reference, collector)

    if len(collector.errors) > before or commune is None or phone is None or email is None \
            or set(REQUIRED) - fields.keys():
        return None
    return Association(
        id=fields["id"], name=fields["name"], address=fields["address"], postal_code=fields["postal_code"],
        commune=commune, phone=phone, email=email,
        contact=fields["contact"], website=website, hours=fields["hours"],
        latitude=float(fields["latitude"]), longitude=float(fields["longitude"]), services=offered,
        charter_signed=fields.get("charter_signed"), zone=zone, hourly_price=price,
        immediate_advance=fields.get("immediate_advance", False), verified=verified,
    )


def _hourly_price(block: LineDict, what: str, value: float | None, collector: Collector) -> Decimal | None:
    """The hourly price as exact cents; a price out of bounds or finer than the cent is refused with its fix."""
    if value is None:
        return None
    price = Decimal(str(value))
    low, high = PRICE_RANGE
    fix = ("indiquez le prix d'une heure en euros, avant le crédit d'impôt, sous la forme 22.5 "
           "(un point pour les centimes, sans « € ») ; ou retirez la ligne si l'association ne le publie pas.")
    if not price.is_finite() or not low <= price <= high:
        collector.error(block.line_of("hourly_price"), f"{what} : le prix de l'heure « {value} » doit être "
                                                       f"compris entre 0,01 et 100 euros ; {fix}")
        return None
    if price != price.quantize(Decimal("0.01")):
        collector.error(block.line_of("hourly_price"), f"{what} : le prix de l'heure « {value} » a plus de deux "
                                                       f"décimales ; arrondissez-le au centime, {fix}")
        return None
    return price


def _verified(block: LineDict, what: str, value: datetime.date | None, today: datetime.date, collector: Collector,
              freshness: Collector) -> datetime.date | None:
    """When the details were last confirmed: never in the future; missing or older than six months is worth a
    call to the association, said by make check (a warning: the page stays up with what it says)."""
    if value is None:
        if str(block.get("verified") or "").strip() == "":   # a wrong type was reported by check_fields
            freshness.warn(block.line, f"{what} n'a pas de date de vérification de ses informations ; "
                                       "après les avoir confirmées avec elle (téléphone, adresse, horaires, "
                                       "services), ajoutez la ligne « verified: AAAA-MM-JJ » avec la date du jour.")
        return None
    if value > today:
        collector.error(block.line_of("verified"), f"{what} : la date de vérification {value.isoformat()} est "
                                                   "dans le futur ; indiquez le jour où ses informations ont été "
                                                   "confirmées (AAAA-MM-JJ).")
        return None
    if value < months_before(today, FRESH_FOR_MONTHS):
        freshness.warn(block.line_of("verified"), f"{what} : informations vérifiées le {french_date(value)}, il y "
                                                  "a plus de six mois ; confirmez-les avec elle (téléphone, "
                                                  "adresse, horaires, services), puis mettez la date du jour dans "
                                                  "« verified ».")
    return value


def _office_commune(block: LineDict, what: str, fields: dict[str, Any], reference: CommuneReference,
                    collector: Collector) -> Commune | None:
    """The office's commune, by INSEE code; a postcode typed here is blamed on this line, not on
    ``postal_code`` (33330 is Pompignac's INSEE code but Saint-Émilion's postcode)."""
    code, postal = fields.get("commune"), fields.get("postal_code")
    if code is None:
        return None
    commune = reference.communes.get(code)
    by_postcode = [c for c in reference.with_postal_code(code)
                   if commune is None or c.insee != commune.insee]
    if commune is None:
        hint = (f" C'est un code postal, pas un code INSEE ; communes de ce code postal : "
                f"{_named(by_postcode)}. Indiquez le code INSEE de la commune du bureau."
                if by_postcode else "")
        collector.error(block.line_of("commune"), f"{what} indique la commune {code}, qui "
                                                  f"n'existe pas dans le référentiel des communes.{hint}")
        return None
    if postal is None or postal in commune.postal_codes:
        return commune
    if by_postcode:
        collector.error(block.line_of("commune"),
                        f"{what} indique la commune {code}, c'est-à-dire {commune.name} (code postal "
                        f"{', '.join(commune.postal_codes)}), ce qui ne correspond pas au code postal "
                        f"{postal}. Or {code} est aussi un code postal ; communes de ce code postal : "
                        f"{_named(by_postcode)}. Pour « commune », indiquez le code INSEE de la commune "
                        "du bureau.")
    else:
        collector.error(block.line_of("postal_code"),
                        f"{what} : le code postal {postal} ne correspond pas à {commune.name} "
                        f"(codes possibles : {', '.join(commune.postal_codes)}).")
    return commune


def _named(communes: Iterable[Commune]) -> str:
    """« Saint-Émilion (33394), Vignonet (33545) »: names with the INSEE code to copy."""
    return ", ".join(f"{c.name} ({c.insee})" for c in communes)


def _postcode_hint(code: str, reference: CommuneReference) -> str:
    """Why a 5-digit code is no INSEE code: it may be a postcode, whose communes are then named."""
    communes = reference.with_postal_code(code)
    if not communes:
        return " (code INSEE à 5 chiffres)."
    return (f" : {code} est un code postal, pas un code INSEE ; communes de ce code postal : "
            f"{_named(communes)}. Indiquez le code INSEE de chaque commune voulue.")


def _check_position(block: LineDict, what: str, latitude: float, longitude: float, commune: Commune | None,
                    reference: CommuneReference, collector: Collector) -> None:
    if commune is not None:
        home = reference.departements.get(commune.departement)
        if home is not None and home.contains(latitude, longitude):
            return
    if any(d.contains(latitude, longitude) for d in reference.departements.values()) and commune is None:
        return
    names = ", ".join(d.name for d in reference.departements.values())
    where = f"dans le département {grammar.de(commune.name)}" if commune else f"dans l'un des départements ({names})"
    collector.error(block.line_of("latitude"),
                    f"{what} : la position {latitude}, {longitude} n'est pas {where}. Vérifiez que la "
                    "latitude (vers 43 à 46) et la longitude (vers -2 à 1,5) ne sont pas inversées.")


def _services(block: LineDict, what: str, listed: list[Any], services: dict[str, Service],
              collector: Collector) -> tuple[Service, ...]:
    offered: list[Service] = []
    for index, ident in enumerate(listed):
        line = listed.line_of(index) if isinstance(listed, LineList) else block.line_of("services")
        if not isinstance(ident, str):
            collector.error(line, f"{what} : chaque service est un identifiant de data/services.yaml, "
                                  "par exemple « menage » (pas une liste ni un bloc).")
        elif not services:
            continue   # data/services.yaml itself is broken: reported there, not here
        elif any(s.id == ident for s in offered):
            collector.warn(line, f"{what} cite deux fois le service « {ident} ».")
        elif ident not in services:
            collector.error(line, f"{what} propose le service « {ident} », qui n'existe pas dans "
                                  f"data/services.yaml (services connus : {', '.join(services)}).")
        else:
            offered.append(services[ident])
    if not listed:
        collector.error(block.line_of("services"), f"{what} doit proposer au moins un service.")
    return tuple(offered)


def _zone(block: LineDict, what: str, zone: LineDict | None, reference: CommuneReference,
          collector: Collector) -> frozenset[str]:
    if zone is None:
        return frozenset()
    fields = check_fields(zone, f"la zone de {what}", {}, ZONE_FIELDS, collector)
    served: set[str] = set()

    def codes(key: str) -> Iterator[tuple[int, str]]:
        values = fields.get(key, [])
        seen: set[str] = set()
        for index, value in enumerate(values):
            line = values.line_of(index) if isinstance(values, LineList) else zone.line_of(key)
            if isinstance(value, int) and not isinstance(value, bool):
                collector.error(line, f"la zone de {what} : le code {value} doit être écrit entre "
                                      f"guillemets, par exemple \"{value:0>5}\".")
                continue
            if not isinstance(value, str) or not value.strip():
                collector.error(line, f"la zone de {what} : chaque élément de « {key} » est un code entre "
                                      "guillemets, par exemple \"33063\".")
                continue
            value = value.strip()
            if value in seen:
                collector.warn(line, f"la zone de {what} cite deux fois le code {value} dans « {key} ».")
            seen.add(value)
            yield line, value

    for line, siren in codes("epci"):
        epci = reference.epcis.get(siren)
        if epci is None:
            collector.error(line, f"la zone de {what} cite l'intercommunalité {siren}, qui n'existe "
                                  "pas dans le référentiel (code SIREN à 9 chiffres d'un EPCI de "
                                  "Dordogne, Gironde, Landes, Lot-et-Garonne ou Pyrénées-Atlantiques).")
        else:
            served.update(c for c in epci.communes if c in reference.communes)
    listed: list[tuple[int, str]] = []
    for line, insee in codes("communes"):
        if insee not in reference.communes:
            collector.error(line, f"{what} indique la commune {insee}, qui n'existe pas dans le "
                                  f"référentiel des communes{_postcode_hint(insee, reference)}")
        else:
            listed.append((line, insee))
        served.add(insee)
    for line, insee in codes("except"):
        if insee not in reference.communes:
            collector.error(line, f"{what} exclut la commune {insee}, qui n'existe pas dans le "
                                  f"référentiel des communes{_postcode_hint(insee, reference)}")
        elif insee not in served:
            collector.warn(line, f"{what} exclut la commune {insee} ({reference.communes[insee].name}), "
                                 "qui ne faisait pas partie de sa zone.")
        served.discard(insee)
    served &= reference.communes.keys()
    for line, insee in listed:
        _check_double_reading(line, what, insee, served, reference, collector)
    if not served and not collector.errors:
        collector.error(zone.line, f"la zone de {what} ne contient aucune commune ; indiquez au "
                                   "moins une intercommunalité (epci) ou une commune.")
    return frozenset(served)


def _check_double_reading(line: int, what: str, code: str, served: set[str], reference: CommuneReference,
                          collector: Collector) -> None:
    """Warn when a listed code reads two ways and the INSEE reading looks like the slip.

    Without commune outlines, « lying apart » means: the commune shares its intercommunality with
    no other commune of the zone (EPCI are contiguous by law), while a commune of the postcode
    reading does. A deliberate neighbour from another EPCI (24370 for the Bergeracois) stays quiet.
    """
    commune = reference.communes[code]
    rest = served - {code}
    rest_epcis = {reference.communes[c].epci for c in rest}
    if not rest or commune.epci in rest_epcis:
        return
    by_postcode = [c for c in reference.with_postal_code(code) if c.insee != code]
    if not any(c.epci in rest_epcis or c.insee in rest for c in by_postcode):
        return
    collector.warn(line, f"la zone de {what} : le code {code} est lu comme un code INSEE ({commune.name}, "
                         "qui n'appartient à aucune intercommunalité du reste de la zone), mais c'est "
                         f"aussi un code postal ; communes de ce code postal : {_named(by_postcode)}. Si "
                         f"vous pensiez à ces communes, remplacez {code} par leurs codes INSEE ; si "
                         f"{commune.name} est bien la commune voulue, laissez le code tel quel.")
