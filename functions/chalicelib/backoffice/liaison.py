"""The cell's liaison sheet (AXE 9): a phone call to AAI's regional line becomes a request like the site's.

The operator finds the caller's commune (by name, postal code or INSEE code); the associations that serve it
are pre-selected by the same routing as the site's forms (none: the network itself, which calls back). Then the
caller's details, the need, and the callback date agreed with the caller. Each chosen association gets its own
request — kind « rappel », channel ``telephone`` (« Cellule téléphonique »), recorded by the operator — stored
first, then e-mailed exactly like a request of the site (same e-mail, same acknowledgement if the caller gave an
address, same reminders, moved to the agreed day), and counted as a phone request in the monthly figures.

Works without JavaScript: looking the commune up is a GET form, the sheet a POST form.
"""

from __future__ import annotations

import datetime
import logging
import re
import secrets
from typing import TYPE_CHECKING, Any, Callable

from rules import commune_search, vocabulary
from rules.dates import local_time
from rules.email_address import email_key
from rules.working_days import add_working_days

from ..contacts import declared
from ..web import signing
from ..requests import lifecycle
from ..intake.forms import FORMS, PHONE_FIELDS
from ..service import new_reference
from ..intake.validation import FieldError, clean_email, clean_name, clean_phone, clean_text, read_day
from . import audit, layout
from .web import Reply, Visit, base_path, page

if TYPE_CHECKING:
    from ..requests.model import Request
    from ..routing import Routing
    from ..service import FormService
    from .auth import Session, Who

if TYPE_CHECKING:   # the one service, for its type only (it imports this module)
    from ..service import FormService

logger = logging.getLogger(__name__)

MAX_MATCHES = 30
AHEAD_DAYS = 60              # the callback date: from today to two months ahead
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
INSEE = re.compile(r"\d[0-9AB]\d{3}")
SLOTS = vocabulary.SLOTS
CONTACT_MODES = vocabulary.CONTACT_MODES


def find_communes(routing: Routing, typed: str) -> list[str]:
    """INSEE codes matching what the operator typed, ranked by the site's one rule (rules.commune_search): a
    postal code is a postal code (« 33330 » is Saint-Émilion first, not Pompignac whose INSEE code it is); a
    name, an exact name first. An INSEE code, which the operator may read on a document, comes after the
    communes of the same postal code."""
    typed = (typed or "").strip()[:80]
    if not typed:
        return []
    found = commune_search.search(typed, routing.candidates)
    code = typed.upper()
    if INSEE.fullmatch(code) and code in routing.communes and code not in found:
        found.append(code)
    return found[:MAX_MATCHES]


def commune_label(routing: Routing, code: str) -> str:
    commune = routing.communes.get(code, {})
    postal = ", ".join(commune.get("postal_codes", []))
    return f"{commune.get('name', code)} ({postal or code})"


def default_callback(svc: FormService) -> datetime.date:
    """The day the charter's delay ends: what the operator proposes to the caller unless they choose later."""
    return add_working_days(local_time(svc.now()), svc.policy.charter_delay).date()


def _form(svc: FormService, session: Session, status: int = 200, *, typed: str = "", matches: list[str] | None = None,
          commune: str = "", values: dict[str, Any] | None = None, errors: dict[str, str] | None = None) -> Reply:
    routing = svc.routing
    serving, others = layout.associations_near(svc, commune) if commune else ([], [])
    offers = {a.id: ", ".join(routing.services.get(s, s) for s in a.services) for a in routing.associations.values()}
    recipients = [(ai_id, name, offers[ai_id], distance) for ai_id, name, distance in serving] or \
        ([(routing.network.id, f"{routing.network.name} — la cellule rappelle elle-même", "", "")] if commune else [])
    values = values or {}
    # One association pre-selected, the nearest: two would both call the same person.
    chosen = values.get("associations") if values.get("associations") is not None else [r[0] for r in recipients[:1]]
    return layout.render(
        svc, session, "liaison.html", status, current="fiche", title="Fiche de liaison", typed=typed,
        matches=[(code, commune_label(routing, code)) for code in (matches or [])], commune=commune,
        commune_name=commune_label(routing, commune) if commune else "", recipients=recipients, others=others,
        chosen=chosen, uncovered=bool(commune) and not serving, values=values, errors=errors or {},
        services=sorted(routing.services.items(), key=lambda item: item[1]), slots=SLOTS, modes=CONTACT_MODES,
        origins=declared.choices(), token=values.get("jeton") or secrets.token_urlsafe(18),
        default_day=default_callback(svc).isoformat(), today=layout.today(svc).isoformat(),
        last_day=(layout.today(svc) + datetime.timedelta(days=AHEAD_DAYS)).isoformat(),
        search=f"{base_path(svc)}/espace/fiche")


