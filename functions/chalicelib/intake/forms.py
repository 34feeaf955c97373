"""The forms (demande d'intervention, demande de rappel, demande professionnelle): field names, rules and French
labels.

The field names are the contract with the form pages of the site.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, TypedDict

from rules import origins, siret, vocabulary
from rules.dates import french_date
from rules.phone import display_phone
from rules.sources import PARAMETER

from ..requests.enums import DirectChannel
from ..routing import Contact, Routing
from .validation import FieldError, clean_date, clean_email, clean_name, clean_number, clean_phone, clean_text

TITLES = vocabulary.KINDS   # each form's title: the messages and the pages read it from here
PROFESSIONAL = vocabulary.PROFESSIONAL

DAYS = vocabulary.labels(vocabulary.DAYS)
SLOTS = vocabulary.labels(vocabulary.SLOTS)
FREQUENCIES = vocabulary.labels(vocabulary.FREQUENCIES)
CONTACT_MODES = vocabulary.labels(vocabulary.CONTACT_MODES)
AVAILABILITY = vocabulary.labels(vocabulary.AVAILABILITY)
DIRECT_CHANNELS = DirectChannel.labels()

HONEYPOT = "website"   # hidden and always sent empty by the pages: missing or filled, it is a robot
FOLLOW_UP = "suivi"    # « oui »: the visitor accepts « Avez-vous été recontacté ? » three working days later
SOURCE = PARAMETER       # « source »: never an error, kept only when the list knows it
FORM_KEY = "formulaire"   # errors that concern the whole form rather than one field


@dataclass(frozen=True)
class Field:
    label: str
    kind: str = "text"        # text, name, multiline, phone, email, choice, multi, date, hours, raw, source, siret
    max_len: int = 100
    choices: tuple[str, ...] = ()
    required: str = ""        # the message when a required field is missing


COMMON = {
    "association": Field("Association", "raw", 40, required="Choisissez l'association à qui adresser votre demande."),
    "nom": Field("Nom", "name", 100, required="Indiquez votre nom et votre prénom."),
    "telephone": Field("Téléphone", "phone", 30),
    "email": Field("E-mail", "email", 254),
    "commune": Field("Commune", "raw", 5),
    # Annexe 3 (rules/origins.py): several answers allowed, and a « précisez » for those that ask it.
    origins.FIELD: Field("Comment nous avez-vous connus ?", "multi", 60, tuple(origins.BY_ID)),
    origins.DETAIL_FIELD: Field("Origine, précisée", "text", origins.DETAIL_MAX),
    # The measured origin (rules/sources.py): the slug of the link the visitor came by (a kit's QR code, a
    # town-hall card…), copied into a hidden field; validated against the list, an unknown one is dropped.
    SOURCE: Field("Provenance mesurée (lien suivi)", "source", 60),
    "consentement": Field("Consentement", "raw", 3),
    FOLLOW_UP: Field("Question de suivi", "raw", 3),
    "idempotence": Field("Jeton d'envoi", "raw", 100),
    HONEYPOT: Field("Site web", "raw", 200),
}

FORMS: dict[str, dict[str, Field]] = {
    "demande": {
        **COMMON,
        "adresse": Field("Adresse de l'intervention", "text", 200,
                         required="Indiquez l'adresse où aura lieu l'intervention."),
        "services": Field("Services souhaités", "multi", 40, required="Choisissez au moins un service."),
        "description": Field("Description du travail", "multiline", 3000),
        "date_debut": Field("Date de début souhaitée", "date", 10),
        "frequence": Field("Fréquence", "choice", 20, tuple(FREQUENCIES)),
        "heures": Field("Nombre d'heures estimé", "hours", 10),
        "jours": Field("Jours préférés", "multi", 10, tuple(DAYS)),
        "creneaux": Field("Créneaux préférés", "multi", 12, tuple(SLOTS)),
    },
    "rappel": {
        **COMMON,
        "mode_contact": Field("Mode de contact préféré", "choice", 10, tuple(CONTACT_MODES),
                              required="Choisissez comment vous préférez être contacté."),
        "disponibilites": Field("Disponibilités", "multi", 20, tuple(AVAILABILITY)),
        "message": Field("Message", "multiline", 1000),
    },
    # A business, an association or a local authority (issue 25, item 7): the organisation, its SIRET if it gives
    # one (rules/siret.py), its recurring need; routed to the association of its commune like an order.
    PROFESSIONAL: {
        **COMMON,
        # Posted by an association's page; without it (a regional link), the association of the commune.
        "association": Field("Association", "raw", 40),
        "organisation": Field("Organisation", "text", 150,
                              required="Indiquez le nom de votre entreprise, association ou collectivité."),
        "siret": Field("Numéro SIRET", "siret", 20),
        "frequence": Field("Fréquence", "choice", 20, tuple(FREQUENCIES),
                           required="Indiquez à quel rythme vous avez besoin d'une intervention."),
        "besoin": Field("Besoin", "multiline", 3000, required="Décrivez votre besoin en quelques mots."),
    },
}

# What AAI's phone cell adds on a liaison sheet (chalicelib/backoffice/liaison.py): never accepted from the site's
# forms, shown in the association's e-mail after the form's own fields.
PHONE_FIELDS: dict[str, Field] = {
    "services": Field("Services souhaités", "multi", 40),
    "besoin": Field("Besoin exprimé", "multiline", 1000),
    "rappel_le": Field("Rappel convenu le", "date", 10),
    "rappel_creneau": Field("Créneau convenu", "choice", 12, tuple(SLOTS)),
    "operateur": Field("Fiche remplie par", "name", 100),
    # an association's own contact (chalicelib/contacts): a call, a visit, an e-mail
    "canal": Field("Contact direct", "choice", 10, tuple(DIRECT_CHANNELS)),
}

CHOICE_LABELS: dict[str, dict[str, str]] = {
    "canal": DIRECT_CHANNELS, "rappel_creneau": SLOTS, "frequence": FREQUENCIES, "jours": DAYS,
    "creneaux": SLOTS, "mode_contact": CONTACT_MODES, "disponibilites": AVAILABILITY}


class Alternative(TypedDict):
    """Whom to write to or call instead, when the chosen AI does not serve the commune (the form shows them)."""
    id: str
    name: str
    phone: str   # as displayed; "" without one
    url: str     # the AI's page; "" for the regional network (a callback request instead)


class Invalid(Exception):
    """The submission has problems; ``errors`` maps field names to French messages."""

    def __init__(self, errors: dict[str, str], alternatives: list[Alternative] | None = None) -> None:
        super().__init__(errors)
        self.errors = errors
        self.alternatives = alternatives or []


def validate(kind: str, raw: dict[str, list[str]], routing: Routing, today: datetime.date) -> dict[str, Any]:
    """Return the cleaned submission, or raise Invalid with one French message per field."""
    schema = FORMS[kind]
    errors: dict[str, str] = {}
    data: dict[str, Any] = {}
    if any(name not in schema for name in raw):
        errors[FORM_KEY] = "Le formulaire contient un champ inattendu. Rechargez la page puis renvoyez-le."
    for name, field in schema.items():
        values = [v for v in raw.get(name, []) if v.strip()]
        if field.kind == "source":   # measured, not typed: an unknown or repeated value is ignored, never refused
            source = routing.sources.clean(values[0]) if len(values) == 1 else None
            if source is not None:
                data[name] = source
            continue
        value: str | int | float | list[str] | None
        try:
            if field.kind == "multi":
                value = _clean_multi(field, values)
            elif len(values) > 1:
                raise FieldError("Ce champ a été envoyé plusieurs fois : une seule valeur est attendue.")
            elif not values:
                value = None
            else:
                value = _clean_one(field, values[0], today)
            if value in (None, []) and field.required:
                raise FieldError(field.required)
        except FieldError as problem:
            errors[name] = str(problem)
            continue
        if value not in (None, []):
            data[name] = value
    alternatives = _check_rules(kind, data, errors, routing)
    if errors:
        raise Invalid(errors, alternatives)
    data.pop(HONEYPOT, None)
    return data


def _clean_one(field: Field, value: str, today: datetime.date) -> str | int | float:
    if field.kind == "text":
        return clean_text(value, field.max_len)
    if field.kind == "name":
        return clean_name(value, field.max_len)
    if field.kind == "multiline":
        return clean_text(value, field.max_len, multiline=True)
    if len(value) > field.max_len * 4:
        raise FieldError("Ce champ est trop long.")
    if field.kind == "phone":
        return clean_phone(clean_text(value, field.max_len)).e164
    if field.kind == "email":
        return clean_email(clean_text(value, field.max_len))
    if field.kind == "date":
        return clean_date(value.strip(), today).isoformat()
    if field.kind == "siret":
        try:
            return siret.clean(value)
        except ValueError as problem:
            raise FieldError(str(problem)) from None
    if field.kind == "hours":
        return clean_number(value, 1, 200)
    if field.kind == "choice" and value not in field.choices:
        raise FieldError("Choisissez une des réponses proposées.")
    value = value.strip()
    if len(value) > field.max_len:
        raise FieldError("Ce champ est trop long.")
    return value


def _clean_multi(field: Field, values: list[str]) -> list[str]:
    if len(values) > 40:
        raise FieldError("Trop de choix ont été envoyés.")
    if field.choices and any(v not in field.choices for v in values):
        raise FieldError("Choisissez parmi les réponses proposées.")
    if any(len(v) > field.max_len for v in values):
        raise FieldError("Choisissez parmi les réponses proposées.")
    return list(dict.fromkeys(values))


def _check_rules(kind: str, data: dict[str, Any], errors: dict[str, str], routing: Routing) -> list[Alternative]:
    """Rules across fields: who receives it, the zone, the services, how to answer."""
    alternatives: list[Alternative] = []
    if kind == PROFESSIONAL and not data.get("association") and data.get("commune") in routing.communes:
        data["association"] = routing.commune_recipient(data["commune"]).id
    ai_id = data.get("association")
    recipient = routing.recipient(ai_id) if ai_id else None
    if ai_id and (recipient is None or (ai_id == routing.network.id and kind not in ("rappel", PROFESSIONAL))):
        errors["association"] = "Cette association ne figure pas dans notre annuaire. Choisissez-la depuis sa page."
        recipient = None

    commune = data.get("commune")
    if commune is not None and "commune" not in errors:
        if not re.fullmatch(r"\d[0-9AB]\d{3}", commune) or commune not in routing.communes:
            errors["commune"] = "Choisissez votre commune dans la liste (Dordogne, Gironde, Landes, " \
                                "Lot-et-Garonne ou Pyrénées-Atlantiques)."
        elif recipient is not None and ai_id != routing.network.id:
            alternatives = _zone_problem(commune, recipient, errors, routing)
    elif kind in ("demande", PROFESSIONAL) and "commune" not in errors:
        errors["commune"] = "Indiquez la commune où aura lieu l'intervention."

    if recipient is not None and "services" in data:
        offered = set(recipient.services)
        unknown = [s for s in data["services"] if s not in offered]
        if unknown:
            names = ", ".join(f"« {routing.services[s]} »" for s in unknown if s in routing.services)
            errors["services"] = f"{recipient.name} ne propose pas : {names}." if names else \
                "Choisissez parmi les services proposés par l'association."
    if "consentement" not in errors and data.get("consentement") != "oui":
        errors["consentement"] = "Cochez la case pour accepter que vos coordonnées servent à traiter votre demande."
    if FOLLOW_UP in data and data[FOLLOW_UP] != "oui":
        errors[FOLLOW_UP] = "Cochez la case pour recevoir la question de suivi, ou laissez-la vide."
    if "idempotence" in data and not re.fullmatch(r"[A-Za-z0-9_.:-]{8,100}", data["idempotence"]):
        errors["idempotence"] = "Jeton d'envoi invalide : rechargez la page puis renvoyez le formulaire."

    has_phone, has_email = "telephone" in data, "email" in data
    if not has_phone and not has_email and "telephone" not in errors and "email" not in errors:
        message = "Indiquez un numéro de téléphone ou une adresse e-mail pour que l'association puisse vous répondre."
        errors["telephone"] = errors["email"] = message
    mode = data.get("mode_contact")
    if mode == "email" and not has_email and "email" not in errors:
        errors["email"] = "Vous souhaitez être contacté par e-mail : indiquez votre adresse e-mail."
    if mode in ("telephone", "sms") and not has_phone and "telephone" not in errors:
        errors["telephone"] = "Vous souhaitez être contacté par téléphone ou SMS : indiquez votre numéro."
    if mode == "sms" and has_phone and not clean_phone(data["telephone"]).mobile:
        errors["telephone"] = "Pour recevoir un SMS, indiquez un numéro de portable."
    return alternatives


def _zone_problem(commune: str, recipient: Contact, errors: dict[str, str], routing: Routing) -> list[Alternative]:
    serving = routing.serving(commune)
    if recipient.id in {a.id for a in serving}:
        return []
    name = routing.commune_name(commune)
    if serving:
        names = ", ".join(a.name for a in serving)
        errors["commune"] = f"{name} n'est pas desservie par {recipient.name}. " \
                            f"Pour cette commune, adressez-vous à : {names}."
        return [{"id": a.id, "name": a.name, "phone": a.phone.display if a.phone else "", "url": a.url}
                for a in serving]
    net = routing.network
    errors["commune"] = f"Aucune association intermédiaire ne dessert encore {name}. Appelez le réseau " \
                        f"{net.name} au {routing.cell_phone} ou demandez à être rappelé par le réseau."
    return [{"id": net.id, "name": net.name, "phone": routing.cell_phone.display, "url": ""}]


# typed by people, not chosen from a list
FREE_TEXT = ("adresse", "description", "message", "besoin", "organisation", "siret")


def describe(kind: str, data: Mapping[str, Any], routing: Routing) -> list[tuple[str, str]]:
    """The submission as (French label, readable value) pairs, in form order, for e-mails."""
    return described(kind, data, routing)[1]


def described(kind: str, data: Mapping[str, Any], routing: Routing,
              leave_out: Collection[str] = ()) -> tuple[list[str], list[tuple[str, str]]]:
    """Field names and their (label, value) rows, in form order; the fields ``leave_out`` names are not
    formatted at all (the acknowledgement never shows what the visitor typed)."""
    names: list[str] = []
    rows: list[tuple[str, str]] = []
    extra = {k: f for k, f in PHONE_FIELDS.items() if k not in FORMS[kind]}
    for name, field in {**FORMS[kind], **extra}.items():
        if name in ("association", "consentement", "idempotence", FOLLOW_UP, HONEYPOT) or name not in data \
                or name in leave_out:
            continue
        value = data[name]
        if name == "services":
            text = ", ".join(routing.services.get(s, s) for s in value)
        elif name == origins.FIELD:
            text = ", ".join(routing.referral_sources.get(v, v) for v in origins.declared(data))
        elif name == SOURCE:
            text = routing.sources.label(value)
        elif name == "commune":
            commune = routing.communes.get(value, {})
            text = f"{commune.get('name', value)} ({', '.join(commune.get('postal_codes', [])) or value})"
        elif name in ("date_debut", "rappel_le"):
            text = french_date(datetime.date.fromisoformat(value), weekday=True)
        elif name == "telephone":
            text = display_phone(value)
        elif name == "siret":
            text = siret.display(value)
        elif name == "heures":
            text = f"{value} h".replace(".", ",")
        elif name in CHOICE_LABELS:
            labels = CHOICE_LABELS[name]
            text = ", ".join(_label(labels, v) for v in value) if isinstance(value, list) else _label(labels, value)
        else:
            text = str(value)
        names.append(name)
        rows.append((field.label, text))
    return names, rows


def _label(labels: dict[str, str], value: str) -> str:
    """A chosen value's French label; a value the list no longer has, as it was stored."""
    return labels.get(value, value)
