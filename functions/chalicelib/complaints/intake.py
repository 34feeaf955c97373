"""A household's complaint (``/reclamation``): validated, stored as a case, sent to the association and copied to
AAI, acknowledged at once.

Never a dead end: a household that has its reference (or follows the signed link of one of its messages) names
its request, and the complaint goes to the association that holds it; one without names the association, or its
commune, and the complaint goes to the association(s) serving it — or to AAI alone, who will find out.

Recipients come from the routing table, never from the form. What the household typed goes only to them. The
acknowledgement e-mail goes to the household only at the address stored with its request (the signed link, or
the e-mail typed being that one): any other address is unverified, and the page itself then acknowledges, with
the complaint's reference.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from rules.commune_search import search
from rules.dates import local_time
from rules.email_address import email_key
from rules.typography import fold, fold_typed
from rules.working_days import add_working_days

from ..web import links

from ..web import signing
from ..intake.forms import HONEYPOT, Invalid
from ..requests.enums import CaseKind, CaseStatus
from ..requests.model import Request
from ..routing import Contact, Routing
from ..service import REF_PATTERN, FormService
from ..intake.validation import FieldError, clean_email, clean_name, clean_phone, clean_text
from . import cases, mail
from .model import Case, Entry

logger = logging.getLogger(__name__)

FIELDS = ("reference", "sig", "association", "commune", "nom", "email", "telephone", "reclamation", HONEYPOT)
MAX_TEXT = 2000
ANSWER_WITHIN = 5          # working days for the association to say what it did, before the cell is told
NOBODY = ("Indiquez la référence de votre demande, l'association concernée ou votre commune : sans l'un des "
          "trois, nous ne saurions pas à qui transmettre votre réclamation.")


class RateLimited(Exception):
    """Too many messages from one address this hour (the forms' limit)."""


@dataclass(frozen=True)
class Complaint:
    """A complaint as validated: whom it is about, who sent it and how to reach them."""

    request: Request | None       # the household's request, when its reference was given and found
    association: str              # the AI it is about; the network's id when nobody could be named
    recipients: tuple[Contact, ...]
    name: str
    email: str
    phone: str                    # as displayed (« 05 36 49 12 34 »)
    who: tuple[str, ...]          # the e-mail key and the E.164 number typed: the right to erasure finds them
    text: str
    commune: str                  # the commune's name, when one was given without a reference
    unknown_ref: str              # a well-formed reference typed that names no request kept
    verified: bool                # the household's stored address: the acknowledgement may go there


def signed_request(svc: FormService, ref: str, sig: str) -> Request | None:
    """The request a genuine, unexpired « réclamation » link names; None otherwise."""
    if not sig or not REF_PATTERN.fullmatch(ref):
        return None
    verdict, _ = links.check(svc.settings.secret, "complaint", ref, sig, svc.now())
    return svc.store.get(ref) if verdict == "ok" else None


def _one(raw: dict[str, list[str]], errors: dict[str, str]) -> dict[str, str]:
    values = {name: [v for v in raw.get(name, []) if v.strip()] for name in FIELDS}
    for name, found in values.items():
        if len(found) > 1:
            errors[name] = "Ce champ a été envoyé plusieurs fois : une seule valeur est attendue."
    return {name: (found[0] if found else "") for name, found in values.items()}


def commune_of(typed: str, routing: Routing) -> str | None:
    """The INSEE code of the commune a household typed, when its name (or postal code) names one only."""
    codes = search(typed, routing.candidates, limit=5)
    exact = [c for c in codes if fold(routing.commune_name(c)) == fold_typed(typed)]
    if len(exact) == 1:
        return exact[0]
    return codes[0] if len(codes) == 1 else None


def validate(svc: FormService, raw: dict[str, list[str]]) -> Complaint:
    """The complaint, or Invalid with one French message per field."""
    routing = svc.routing
    errors: dict[str, str] = {}
    if any(name not in FIELDS for name in raw):
        errors["formulaire"] = "Le formulaire contient un champ inattendu. Rechargez la page puis renvoyez-le."
    one = _one(raw, errors)
    cleaned: dict[str, str] = {}
    checks: tuple[tuple[str, Callable[[str], str]], ...] = (
        ("nom", lambda v: clean_name(v, 100)), ("reclamation", lambda v: clean_text(v, MAX_TEXT, multiline=True)),
        ("commune", lambda v: clean_text(v, 80)), ("email", lambda v: clean_email(clean_text(v, 254))),
        ("telephone", lambda v: clean_phone(clean_text(v, 30)).display))
    for name, check in checks:
        try:
            cleaned[name] = check(one[name]) if one[name] else ""
        except FieldError as problem:
            errors.setdefault(name, str(problem))
    if not one["nom"]:
        errors.setdefault("nom", "Indiquez votre nom, pour que l'association sache qui rappeler.")
    if not one["reclamation"]:
        errors.setdefault("reclamation", "Décrivez ce qui ne va pas : c'est ce que l'association lira.")
    if not one["email"] and not one["telephone"]:
        errors.setdefault("telephone", "Indiquez un numéro de téléphone ou une adresse e-mail pour qu'on vous "
                                       "réponde.")
    ref = one["reference"].strip().upper()
    signed = signed_request(svc, ref, one["sig"])
    request = signed
    if request is None and ref:
        if not REF_PATTERN.fullmatch(ref):
            errors.setdefault("reference", "Cette référence n'a pas la bonne forme : elle ressemble à "
                                           "AI-20261102-7K3QXM. Laissez ce champ vide si vous ne l'avez pas.")
        else:
            request = svc.store.get(ref)
    association = one["association"]
    if association and (association == routing.network.id or routing.recipient(association) is None):
        errors.setdefault("association", "Choisissez l'association dans la liste.")
    recipients: tuple[Contact, ...] = ()
    commune = ""
    if request is not None:
        held = routing.recipient(request["association"]) or routing.network
        association, recipients = held.id, (held,)
    elif ref and REF_PATTERN.fullmatch(ref) and not association and not one["commune"]:
        errors.setdefault("reference", "Nous ne retrouvons pas cette référence : vérifiez-la, ou choisissez "
                                       "l'association ou indiquez votre commune.")
    elif association:
        ai = routing.recipient(association)
        recipients = (ai,) if ai is not None else ()
    elif cleaned.get("commune"):
        commune = cleaned["commune"]
        insee = commune_of(commune, routing)
        serving = tuple(routing.serving(insee)) if insee else ()
        commune = routing.commune_name(insee) if insee else commune
        recipients = serving
        association = routing.commune_recipient(insee).id if insee else routing.network.id
    elif not ref:
        errors.setdefault("association", NOBODY)
    if errors:
        raise Invalid(errors)
    stored = request.email or "" if request is not None else ""
    typed = cleaned["email"]
    verified = bool(stored) and (signed is not None or bool(typed) and email_key(typed) == email_key(stored))
    everyone = {c.id: c for c in (*recipients, routing.network)}
    who = tuple(w for w in (email_key(typed) if typed else "",
                            clean_phone(cleaned["telephone"]).e164 if cleaned["telephone"] else "") if w)
    return Complaint(request, association or routing.network.id, tuple(everyone.values()), cleaned["nom"],
                     cleaned["email"], cleaned["telephone"], who, cleaned["reclamation"], commune,
                     ref if ref and request is None else "", verified)


def receive(svc: FormService, raw: dict[str, list[str]], client_ip: str) -> tuple[str, bool]:
    """Validate, filter robots, count against the hour's limit, store, send to the AI(s) and AAI, acknowledge;
    (the complaint's reference, whether the household was acknowledged by e-mail)."""
    now = svc.now()
    complaint = validate(svc, raw)
    ref = cases.new_ref(CaseKind.COMPLAINT, now)
    honeypot = raw.get(HONEYPOT)
    if honeypot is None or any(v.strip() for v in honeypot):
        logger.info("honeypot missing or filled on /reclamation: fake success, nothing kept")
        return ref, False
    hour = now // 3600
    ip_hash = signing.keyed_hash(svc.settings.secret, "ip", client_ip)
    if not svc.store.take(f"{ip_hash}#{hour}", svc.settings.rate_limit, (hour + 2) * 3600):
        raise RateLimited()
    due = add_working_days(local_time(now), ANSWER_WITHIN)
    details = {"nom": complaint.name, "email": complaint.email, "telephone": complaint.phone,
               "texte": complaint.text, "commune": complaint.commune,
               "demande": complaint.request["ref"] if complaint.request is not None else "",
               "reference_inconnue": complaint.unknown_ref,
               "verifie": "oui" if complaint.verified else ""}
    case = Case(ref=ref, kind=CaseKind.COMPLAINT, association=complaint.association, created_at=now,
                expires_at=now + svc.routing.retention_days * 86400, details=details,
                recipients=tuple(c.id for c in complaint.recipients), status=CaseStatus.OPEN,
                due_at=int(due.timestamp()), history=(Entry(now, "household", "opened"),), who=complaint.who)
    svc.store.put_case(case)
    for contact in complaint.recipients:
        try:
            svc.mailer.send(mail.to_recipient(svc, case, contact))
        except Exception:   # kept all the same: the tick's escalation makes sure somebody sees it
            logger.exception("complaint %s: the message to %s failed", ref, contact.id)
    acknowledged = False
    if complaint.verified and complaint.request is not None:
        try:
            svc.mailer.send(mail.acknowledgement(svc, case, complaint.request))
            acknowledged = True
        except Exception:
            logger.exception("complaint %s: the acknowledgement failed", ref)
    logger.info("complaint %s about %s for %d recipients", ref, complaint.association, len(complaint.recipients))
    return ref, acknowledged
