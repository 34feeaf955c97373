"""An association's contact sheet: the call, the visit or the e-mail it receives itself becomes a request.

Annexe 3 asks every association to note the origin of every new contact (« appels téléphoniques, rencontre
directe, demandes d'informations par mail »), and AXE 3 asks for « une gestion des prospects »: the sheet is
filled during the call, on a phone, with the fewest fields that make a useful record — how the person came, who
(a name, a phone number or an address), the commune (the one commune search, the liaison sheet's), the need, the
Annexe 3 origins, a follow-up date. The request it makes has channel « contact direct » and goes through the same
lifecycle as a web request (chalicelib.requests.lifecycle): held by the association from the start (nothing is
e-mailed), reminded on the morning of the follow-up date, marked handled with its outcome from its page — and
counted in the same figures.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from rules import origins
from rules.email_address import email_key
from rules.working_days import add_working_days

from ..web import signing
from ..backoffice.liaison import commune_label, find_communes
from ..intake.forms import FORMS, PHONE_FIELDS
from ..requests import lifecycle
from ..requests.enums import Channel, DirectChannel
from ..requests.model import Request
from ..service import FormService, new_reference
from ..intake.validation import FieldError, clean_email, clean_name, clean_phone, clean_text, read_day
from .declared import clean_declared

TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
FOLLOW_UP = "rappel_le"      # the follow-up date: the field the lifecycle reads (``agreed_callback``)
KIND = "rappel"              # counted with the callbacks: someone to call back
# What the sheet posts, besides the origins' boxes; kept when the sheet comes back with its errors.
FIELDS = ("canal", "nom", "telephone", "email", "commune", "insee", "besoin", origins.DETAIL_FIELD, FOLLOW_UP,
          "association", "jeton")


@dataclass
class Contact:
    """A checked sheet: the request's fields and the association that holds it."""

    association: str
    data: dict[str, Any]
    token: str


@dataclass
class SheetInvalid(Exception):
    """The sheet's problems, one French message per field; ``matches``: the communes the typed name fits."""

    errors: dict[str, str]
    matches: list[tuple[str, str]] = field(default_factory=list)


def last_follow_up(svc: FormService, today: datetime.date) -> datetime.date:
    """The latest follow-up date: before the request closes (``close_after_days``), so that its reminder and its
    outcome still reach it."""
    return today + datetime.timedelta(days=svc.policy.close_after_days - 2)


def default_follow_up(svc: FormService, today: datetime.date) -> datetime.date:
    """What the sheet proposes: the charter's delay (two working days) from today."""
    return add_working_days(datetime.datetime.combine(today, datetime.time(9)), svc.policy.charter_delay).date()


def _commune(svc: FormService, form: dict[str, list[str]], errors: dict[str, str],
             matches: list[tuple[str, str]]) -> str:
    """The commune's INSEE code: the one chosen among several (``insee``), or the only one that fits what was
    typed — by the liaison sheet's search (rules.commune_search)."""
    chosen = (form.get("insee") or [""])[-1]
    if chosen in svc.routing.communes:
        return chosen
    typed = (form.get("commune") or [""])[-1].strip()
    if not typed:
        errors["commune"] = "Indiquez la commune de la personne (son nom ou son code postal)."
        return ""
    found = find_communes(svc.routing, typed)
    if len(found) == 1:
        return found[0]
    if not found:
        errors["commune"] = f"Aucune commune de la région ne correspond à « {typed[:80]} » : vérifiez " \
                            "l'orthographe, ou indiquez le code postal."
    else:
        errors["commune"] = f"Plusieurs communes correspondent à « {typed[:80]} » : choisissez la bonne."
        matches.extend((code, commune_label(svc.routing, code)) for code in found)
    return ""


def clean_contact(svc: FormService, form: dict[str, list[str]], associations: tuple[str, ...],
                  today: datetime.date) -> Contact:
    """The sheet's fields checked with the site's rules (names, phone, e-mail, texts, the Annexe 3 list);
    SheetInvalid otherwise."""
    errors: dict[str, str] = {}
    matches: list[tuple[str, str]] = []
    data: dict[str, Any] = {}

    def one(name: str) -> str:
        return (form.get(name) or [""])[-1].strip()

    channel = one("canal") or DirectChannel.CALL.value
    if channel not in DirectChannel.labels():
        errors["canal"] = "Choisissez parmi « Appel », « Visite » et « E-mail »."
    association = one("association") or associations[0]
    if association not in associations:
        errors["association"] = "Choisissez une de vos associations."

    def check(name: str, clean: Any, required: str = "") -> None:
        value = one(name)
        if not value:
            if required:
                errors[name] = required
            return
        try:
            data[name] = clean(value)
        except FieldError as problem:
            errors[name] = str(problem)

    check("nom", lambda v: clean_name(v, FORMS[KIND]["nom"].max_len), "Indiquez le nom de la personne.")
    check("telephone", lambda v: clean_phone(v).e164)
    check("email", clean_email)
    if "telephone" not in data and "email" not in data and not {"telephone", "email"} & set(errors):
        errors["telephone"] = "Indiquez un numéro de téléphone ou une adresse e-mail pour recontacter la personne."
    commune = _commune(svc, form, errors, matches)
    check("besoin", lambda v: clean_text(v, PHONE_FIELDS["besoin"].max_len, multiline=True),
          "Notez en quelques mots ce que la personne demande.")
    clean_declared(form, data, errors)
    day_text = one(FOLLOW_UP)
    try:
        if not day_text:
            raise FieldError("Indiquez la date à laquelle recontacter la personne.")
        day = read_day(day_text)
        if not today <= day <= last_follow_up(svc, today):
            raise FieldError(f"La date de suivi se situe entre aujourd'hui et le "
                             f"{last_follow_up(svc, today).strftime('%d/%m/%Y')}.")
        data[FOLLOW_UP] = day.isoformat()
    except FieldError as problem:
        errors[FOLLOW_UP] = str(problem)
    token = one("jeton")
    if not TOKEN.fullmatch(token):
        errors["formulaire"] = "La fiche a expiré : rechargez la page puis recommencez."
    if errors:
        raise SheetInvalid(errors, matches)
    data.update({"association": association, "commune": commune, "canal": channel})
    return Contact(association, data, token)


def record_contact(svc: FormService, actor: str, contact: Contact) -> Request:
    """Store the contact as a request of channel « contact direct »; the same sheet posted twice (its token) is
    stored once."""
    now = svc.now()
    data = contact.data
    email = data.get("email")
    record, event = lifecycle.new_request(
        ref=new_reference(now), kind=KIND,
        idem_key=signing.keyed_hash(svc.settings.secret, "contact", contact.association, contact.token),
        association=contact.association, created_at=now, retention_days=svc.routing.retention_days, data=data,
        email=email_key(email) if isinstance(email, str) else None, phone=data.get("telephone"),
        policy=svc.policy, channel=Channel.DIRECT, by=actor)
    stored: Request = svc.store.put_new(record, event)[0]
    return stored