@page(roles=("cell",))
def sheet(svc: FormService, visit: Visit, session: Session) -> Reply:
    """GET: find the commune (``?commune=``: a name, a postal code or a code; ``?insee=``: the one chosen), then
    the sheet itself."""
    chosen = visit.arg("insee")
    if chosen in svc.routing.communes:
        return _form(svc, session, typed=chosen, commune=chosen)
    typed = visit.arg("commune").strip()
    if not typed:
        return _form(svc, session)
    matches = find_communes(svc.routing, typed)
    if len(matches) == 1:
        return _form(svc, session, typed=typed, commune=matches[0])
    if not matches:
        return _form(svc, session, 404, typed=typed, errors={
            "commune": f"Aucune commune de la région ne correspond à « {typed} » : vérifiez l'orthographe, ou "
                       "indiquez le code postal."})
    return _form(svc, session, typed=typed, matches=matches)


class SheetInvalid(ValueError):
    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


def clean_sheet(svc: FormService, visit: Visit) -> dict[str, Any]:
    """The sheet's fields, checked with the site's rules (names, phone, e-mail, texts); SheetInvalid otherwise."""
    routing = svc.routing
    errors: dict[str, str] = {}
    data: dict[str, Any] = {}
    commune = visit.field("commune")
    if commune not in routing.communes:
        errors["commune"] = "Choisissez d'abord la commune de la personne."
    chosen = list(dict.fromkeys(v for v in visit.form.get("associations", []) if v))
    other = visit.field("autre")
    if other:
        chosen.append(other)
    if not chosen:
        errors["associations"] = "Choisissez au moins une association (ou la cellule) pour rappeler la personne."
    elif any(routing.recipient(ai_id) is None for ai_id in chosen):
        errors["associations"] = "Choisissez parmi les associations de la liste."

    def check(name: str, clean: Callable[[str], str], required: str = "") -> None:
        value = visit.field(name).strip()
        if not value:
            if required:
                errors[name] = required
            return
        try:
            data[name] = clean(value)
        except FieldError as problem:
            errors[name] = str(problem)

    check("nom", lambda v: clean_name(v, FORMS["rappel"]["nom"].max_len), "Indiquez le nom de la personne.")
    check("telephone", lambda v: clean_phone(v).e164, "Indiquez le numéro où rappeler la personne.")
    check("email", clean_email)
    check("besoin", lambda v: clean_text(v, PHONE_FIELDS["besoin"].max_len, multiline=True),
          "Décrivez en une ou deux phrases ce que la personne demande.")
    mode = visit.field("mode_contact") or "telephone"
    if mode not in dict(CONTACT_MODES):
        errors["mode_contact"] = "Choisissez un mode de contact de la liste."
    elif mode == "email" and "email" not in data and "email" not in errors:
        errors["email"] = "La personne préfère un e-mail : indiquez son adresse."
    elif mode == "sms" and "telephone" in data and not clean_phone(data["telephone"]).mobile:
        errors["telephone"] = "Pour un SMS, indiquez un numéro de portable."
    services = [s for s in visit.form.get("services", []) if s]
    if any(s not in routing.services for s in services):
        errors["services"] = "Choisissez parmi les services de la liste."
    day_text = visit.field("rappel_le").strip()
    try:
        day = _callback_day(day_text, layout.today(svc))
    except FieldError as problem:
        errors["rappel_le"] = str(problem)
        day = None
    slot = visit.field("rappel_creneau")
    if slot and slot not in dict(SLOTS):
        errors["rappel_creneau"] = "Choisissez un créneau de la liste."
    declared.clean_declared(visit.form, data, errors)   # Annexe 3: the site's list, several answers
    if visit.field("consentement") != "oui":
        errors["consentement"] = "Cochez la case une fois la personne informée de l'usage de ses coordonnées."
    token = visit.field("jeton")
    if not TOKEN.fullmatch(token):
        errors["formulaire"] = "La fiche a expiré : rechargez la page puis recommencez."
    if errors or day is None:   # (no day: its error is said)
        raise SheetInvalid(errors)
    data.update({"association": chosen[0], "commune": commune, "mode_contact": mode, "consentement": "oui",
                 "rappel_le": day.isoformat()})
    if services:
        data["services"] = list(dict.fromkeys(services))
    if slot:
        data["rappel_creneau"] = slot
    return {"data": data, "recipients": chosen, "token": token}


