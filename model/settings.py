"""Site-wide settings (``data/settings.yaml``): names, the regional phone line, AAI's contact."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rules.origins import ORIGINS, Origin

from .contact import EMAIL_FIX, PHONE_FIX, Phone, normalize_email, parse_phone
from .errors import Collector, DataError
from .source import LineDict, LineList, check_fields, read_yaml

# The fields of each block, read by check_fields and by the JSON Schema (model/schema.py).
TOP = {"site": dict, "regional_phone": str, "regional_phone_hours": str, "network": dict,
       "retention_days": int, "tiles": dict, "mail_sender": str, "follow_through": dict}
SITE = {"name": str, "short_name": str, "tagline": str, "url": str}
NETWORK = {"name": str, "address": str, "postal_code": str, "commune": str, "phone": str,
           "email": str, "contact": str, "forms_email": str}
TILES = {"url": str, "attribution": str}
FOLLOW_THROUGH = {"reminder_after": int, "charter_delay": int, "household_question_after": int,
                  "close_after_days": int, "cell_callback_after": int, "message_cap": int}
OPTIONAL = {"operators": list, "results_min_answers": int}
OPERATOR = {"name": str, "email": str}
RETENTION_DAYS = (1, 3 * 365)
# The charter's results are published only over enough answers that a share means something and names no one.
RESULTS_MIN_ANSWERS = 10
RESULTS_MIN_ANSWERS_RANGE = (5, 1000)


@dataclass(frozen=True, slots=True)
class Network:
    """AAI, the regional network: publisher of the site and fallback for uncovered communes."""

    name: str
    address: str
    postal_code: str
    commune: str
    phone: Phone
    email: str
    contact: str
    forms_email: str


# One answer to « Comment nous avez-vous connus ? » (Annexe 3): the list is a rule, written once in rules/origins.py
# (no longer in data/settings.yaml: the monthly figures compare months and associations on the same rows).
ReferralSource = Origin


@dataclass(frozen=True, slots=True)
class FollowThrough:
    """The quality charter's clock (AXE 5), in French working days: when a request left without « traitée »
    gets a reminder, when it goes to AAI's cell, when the household is asked « Avez-vous été recontacté ? »,
    and when it is closed (calendar days)."""

    reminder_after: int
    charter_delay: int              # « réponse sous 48 heures »: 2
    household_question_after: int
    close_after_days: int
    cell_callback_after: int        # the cell's own callbacks (communes no AI serves): never escalated to itself
    message_cap: int                # messages to the AI and the household one request may cause (a runaway's stop)


@dataclass(frozen=True, slots=True)
class Operator:
    """A member of AAI's phone cell who may sign in to the back office (/espace/) with an e-mailed link: the
    queue of what needs a call, the liaison sheet, the region's requests and figures."""

    name: str
    email: str


@dataclass(frozen=True, slots=True)
class Settings:
    site_name: str
    short_name: str
    tagline: str
    site_url: str
    regional_phone: Phone
    regional_phone_hours: str
    network: Network
    retention_days: int
    tiles_url: str
    tiles_attribution: str
    mail_sender: str   # the From of every e-mail the functions send (an identity verified in SES)
    follow_through: FollowThrough
    referral_sources: tuple[ReferralSource, ...] = ORIGINS
    operators: tuple[Operator, ...] = ()
    # The fewest answers behind a published figure of the charter (plugins/charter_results): under it, no figure.
    results_min_answers: int = RESULTS_MIN_ANSWERS


def load_settings(path: Path, collector: Collector) -> Settings | None:
    data = read_yaml(path, collector)
    if data is None:
        return None
    if not isinstance(data, LineDict):
        collector.error(1, "le fichier doit être un bloc de champs (site, regional_phone, network…).")
        return None
    top = check_fields(data, "les réglages", TOP, OPTIONAL, collector)
    site = check_fields(top["site"], "le bloc « site »", SITE, {}, collector) if "site" in top else {}
    network = check_fields(top["network"], "le bloc « network »", NETWORK, {},
                           collector) if "network" in top else {}
    # The tiles are an optional background: without « url » the map draws the communes alone.
    tiles = check_fields(top["tiles"], "le bloc « tiles »", {}, TILES, collector) if "tiles" in top else {}
    if tiles.get("url") and not tiles.get("attribution"):
        collector.error(top["tiles"].line_of("url"), "le fond de carte « tiles » a une adresse mais pas "
                                                     "d'« attribution » : indiquez la mention exigée par le "
                                                     "serveur de tuiles, ou videz « url » pour s'en passer.")
    follow_through = _follow_through(top["follow_through"], collector) if "follow_through" in top else None

    phones: dict[str, Phone | None] = {}
    for key, block, value in (("regional_phone", data, top.get("regional_phone")),
                              ("phone", top.get("network", data), network.get("phone"))):
        if value is not None:
            phones[key] = parse_phone(value)
            if phones[key] is None:
                collector.error(block.line_of(key), f"le numéro « {value} » n'est pas valide : {PHONE_FIX}.")
    for key in ("email", "forms_email"):
        if key in network and normalize_email(network[key]) is None:
            collector.error(top["network"].line_of(key),
                            f"l'adresse « {network[key]} » n'est pas valide : {EMAIL_FIX}.")
    mail_sender = normalize_email(top["mail_sender"]) if "mail_sender" in top else None
    if "mail_sender" in top and mail_sender is None:
        collector.error(data.line_of("mail_sender"), f"l'adresse « {top['mail_sender']} » n'est pas valide : "
                                                     f"{EMAIL_FIX}.")

    operators = _operators(top.get("operators", LineList()), collector)

    if "retention_days" in top and not RETENTION_DAYS[0] <= top["retention_days"] <= RETENTION_DAYS[1]:
        collector.error(data.line_of("retention_days"), "la durée de conservation « retention_days » est un "
                                                        "nombre de jours entre 1 et 1095 (365 = un an).")
    low, high = RESULTS_MIN_ANSWERS_RANGE
    if "results_min_answers" in top and not low <= top["results_min_answers"] <= high:
        collector.error(data.line_of("results_min_answers"),
                        "le nombre de réponses « results_min_answers » au-dessous duquel aucun résultat de la "
                        f"charte n'est publié est entre {low} et {high} ({RESULTS_MIN_ANSWERS} par défaut).")
    if "url" in site and not site["url"].startswith("https://"):
        collector.error(top["site"].line_of("url"), f"l'adresse du site « {site['url']} » doit commencer "
                                                    "par https://.")
    regional_phone, phone = phones.get("regional_phone"), phones.get("phone")
    if collector.errors or not (site and network and "tiles" in top and follow_through and regional_phone and phone
                                and mail_sender):
        return None
    return Settings(
        site_name=site["name"], short_name=site["short_name"], tagline=site["tagline"],
        site_url=site["url"].rstrip("/"),
        regional_phone=regional_phone,
        regional_phone_hours=top["regional_phone_hours"],
        network=Network(
            name=network["name"], address=network["address"], postal_code=network["postal_code"],
            commune=network["commune"], phone=phone,
            email=network["email"], contact=network["contact"], forms_email=network["forms_email"]),
        retention_days=top["retention_days"],
        tiles_url=tiles.get("url", ""), tiles_attribution=tiles.get("attribution", ""),
        mail_sender=mail_sender,
        follow_through=follow_through,
        operators=operators,
        results_min_answers=top.get("results_min_answers", RESULTS_MIN_ANSWERS),
    )


