"""The messages of a complaint: to its association(s) and to AAI (everything the household wrote, and the signed
« suite donnée » link of each recipient), the household's acknowledgement (fixed text only: nothing typed goes to
an address, even the verified one), and the cell's message when the delay passed without an answer."""

from __future__ import annotations

from email.message import EmailMessage

from rules.dates import french_date, french_datetime, local_time

from ..mail.messages import compose, mailbox, new_message, shared_address
from ..requests.model import Request
from ..routing import Contact
from ..service import FormService
from .cases import outcome_url
from .model import Case


def rows(svc: FormService, case: Case) -> list[tuple[str, str]]:
    """What the recipients read: the household's words and how to reach it (shown, never a header)."""
    d = case.details
    ai = svc.routing.recipient(case.association)
    verified = "adresse de la demande" if d.get("verifie") else "non vérifiée"
    found = [("Référence de la réclamation", case.ref), ("Reçue le", french_datetime(case.created_at)),
             ("Demande concernée", d.get("demande") or (f"{d['reference_inconnue']} (référence introuvable)"
                                                        if d.get("reference_inconnue") else "aucune référence donnée")),
             ("Association concernée", ai.name if ai is not None and ai.id != svc.routing.network.id
              else "non précisée"),
             ("Commune", d.get("commune", "")), ("Nom", d.get("nom", "")),
             ("Téléphone", d.get("telephone", "")),
             ("E-mail", f"{d['email']} ({verified})" if d.get("email") else ""), ("Réclamation", d.get("texte", ""))]
    return [(label, value) for label, value in found if value]


def deadline(case: Case) -> str:
    return french_date(local_time(case.due_at).date(), weekday=True) if case.due_at else ""


def to_recipient(svc: FormService, case: Case, contact: Contact) -> EmailMessage:
    """To an association (or AAI's copy): the complaint, the delay, and its own signed link for the outcome."""
    network = svc.routing.network
    subject = f"Réclamation {case.ref} – {case.details.get('nom', '')}"
    msg = new_message(subject, svc.routing, shared_address(contact.name, contact.email), ref=case.ref)
    return compose(msg, "complaint", for_network=contact.id == network.id, network=network.name,
                   details=rows(svc, case), deadline=deadline(case), outcome_url=outcome_url(svc, case, contact.id),
                   site_name=svc.routing.site_name)


def acknowledgement(svc: FormService, case: Case, request: Request) -> EmailMessage:
    """To the household, at the address stored with its request only: the complaint's reference, who has it,
    by when, and the regional number. Fixed text, nothing the form carried."""
    ai = svc.routing.recipient(case.association) or svc.routing.network
    to = str(request["data"].get("email") or request.email or "")
    subject = f"Votre réclamation a bien été reçue ({case.ref})"
    msg = new_message(subject, svc.routing, mailbox(to),
                      shared_address(svc.routing.network.name, svc.routing.network.email), case.ref)
    phone = svc.routing.network.phone
    return compose(msg, "complaint_acknowledgement", ref=case.ref, request_ref=request["ref"], ai_name=ai.name,
                   network=svc.routing.network.name, deadline=deadline(case),
                   network_phone=phone.display if phone else "")


def escalation(svc: FormService, case: Case) -> EmailMessage:
    """To the cell: the delay passed and the association said nothing; the cell's own « suite donnée » link."""
    network = svc.routing.network
    ai = svc.routing.recipient(case.association)
    subject = f"Réclamation sans suite – {case.ref}"
    msg = new_message(subject, svc.routing, shared_address(network.name, network.email), ref=case.ref)
    return compose(msg, "complaint_escalation", details=rows(svc, case),
                   ai_name=ai.name if ai is not None and ai.id != network.id else "",
                   received=french_datetime(case.created_at), outcome_url=outcome_url(svc, case, network.id))