def _callback_day(value: str, today: datetime.date) -> datetime.date:
    if not value:
        raise FieldError("Indiquez la date de rappel convenue avec la personne.")
    day = read_day(value)
    if not today <= day <= today + datetime.timedelta(days=AHEAD_DAYS):
        raise FieldError(f"La date de rappel se situe entre aujourd'hui et {AHEAD_DAYS} jours plus tard.")
    return day


def record_sheet(svc: FormService, who: Who, sheet: dict[str, Any]) -> list[Request]:
    """One request per chosen association, recorded by the operator and delivered like the site's; a double
    submission (the same sheet's token) records nothing twice. Returns the stored records."""
    stored: list[Request] = []
    now = svc.now()
    for ai_id in sheet["recipients"]:
        data = {**sheet["data"], "association": ai_id, "operateur": who.name}
        email = data.get("email")
        new, event = lifecycle.new_request(
            ref=new_reference(now), kind="rappel",
            idem_key=signing.keyed_hash(svc.settings.secret, "liaison", ai_id, sheet["token"]),
            association=ai_id, created_at=now, retention_days=svc.routing.retention_days, data=data,
            email=email_key(email) if email else None, phone=data["telephone"], policy=svc.policy,
            channel="telephone", by=who.actor())
        record, created = svc.store.put_new(new, event)
        if created:
            svc.deliver_or_defer(record, "liaison sheet")
            record = svc.store.get(record["ref"]) or record
        stored.append(record)
    return stored


@page(roles=("cell",))
def save(svc: FormService, visit: Visit, session: Session) -> Reply:
    """POST: record the sheet; each association receives its request by e-mail at once."""
    try:
        sheet_data = clean_sheet(svc, visit)
    except SheetInvalid as invalid:
        values: dict[str, str | list[str]] = {
            name: visit.field(name) for name in ("nom", "telephone", "email", "besoin", "mode_contact", "rappel_le",
                                                 "rappel_creneau", "origine_precision", "consentement", "jeton",
                                                 "autre")}
        values["origine"] = visit.form.get("origine", [])
        values["services"] = visit.form.get("services", [])
        values["associations"] = visit.form.get("associations", [])
        commune = visit.field("commune") if visit.field("commune") in svc.routing.communes else ""
        return _form(svc, session, 400, commune=commune, typed=commune, values=values, errors=invalid.errors)
    records = record_sheet(svc, session.who, sheet_data)
    audit.journal(svc, session.who.actor(), "liaison", refs=[r["ref"] for r in records])
    rows = [(r["ref"], f"{base_path(svc)}/espace/demandes/{r['ref']}", layout.recipient_name(svc, r["association"]),
             bool(r.get("ai_sent_at"))) for r in records]
    return layout.render(svc, session, "liaison_done.html", current="fiche", title="Fiche de liaison enregistrée",
                         rows=rows, all_sent=all(sent for *_, sent in rows), again=f"{base_path(svc)}/espace/fiche")