def _operators(blocks: LineList, collector: Collector) -> tuple[Operator, ...]:
    """The cell's allow-list: a name and a valid address each, every address once."""
    found: list[Operator] = []
    for index, block in enumerate(blocks):
        if not isinstance(block, LineDict):
            collector.error(blocks.line_of(index), "chaque membre de la cellule (« operators ») est un bloc "
                                                   "« name » et « email », par exemple :\n"
                                                   "  - name: Claire Duboscq\n    email: claire@exemple.org")
            continue
        fields = check_fields(block, "un membre de la cellule (« operators »)", OPERATOR, {}, collector)
        if "email" not in fields:
            continue
        email = normalize_email(fields["email"])
        if email is None:
            collector.error(block.line_of("email"), f"l'adresse « {fields['email']} » d'un membre de la cellule "
                                                    f"n'est pas valide : {EMAIL_FIX}.")
        elif any(o.email.lower() == email.lower() for o in found):
            collector.error(block.line_of("email"), f"l'adresse « {email} » figure deux fois dans « operators » ; "
                                                    "gardez une seule entrée par personne.")
        elif "name" in fields:
            found.append(Operator(fields["name"], email))
    return tuple(found)


def _follow_through(block: LineDict, collector: Collector) -> FollowThrough | None:
    """The charter's delays, in an order that makes sense: a reminder before the deadline, the household asked
    after it, the request closed well after."""
    what = "le bloc « follow_through »"
    fields = check_fields(block, what, FOLLOW_THROUGH, {}, collector)
    if len(fields) < len(FOLLOW_THROUGH):
        return None
    values = FollowThrough(**fields)
    checks = (
        ("reminder_after", 1 <= values.reminder_after < values.charter_delay,
         "la relance « reminder_after » vient au moins un jour ouvré après la demande et avant le délai de la "
         "charte « charter_delay »"),
        ("charter_delay", 1 <= values.charter_delay <= 10,
         "le délai de la charte « charter_delay » est un nombre de jours ouvrés entre 1 et 10 (2 = 48 heures)"),
        ("household_question_after", values.charter_delay <= values.household_question_after <= 20,
         "la question à la personne « household_question_after » vient après le délai de la charte, "
         "et au plus 20 jours ouvrés après la demande"),
        ("close_after_days", 7 <= values.close_after_days <= 365
         and values.close_after_days * 5 // 7 > values.household_question_after,
         "la clôture « close_after_days » est un nombre de jours entre 7 et 365, après la question à la personne"),
        ("cell_callback_after", 1 <= values.cell_callback_after <= 10,
         "le délai de rappel de la cellule « cell_callback_after » est un nombre de jours ouvrés entre 1 et 10"),
        ("message_cap", 10 <= values.message_cap <= 100,
         "le plafond « message_cap » est un nombre de messages par demande entre 10 et 100"),
    )
    problems = [(key, message) for key, fine, message in checks if not fine]
    for key, message in problems:
        collector.error(block.line_of(key), message + ".")
    return None if problems else values


def public_url(settings: Settings, environ: Mapping[str, str] = os.environ) -> str:
    """The site's public address for this build: ``AAI_SITEURL`` (a staging or preview build) wins over the
    production address of data/settings.yaml, so no absolute URL of a staging build points at production."""
    return (environ.get("AAI_SITEURL") or settings.site_url).rstrip("/")


def load_settings_file(root: Path) -> Settings:
    """Only data/settings.yaml, for the Pelican settings files, which run before the data model is loaded."""
    collector = Collector("data/settings.yaml")
    settings = load_settings(Path(root) / "data" / "settings.yaml", collector)
    if settings is None:
        raise DataError(collector.errors)
    return settings
